// Measures the sequencer core on the reference executor (not a test): pre-signs a seeded workload, then
// times ingress (submitRawTransactions in batches) and sealing (on-demand blocks until the pool is empty),
// and prints per-block scheduler statistics.
// Usage: node --import tsx test/sequencer/bench-workload.ts [high-conflict|conflict-free] [txs] [senders] [dataDir|:memory:]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SequencerNode } from '../../sequencer/node/node.js';
import { seededRandom } from '../support/seeded-random.js';
import { conflictFreeTx, highConflictTx, makeSenders, workloadGenesis } from './workload.js';

const kind = process.argv[2] ?? 'high-conflict';
const total = Number(process.argv[3] ?? 1000);
const senderCount = Number(process.argv[4] ?? (kind === 'high-conflict' ? 50 : 200));
const useDisk = (process.argv[5] ?? 'disk') !== ':memory:';
const rnd = seededRandom(42);
const senders = makeSenders(senderCount, 42);
const created: `0x${string}`[] = [];
const t0 = Date.now();
const raws: Uint8Array[] = [];
for (let i = 0; i < total; i++) {
  const idx = i % senderCount;
  raws.push(kind === 'high-conflict' ? highConflictTx(rnd, senders[idx], senders, created).raw : conflictFreeTx(rnd, senders[idx], idx));
}
console.log(`signed ${total} txs in ${Date.now() - t0} ms`);
const dir = useDisk ? mkdtempSync(join(tmpdir(), 'seq-bench-')) : ':memory:';
const node = await SequencerNode.open({ dataDir: dir, genesis: workloadGenesis(senders, { perSenderCounters: kind !== 'high-conflict' }), sealMode: 'on-demand', scheduler: { predictConflicts: process.env.PREDICT !== '0' } });
try {
  const t1 = Date.now();
  for (let i = 0; i < raws.length; i += 500) {
    const res = await node.submitRawTransactions(raws.slice(i, i + 500));
    const bad = res.filter((r) => 'error' in r);
    if (bad.length) throw new Error(`rejected: ${(bad[0] as { error: Error }).error.message}`);
  }
  const ingressMs = Date.now() - t1;
  const t2 = Date.now();
  while (node.pool.size > 0) if (!(await node.sealBlock())) throw new Error('stuck');
  const sealMs = Date.now() - t2;
  const stats = node.recentStats();
  const sum = (f: (s: (typeof stats)[number]) => number) => stats.reduce((a, s) => a + f(s), 0);
  console.log(`${kind}: ${total} txs, ${senderCount} senders, store ${useDisk ? 'disk (WAL, synchronous=FULL)' : 'memory'}`);
  console.log(`ingress: ${ingressMs} ms (${Math.round((total / ingressMs) * 1000)} tx/s, decode + recover + validate + persist)`);
  console.log(`sealing: ${stats.length} blocks in ${sealMs} ms (${Math.round((total / sealMs) * 1000)} tx/s)`);
  console.log('block  txs rounds execs conflicts rate  reexec  gasUsed   exec commit root build persist total(ms)');
  for (const s of stats) {
    console.log(
      [s.number, s.txs, s.rounds, s.executions, s.conflicts, s.conflictRate.toFixed(3), s.reExecutions, s.gasUsed, s.execMs, s.commitMs, s.rootMs, s.buildMs, s.persistMs, s.totalMs].map(String).join('\t'),
    );
  }
  console.log(
    `total: rounds ${sum((s) => s.rounds)}, executions ${sum((s) => s.executions)}, conflicts ${sum((s) => s.conflicts)} (rate ${(sum((s) => s.conflicts) / sum((s) => s.executions)).toFixed(3)}), re-executions ${sum((s) => s.reExecutions)}, exec ${sum((s) => s.execMs)} ms, root ${sum((s) => s.rootMs)} ms, persist ${sum((s) => s.persistMs)} ms`,
  );
} finally {
  await node.close();
  if (useDisk) rmSync(dir, { recursive: true, force: true });
}
