// Starts an RPC replica: the ReplicaNode over the shared store, PostgreSQL notifications to follow it
// promptly, the JSON-RPC server (the sequencer's own, sequencer/rpc) with the writes forwarded, and the
// metrics endpoint. `npm start -- --replica` (cli/main.ts) and the tests go through here.
import type { Executor } from '../executor/types.js';
import type { Genesis } from '../genesis/genesis.js';
import { startRpcServer, type RpcServer } from '../rpc/server.js';
import { isPostgresUrl } from '../store/open-store.js';
import type { HttpGuardOptions } from '../util/http-guard.js';
import { forwardedMethods } from './forwarded-methods.js';
import { HeadListener } from './head-listener.js';
import { createReplicaMetrics, serveMetrics } from './metrics.js';
import { ReplicaNode } from './replica-node.js';
import { SequencerClient } from './sequencer-client.js';

export interface ReplicaConfig {
  /** The sequencer's store (postgres:// URL). */
  store: string;
  /** The sequencer's JSON-RPC URL. */
  sequencerUrl: string;
  genesis?: Genesis;
  host?: string;
  /** JSON-RPC port (0: any free one). */
  port?: number;
  /** Where to serve /metrics (absent: not served). */
  metrics?: { host: string; port: number };
  guard?: HttpGuardOptions;
  /** For eth_simulateV1 (not closed here). */
  executor?: Executor;
  /** Store head poll interval, ms (notifications wake the follower sooner). */
  pollMs?: number;
  /** Told when following hits a store error (it retries) or the notification connection drops (polling covers it). */
  onTrouble?: (what: string, e: Error) => void;
}

export interface RunningReplica {
  node: ReplicaNode;
  rpc: RpcServer;
  metricsUrl?: string;
  close(): Promise<void>;
}

export async function startReplica(c: ReplicaConfig): Promise<RunningReplica> {
  const metrics = createReplicaMetrics();
  const sequencer = new SequencerClient(c.sequencerUrl, { observe: metrics.forwarded });
  const node = await ReplicaNode.open({ store: c.store, sequencer, genesis: c.genesis, executor: c.executor, pollMs: c.pollMs });
  const stops: (() => Promise<void>)[] = [() => node.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    metrics.watch(node);
    node.events.on('retrying', (e) => c.onTrouble?.('store read failed while following (retrying)', e));
    node.events.on('failed', (e) => c.onTrouble?.('replica stopped following', e));
    if (isPostgresUrl(c.store)) {
      const listener = new HeadListener(c.store, () => node.wake(), (e) => c.onTrouble?.('PostgreSQL notification connection lost (polling meanwhile)', e));
      listener.start();
      stops.push(() => listener.stop());
    }
    const rpc = await startRpcServer({ node, host: c.host, port: c.port ?? 8545, guard: c.guard, methodOverrides: forwardedMethods(sequencer) });
    stops.push(() => rpc.close());
    const served = c.metrics ? await serveMetrics(metrics, c.metrics.host, c.metrics.port) : undefined;
    if (served) stops.push(() => served.close());
    return { node, rpc, metricsUrl: served?.url, close: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
