// `npm start`: the local L1 (anvil) and the sequencer's JSON-RPC. Ctrl-C stops both.
import { startAnvil } from '../l1/anvil.js';
import { loadAddon } from '../native/addon.js';
import { assertPortFree } from '../util/port.js';
import { HELP, OptionError, parseOptions } from './options.js';
import { startPlaceholderRpc } from './placeholder-rpc.js';

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }
  const backend = loadAddon().backendInfo();
  console.log(`native backend: ${backend.kind} (${backend.kind === 'cpu' ? `${backend.threads} threads; ${backend.reason}` : backend.device})`);
  // Check every port before starting anything, so a taken port fails fast and leaves nothing running.
  await assertPortFree(opts.host, opts.port, 'JSON-RPC');
  const anvil = opts.l1Url ? undefined : await startAnvil({ port: opts.l1Port, hardfork: 'cancun' });
  console.log(`L1: ${opts.l1Url ?? anvil!.url}${anvil ? ' (anvil started here)' : ''}`);
  let rpc;
  try {
    rpc = await startPlaceholderRpc(opts.host, opts.port, opts.chainId);
  } catch (e) {
    await anvil?.stop();
    throw e;
  }
  console.log(`JSON-RPC: ${rpc.url} (chain id ${opts.chainId})`);
  const shutdown = async () => {
    await rpc.close();
    await anvil?.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  anvil?.process.once('exit', (code) => {
    console.error(`L1 anvil exited (${code}); stopping`);
    void rpc.close().then(() => process.exit(1));
  });
}

main().catch((e) => {
  console.error(e instanceof OptionError ? e.message : `error: ${(e as Error).message}`);
  process.exit(e instanceof OptionError ? 2 : 1);
});
