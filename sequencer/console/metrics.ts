// Prometheus metrics (prom-client) on a registry of its own, fed by the collector and read from the node
// at scrape time. Served at the console's /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Collector } from './collector.js';
import type { BlockStats } from '../node/types.js';
import type { EventEmitter } from 'node:events';

export interface MetricsNode {
  events: EventEmitter<any>;
  blockNumber(): bigint;
  pool: { size: number; senders(): Iterable<unknown> };
}

export interface ConsoleMetrics {
  registry: Registry;
  adminActions: Counter<'action' | 'result'>;
  close(): void;
}

export function createMetrics(node: MetricsNode, collector: Collector, extra: { paused: () => boolean | undefined }): ConsoleMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'sequencer_process_' });
  new Gauge({ name: 'sequencer_head_block_number', help: 'Number of the latest sealed L2 block', registers: [registry], collect() { this.set(Number(node.blockNumber())); } });
  new Gauge({ name: 'sequencer_mempool_transactions', help: 'Pending transactions in the mempool', registers: [registry], collect() { this.set(node.pool.size); } });
  new Gauge({
    name: 'sequencer_mempool_senders',
    help: 'Distinct senders with pending transactions',
    registers: [registry],
    collect() {
      let n = 0;
      for (const _ of node.pool.senders()) n++;
      this.set(n);
    },
  });
  new Gauge({
    name: 'sequencer_paused',
    help: '1 while sequencing is paused by an operator (absent when the node cannot pause)',
    registers: [registry],
    collect() {
      const p = extra.paused();
      if (p !== undefined) this.set(p ? 1 : 0);
    },
  });
  const blocks = new Counter({ name: 'sequencer_blocks_total', help: 'Blocks sealed since the console started', registers: [registry] });
  const txs = new Counter({ name: 'sequencer_transactions_total', help: 'Transactions included since the console started', registers: [registry] });
  const gas = new Counter({ name: 'sequencer_gas_used_total', help: 'Gas used by included transactions since the console started', registers: [registry] });
  const rounds = new Histogram({ name: 'sequencer_scheduler_rounds', help: 'Scheduler rounds per block', buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32, 64], registers: [registry] });
  const executions = new Counter({ name: 'sequencer_scheduler_executions_total', help: 'Transaction executions in all rounds', registers: [registry] });
  const conflicts = new Counter({ name: 'sequencer_scheduler_conflicts_total', help: 'Executions discarded for a read/write conflict', registers: [registry] });
  const reexec = new Counter({ name: 'sequencer_scheduler_reexecutions_total', help: 'Executions beyond the first of the same transaction in a block', registers: [registry] });
  const dropped = new Counter({ name: 'sequencer_scheduler_dropped_total', help: 'Transactions dropped from the mempool while building', registers: [registry] });
  const stage = new Histogram({
    name: 'sequencer_block_stage_seconds',
    help: 'Time per block build stage',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sequencer_tx_inclusion_latency_seconds',
    help: 'From submit acknowledged to the block being announced',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const rejected = new Counter({ name: 'sequencer_rejected_transactions_total', help: 'Transactions refused at ingress, by reason', labelNames: ['reason'] as const, registers: [registry] });
  const evicted = new Counter({ name: 'sequencer_mempool_dropped_total', help: 'Acknowledged transactions that left the pool without inclusion, by reason', labelNames: ['reason'] as const, registers: [registry] });
  const adminActions = new Counter({ name: 'sequencer_console_admin_actions_total', help: 'Admin API calls by action and result', labelNames: ['action', 'result'] as const, registers: [registry] });

  const offBlock = collector.onBlockRecord((b) => {
    blocks.inc();
    txs.inc(b.txs);
    gas.inc(Number(b.gasUsed));
  });
  const offLat = collector.onLatency((ms) => latency.observe(ms / 1000));
  const onStats = (s: BlockStats) => {
    rounds.observe(s.rounds);
    executions.inc(s.executions);
    conflicts.inc(s.conflicts);
    reexec.inc(s.reExecutions);
    dropped.inc(s.dropped);
    for (const [k, v] of [['exec', s.execMs], ['commit', s.commitMs], ['root', s.rootMs], ['build', s.buildMs], ['persist', s.persistMs], ['total', s.totalMs]] as const) stage.observe({ stage: k }, v / 1000);
  };
  const onRejected = (r: { code?: string }) => rejected.inc({ reason: r.code ?? 'UNKNOWN' });
  node.events.on('stats', onStats);
  // The reason's first word ('evicted', 'stale'): a bounded label set.
  const onDropped = (d: { reason: string }) => evicted.inc({ reason: d.reason.split(':')[0] });
  node.events.on('rejected', onRejected);
  node.events.on('dropped', onDropped);
  return {
    registry,
    adminActions,
    close() {
      offBlock();
      offLat();
      node.events.off('stats', onStats);
      node.events.off('rejected', onRejected);
      node.events.off('dropped', onDropped);
    },
  };
}
