// Invariant 1 (serial equivalence): every sealed block's header (state root, receipts root, logs bloom, gas
// used, transactions root, hash) equals @ethereumjs/vm replaying its transactions one by one in block order
// on a fresh state — on seeded high-conflict workloads and on conflict-free ones.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { createExecutor, type ExecutorName } from '../../sequencer/executor/create-executor.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { IngressError } from '../../sequencer/ingress/errors.js';
import type { BlockStats } from '../../sequencer/node/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { SerialOracle } from './oracle.js';
import { toWord } from '../../sequencer/primitives/types.js';
import { ADDR, conflictFreeTx, highConflictTx, makeSenders, workloadGenesis, type TxKind } from './workload.js';

async function runWorkload(opts: { seed: number; senders: number; txs: number; perBlock: number; conflictFree: boolean; predict?: boolean; hotContractHints?: boolean; executor?: ExecutorName }) {
  const rnd = seededRandom(opts.seed);
  const senders = makeSenders(opts.senders, opts.seed);
  const genesis = workloadGenesis(senders, { perSenderCounters: opts.conflictFree });
  const executor = await createExecutor(opts.executor ?? 'reference');
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand', executor, scheduler: { predictConflicts: opts.predict ?? true, hotContractHints: opts.hotContractHints ?? false } });
  const oracle = await SerialOracle.create(genesis);
  assert.equal(await oracle.stateRoot(), node.head().header.stateRoot, 'genesis state root');
  const created: `0x${string}`[] = [];
  const kinds = new Map<TxKind, number>();
  const stats: BlockStats[] = [];
  // Values right after each block, to check stateAt(n) later (undo layers).
  const watched: { n: bigint; created: number; values: string[] }[] = [];
  const watch = (createdCount: number, reader: { getAccount: (a: `0x${string}`) => { nonce: bigint; balance: bigint; codeHash: string } | undefined; getStorage: (a: `0x${string}`, s: `0x${string}`) => bigint }) => {
    const out: string[] = [];
    for (const a of [...senders.map((s) => s.address), ...Object.values(ADDR), genesis.coinbase, ...created.slice(0, createdCount)]) {
      const acc = reader.getAccount(a);
      out.push(acc ? `${a}:${acc.nonce}:${acc.balance}:${acc.codeHash}` : `${a}:none`);
      for (const slot of [0n, 1n]) out.push(`${reader.getStorage(a, toWord(slot))}`);
      for (const s of senders.slice(0, 3)) out.push(`${reader.getStorage(a, toWord(BigInt(s.address)))}`);
    }
    return out;
  };
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
        watched.push({ n: b.header.number, created: created.length, values: watch(created.length, node.getState()) });
      }
    }
    assert.equal(included, opts.txs, 'every submitted transaction was included');
    for (const w of watched) {
      const view = node.stateAt(w.n);
      assert.ok(view, `stateAt(${w.n}) available`);
      assert.deepEqual(watch(w.created, view), w.values, `stateAt(${w.n}) equals the state right after block ${w.n}`);
    }
    return { stats, kinds, node };
  } finally {
    await node.close();
    await executor.close?.();
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

test('high-conflict workload without conflict prediction (every conflict reaches validation): equal to serial', async () => {
  const { stats } = await runWorkload({ seed: 4, senders: 12, txs: 240, perBlock: 80, conflictFree: false, predict: false });
  const s = summary(stats);
  console.log('seed 4 high-conflict, no prediction', s);
  assert.ok(s.conflictRate > 0.3, `conflict rate ${s.conflictRate}`);
});

test('high-conflict workload with hot-contract hints: equal to serial', async () => {
  const { stats } = await runWorkload({ seed: 9, senders: 12, txs: 240, perBlock: 80, conflictFree: false, hotContractHints: true });
  const s = summary(stats);
  console.log('seed 9 high-conflict, hot-contract hints', s);
  assert.ok(s.conflicts > 0 && s.rounds > s.blocks, JSON.stringify(s));
});

test('conflict-free workload: no conflicts, no re-executions, equal to serial', async () => {
  const { stats } = await runWorkload({ seed: 7, senders: 40, txs: 200, perBlock: 200, conflictFree: true });
  const s = summary(stats);
  console.log('conflict-free', s);
  assert.equal(s.conflicts, 0);
  assert.equal(s.reExecutions, 0);
});

// The product path: the scheduler on the native executor (kernels/evm through the addon), checked against
// serial @ethereumjs/vm block by block.
for (const seed of [5, 6]) {
  test(`native executor, high-conflict workload, seed ${seed}: every block equals serial @ethereumjs/vm`, async () => {
    const { stats } = await runWorkload({ seed, senders: 12, txs: 240, perBlock: 60, conflictFree: false, executor: 'native' });
    const s = summary(stats);
    console.log(`seed ${seed} high-conflict, native`, s);
    assert.ok(s.conflicts > 0 && s.rounds > s.blocks, 'expected conflicts and several rounds per block');
  });
}

test('native executor, conflict-free workload: no conflicts, equal to serial', async () => {
  const { stats } = await runWorkload({ seed: 8, senders: 40, txs: 200, perBlock: 200, conflictFree: true, executor: 'native' });
  const s = summary(stats);
  console.log('conflict-free, native', s);
  assert.equal(s.conflicts, 0);
});
