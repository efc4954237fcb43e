// `npm start`: the whole rollup locally — L1 (anvil + rollup contract), the sequencer with its JSON-RPC,
// the operator console, the batcher and the deposit watcher. `--verify` runs verifier mode instead, `--replica`
// an RPC replica (replica-cli.ts).
// Ctrl-C (SIGINT/SIGTERM) stops everything in order: ingress first, the node (its SQLite) last.
import { join } from 'node:path';
import { pino } from 'pino';
import { batcherStatusSource, nodeQueueDeposits, startConsole, trackedWithdrawals, type ConsoleServer } from '../console/index.js';
import { WithdrawalTracker, bridgeClients } from '../l1/bridge/index.js';
import { createExecutor } from '../executor/create-executor.js';
import { devAccounts, devGenesis, loadGenesisFile } from '../genesis/dev.js';
import type { Genesis } from '../genesis/genesis.js';
import { Batcher, BatchStore, DepositWatcher, Verifier, blockBytesLimit, messagePasserGenesis, publicClientFor, type LogFn } from '../l1/index.js';
import { loadAddon } from '../native/addon.js';
import { SequencerNode } from '../node/node.js';
import { toAddress, type Address } from '../primitives/types.js';
import { startRpcServer } from '../rpc/server.js';
import { assertPortFree } from '../util/port.js';
import { ensurePrivateDir } from '../util/private-files.js';
import { setUpL1 } from './l1-setup.js';
import { runReplica } from './replica-cli.js';
import { HELP, OptionError, parseOptions, type NodeOptions } from './options.js';

const log = pino({ name: 'sequencer' });

/** The dev genesis plus the L2 message passer predeploy that withdrawals need. */
function genesisFor(opts: NodeOptions): Genesis {
  if (opts.genesisFile) return loadGenesisFile(opts.genesisFile);
  const [address, account] = messagePasserGenesis();
  return devGenesis({ chainId: opts.chainId, extraAlloc: new Map([[address, { balance: 0n, ...account }]]) });
}

async function verify(opts: NodeOptions): Promise<number> {
  const genesis = genesisFor(opts);
  const verifier = new Verifier({
    l1Url: opts.l1Url!,
    rollup: toAddress(opts.rollup!),
    deployBlock: 0n,
    l2ChainId: genesis.chainId,
    genesis: genesis.alloc,
    executor: await createExecutor(opts.executor),
  });
  for (;;) {
    const report = await verifier.sync();
    if (!report.ok) {
      const b = report.firstBad!;
      log.error({ batch: b.batchIndex, blocks: b.blocks, posted: b.postedRoot, derived: b.derivedRoot, error: b.error }, 'STATE ROOT MISMATCH');
      return 2;
    }
    log.info({ batches: report.batches.length, l2Head: report.l2Head, stateRoot: report.stateRoot }, 'verified');
    await new Promise((r) => setTimeout(r, Math.max(1000, opts.blockTimeMs * 4)));
  }
}

