// Pipelined block production (sequencer/producer/): sealBlock() calls that overlap (block N+1 executes while
// N's root, build and persist run) give the same chain as serial @ethereumjs/vm, BLOCKHASH(parent) included;
// blocks are announced in order, each only once it is in the store, and reads at the head never see the
// state of a block not yet announced.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { BlockStats, BlockView } from '../../sequencer/node/types.js';
import { toWord, type Address } from '../../sequencer/primitives/types.js';
import { seededRandom } from '../support/seeded-random.js';
import { SerialOracle } from '../sequencer/oracle.js';
import { signTx } from '../sequencer/helpers.js';
import { highConflictTx, makeSenders, workloadGenesis } from '../sequencer/workload.js';

/** storage[NUMBER] = BLOCKHASH(NUMBER - 1) */
const PARENT_HASH_RECORDER = Uint8Array.from([0x60, 0x01, 0x43, 0x03, 0x40, 0x43, 0x55, 0x00]);
const RECORDER = '0x00000000000000000000000000000000000b1001' as Address;

test('overlapping sealBlock calls: same chain as serial execution, BLOCKHASH(parent) right, announced in order once durable', { timeout: 240_000 }, async () => {
  const rnd = seededRandom(21);
  const senders = makeSenders(10, 21);
  const genesis = workloadGenesis(senders);
  genesis.alloc.set(RECORDER, { balance: 0n, code: PARENT_HASH_RECORDER });
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis, sealMode: 'on-demand', scheduler: { maxTxs: 6 } });
  const announced: BlockView[] = [];
  const stats: BlockStats[] = [];
  const problems: string[] = [];
  node.events.on('block', (b) => {
    announced.push(b);
    if (node.blockNumber() !== b.header.number) problems.push(`block ${b.header.number} announced with head ${node.blockNumber()}`);
    // Reads at the head: its state, not the working state that may be a block or two ahead.
    const head = node.stateAt(node.blockNumber());
    if (head === null) problems.push(`no state for head ${b.header.number}`);
  });
  node.events.on('stats', (s) => stats.push(s));
  const created: Address[] = [];
  try {
    for (let wave = 0; wave < 6; wave++) {
      const raws: Uint8Array[] = [];
      for (const s of senders) {
        if (rnd() < 0.4) {
          raws.push(signTx(s.key, { nonce: s.nonce, to: RECORDER, gasLimit: 60_000n }));
          s.nonce++;
        } else raws.push(highConflictTx(rnd, s, senders, created).raw);
      }
      for (const r of await node.submitRawTransactions(raws)) if ('error' in r) assert.fail(r.error.message);
      // Three blocks in flight at once: each executes while the previous one seals.
      const sealed = await Promise.all([node.sealBlock(), node.sealBlock(), node.sealBlock()]);
      for (const b of sealed) if (b) assert.ok(await node.store.blockByNumber(b.header.number), `block ${b.header.number} durable when sealBlock resolves`);
    }
    while (node.pool.size > 0) assert.ok(await node.sealBlock(), 'the pool drains');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      announced.map((b) => b.header.number),
      announced.map((_, i) => BigInt(i + 1)),
      'announced once each, in order',
    );
    const oracle = await SerialOracle.create(genesis);
    let recorded = 0;
    for (let n = 1n; n <= node.blockNumber(); n++) {
      await oracle.replay(node, n);
      const stored = node.getState().getStorage(RECORDER, toWord(n));
      if (stored !== 0n) {
        recorded++;
        const parent = await node.store.blockByNumber(n - 1n);
        assert.equal(stored, BigInt(parent!.hash), `block ${n} recorded its parent's hash`);
      }
    }
    assert.ok(recorded > 3, `blocks that recorded BLOCKHASH(parent): ${recorded}`);
    assert.equal(await node.getState().stateRoot(), node.head().header.stateRoot);
    const sum = (f: (s: BlockStats) => number) => stats.reduce((a, s) => a + f(s), 0);
    console.log(`${stats.length} blocks: overlap ${sum((s) => s.overlapMs).toFixed(1)} ms, held for parent hash ${sum((s) => s.heldForParentHash)}, commit wait ${sum((s) => s.commitWaitMs).toFixed(1)} ms`);
  } finally {
    await node.close();
  }
});
