// `npm start -- --replica --store postgres://... --sequencer URL`: an RPC replica (sequencer/replica/) and no
// L1, batcher or sequencing. Ctrl-C (SIGINT/SIGTERM) closes the RPC first and the store last.
import type { Logger } from 'pino';
import { createExecutor } from '../executor/create-executor.js';
import type { Genesis } from '../genesis/genesis.js';
import { startReplica } from '../replica/start-replica.js';
import { assertPortFree } from '../util/port.js';
import type { NodeOptions } from './options.js';

export async function runReplica(opts: NodeOptions, genesis: Genesis, log: Logger): Promise<void> {
  await assertPortFree(opts.host, opts.port, 'JSON-RPC');
  if (opts.console) await assertPortFree(opts.consoleHost, opts.consolePort, 'metrics');
  const executor = await createExecutor(opts.executor);
  const replica = await startReplica({
    store: opts.store!,
    sequencerUrl: opts.replicaOf!,
    genesis,
    host: opts.host,
    port: opts.port,
    metrics: opts.console ? { host: opts.consoleHost, port: opts.consolePort } : undefined,
    guard: { vhosts: opts.vhosts, corsOrigins: opts.corsOrigins },
    executor,
    onTrouble: (what, e) => log.warn({ err: e.message }, what),
  }).catch(async (e) => {
    await executor.close?.();
    throw e;
  });
  const { node, rpc } = replica;
  log.info({ http: rpc.url, ws: rpc.wsUrl, head: node.headNumber().toString(), sequencer: opts.replicaOf, metrics: replica.metricsUrl }, 'replica JSON-RPC ready');
  const shutdown = async () => {
    await replica.close();
    await executor.close?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