async function run(opts: NodeOptions): Promise<void> {
  const backend = loadAddon().backendInfo();
  log.info({ backend }, `native backend: ${backend.kind}`);
  // Check every port first, so a taken port fails fast and leaves nothing running.
  await assertPortFree(opts.host, opts.port, 'JSON-RPC');
  if (opts.console) await assertPortFree(opts.consoleHost, opts.consolePort, 'console');
  ensurePrivateDir(opts.dataDir);

  const stops: (() => Promise<void>)[] = [];
  const shutdown = async (code: number) => {
    for (const stop of stops.reverse()) await stop().catch((e) => log.error({ err: e }, 'shutdown step failed'));
    process.exit(code);
  };
  try {
    const executor = await createExecutor(opts.executor);
    // Blocks are capped at what one batch can carry, so nothing a user sends can stall L1 posting.
    const node = await SequencerNode.open({
      dataDir: opts.store ?? opts.dataDir,
      store: { historyBlocks: opts.historyBlocks },
      genesis: genesisFor(opts),
      blockTimeMs: opts.blockTimeMs,
      idleBlockMs: opts.idleBlockMs,
      executor,
      ingress: { allowUnprotected: opts.allowUnprotectedTxs },
      scheduler: { maxBlockBytes: blockBytesLimit() },
    });
    stops.push(async () => {
      await node.close();
      await executor.close?.();
    });
    node.events.on('dropped', (d) => log.warn({ tx: d.hash, sender: d.sender, nonce: d.nonce.toString(), reason: d.reason }, 'acknowledged transaction dropped from the pool'));
    const genesisBlock = (await node.getBlockByNumber(0n))!;
    const l1Log: LogFn = (level, msg, fields) => log[level]({ component: 'local-l1', ...fields }, msg);
    const l1 = await setUpL1(opts, { chainId: node.chainId, genesisStateRoot: genesisBlock.header.stateRoot, headNumber: node.blockNumber() }, l1Log);
    if (l1.anvil) stops.push(() => l1.anvil!.stop());
    log.info({ l1: l1.url, rollup: l1.deployment.address, local: Boolean(l1.anvil), guardian: l1.deployment.guardian, challengeWindowS: l1.deployment.challengeWindow.toString() }, 'L1 ready');

    const batchStore = new BatchStore(join(opts.dataDir, 'l1', 'batches.sqlite'));
    await batchStore.init();
    stops.push(() => batchStore.close());
    const batcher = new Batcher({
      l1Url: l1.url,
      rollup: l1.deployment.address as Address,
      sequencerKey: l1.sequencerKey,
      l2ChainId: node.chainId,
      source: node.batchSource(),
      store: batchStore,
      da: opts.da,
      confirmations: opts.l1Confirmations,
    });
    const watcher = new DepositWatcher({
      l1Url: l1.url,
      rollup: l1.deployment.address as Address,
      deployBlock: l1.deployment.deployBlock,
      sink: node.depositSink(),
      confirmations: BigInt(opts.l1Confirmations),
    });
    batcher.start();
    watcher.start();
    stops.push(() => watcher.stop(), () => batcher.stop());

    // Dev signing only where the keys are public anyway: the dev genesis, or an explicit --dev.
    const guard = { vhosts: opts.vhosts, corsOrigins: opts.corsOrigins };
    const rpc = await startRpcServer({ node, host: opts.host, port: opts.port, guard, devAccounts: opts.dev || !opts.genesisFile ? devAccounts(10) : undefined });
    stops.push(() => rpc.close());
    log.info({ http: rpc.url, ws: rpc.wsUrl, chainId: node.chainId.toString() }, 'JSON-RPC ready');

    let consoleServer: ConsoleServer | undefined;
    if (opts.console) {
      consoleServer = await startConsole({ node, host: opts.consoleHost, port: opts.consolePort, token: opts.consoleToken, dataDir: opts.dataDir, logger: log, guard });
      const l1Public = publicClientFor(l1.url);
      // Withdrawals are followed as a wallet would: over this node's own JSON-RPC and the L1.
      const withdrawals = new WithdrawalTracker(bridgeClients({ l1Url: l1.url, l2Url: rpc.url, rollup: l1.deployment.address, l1FromBlock: l1.deployment.deployBlock }));
      consoleServer.setL1Source(
        batcherStatusSource({ batcher, store: batchStore, l1Url: l1.url, l1ChainId: BigInt(l1.deployment.l1ChainId), l1Head: () => l1Public.getBlockNumber(), deposits: nodeQueueDeposits(node), withdrawals: trackedWithdrawals(withdrawals) }),
      );
      stops.push(() => consoleServer!.close());
      log.info({ url: consoleServer.url, tokenFile: consoleServer.tokenFile }, 'operator console ready');
    }
  } catch (e) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw e;
  }
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }
  if (opts.verify) process.exit(await verify(opts));
  if (opts.replicaOf) return runReplica(opts, genesisFor(opts), log);
  await run(opts);
}

main().catch((e) => {
  console.error(e instanceof OptionError ? e.message : `error: ${(e as Error).message}`);
  process.exit(e instanceof OptionError ? 2 : 1);
});
