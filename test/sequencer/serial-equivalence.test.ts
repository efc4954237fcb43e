// Invariant 1 (serial equivalence): every sealed block's header (state root, receipts root, logs bloom, gas
// used, transactions root, hash) equals @ethereumjs/vm replaying its transactions one by one in block order
// on a fresh state — on seeded high-conflict workloads and on conflict-free ones.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import { IngressError } from '../../sequencer/ingress/errors.js';
import type { BlockStats } from '../../sequencer/node/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { SerialOracle } from './oracle.js';
import { conflictFreeTx, highConflictTx, makeSenders, workloadGenesis, type TxKind } from './workload.js';

async function runWorkload(opts: { seed: number; senders: number; txs: number; perBlock: number; conflictFree: boolean }) {
  const rnd = seededRandom(opts.seed);
  const senders = makeSenders(opts.senders, opts.seed);
  const genesis = workloadGenesis(senders, { perSenderCounters: opts.conflictFree });
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand' });
  const oracle = await SerialOracle.create(genesis);
  assert.equal(await oracle.stateRoot(), node.head().header.stateRoot, 'genesis state root');
  const created: `0x${string}`[] = [];
  const kinds = new Map<TxKind, number>();
  const stats: BlockStats[] = [];
  let submitted = 0;
  let included = 0;
  try {
    while (submitted < opts.txs) {
      const batch: Uint8Array[] = [];
      for (let i = 0; i < opts.perBlock && submitted < opts.txs; i++, submitted++) {
        const idx = Math.floor(rnd() * senders.length);
        if (opts.conflictFree) batch.push(conflictFreeTx(rnd, senders[idx], idx));
        else {
          const { raw, kind } = highConflictTx(rnd, senders[idx], senders, created);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          batch.push(raw);
        }
      }
      const res = await node.submitRawTransactions(batch);
      for (const r of res) if ('error' in r) assert.fail(`submission rejected: ${r.error.message} (${(r.error as IngressError).code})`);
      // Seal until the pool is empty (some senders' later nonces need several blocks).
      while (node.pool.size > 0) {
        const b = await node.sealBlock();
        assert.ok(b, `pool has ${node.pool.size} txs but nothing could be sealed`);
        const n = await oracle.replay(node, b.header.number);
        included += n;
        stats.push(node.recentStats().at(-1)!);
        assert.equal(await oracle.stateRoot(), b.header.stateRoot);
      }
    }
    assert.equal(included, opts.txs, 'every submitted transaction was included');
    return { stats, kinds, node };
  } finally {
    await node.close();
  }
}

function summary(stats: BlockStats[]) {
  const sum = (f: (s: BlockStats) => number) => stats.reduce((a, s) => a + f(s), 0);
  return {
    blocks: stats.length,
    txs: sum((s) => s.txs),
    rounds: sum((s) => s.rounds),
    executions: sum((s) => s.executions),
    conflicts: sum((s) => s.conflicts),
    reExecutions: sum((s) => s.reExecutions),
    conflictRate: sum((s) => s.conflicts) / Math.max(1, sum((s) => s.executions)),
  };
}

for (const seed of [1, 2, 3]) {
  test(`high-conflict workload, seed ${seed}: every block equals serial @ethereumjs/vm`, async () => {
    const { stats, kinds } = await runWorkload({ seed, senders: 12, txs: 240, perBlock: 60, conflictFree: false });
    const s = summary(stats);
    console.log(`seed ${seed} high-conflict`, s, Object.fromEntries(kinds));
    // The workload really conflicts (otherwise this test would not exercise the scheduler).
    assert.ok(s.conflicts > 0, 'expected conflicts');
    assert.ok(s.rounds > s.blocks, 'expected several rounds per block');
    for (const k of ['counter', 'amm', 'transfer', 'create', 'createDestroy', 'vault', 'coinbaseRead', 'payCoinbase', 'revert', 'oog'] as TxKind[]) {
      assert.ok((kinds.get(k) ?? 0) > 0, `workload lacks ${k}`);
    }
  });
}

test('conflict-free workload: no conflicts, no re-executions, equal to serial', async () => {
  const { stats } = await runWorkload({ seed: 7, senders: 40, txs: 200, perBlock: 200, conflictFree: true });
  const s = summary(stats);
  console.log('conflict-free', s);
  assert.equal(s.conflicts, 0);
  assert.equal(s.reExecutions, 0);
});
