// The replica's Prometheus metrics (prom-client, a registry of its own), served at /metrics on the port the
// sequencer's console would use: how far behind the sequencer it is, and what it forwarded.
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallOutcome } from './sequencer-client.js';
import type { ReplicaNode } from './replica-node.js';

export interface ReplicaMetrics {
  registry: Registry;
  /** Counts a call to the sequencer (SequencerClient's observer). */
  forwarded(method: string, outcome: CallOutcome): void;
  /** Gauges read from this replica at scrape time. */
  watch(node: ReplicaNode): void;
}

export function createReplicaMetrics(): ReplicaMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'replica_process_' });
  let node: ReplicaNode | undefined;
  const gauge = (name: string, help: string, read: (n: ReplicaNode) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = node && read(node);
        if (v !== undefined) this.set(v);
      },
    });
  gauge('replica_head_block_number', 'Latest block this replica has applied and serves', (n) => Number(n.headNumber()));
  gauge('replica_sequencer_head_block_number', "The sequencer's head as last polled (absent before its first answer)", (n) => (n.sequencerHead === undefined ? undefined : Number(n.sequencerHead)));
  gauge('replica_lag_blocks', 'Blocks the sequencer (or the store) has that this replica does not serve yet', (n) => Number(n.highestBlock() - n.headNumber()));
  gauge('replica_sequencer_up', '1 when the sequencer answered the last head poll', (n) => (n.sequencerUp ? 1 : 0));
  gauge('replica_following', '0 once following stopped because the applied state diverged from the chain', (n) => (n.failure === undefined ? 1 : 0));
  const calls = new Counter({ name: 'replica_forwarded_requests_total', help: 'Requests sent to the sequencer, by method and outcome (ok, error: the sequencer refused, unavailable: no answer)', labelNames: ['method', 'outcome'] as const, registers: [registry] });
  return {
    registry,
    forwarded: (method, outcome) => calls.inc({ method, outcome }),
    watch(n) {
      node = n;
    },
  };
}

/** GET /metrics on host:port; everything else is 404. */
export async function serveMetrics(metrics: ReplicaMetrics, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
