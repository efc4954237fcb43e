// L1 losing blocks (issue #18, item 2), simulated with anvil's evm_snapshot / evm_revert: batches the batcher
// had confirmed are re-posted, each batch index lands exactly once on the surviving L1 and its roots equal the
// L2 headers; a batch counts as confirmed only `confirmations` blocks deep; the deposit watcher re-reads
// queue items from the reorged height.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseEther } from 'viem';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { DepositWatcher } from '../../sequencer/l1/deposit-watcher.js';
import type { SealedBatchSource } from '../../sequencer/l1/types.js';
import { SEQUENCER_KEY, USER_L1_KEY, rollupWrite, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID } from './support/l2-test-chain.js';

describe('L1 reorgs and rollbacks', { timeout: 180_000 }, () => {
  let env: L1Env;
  before(async () => {
    env = await startL1Env();
    for (let i = 0; i < 6; i++) await env.l2.produceBlock([await env.l2.transfer(0, '0x0000000000000000000000000000000000000abc', BigInt(i + 1))]);
  });
  after(async () => env?.close());

  const sourceUpTo = (n: { value: number }): SealedBatchSource => ({ latestSealedBlockNumber: async () => BigInt(n.value), getSealedBlocks: (a, b) => env.l2.getSealedBlocks(a, b) });
  const mine = async () => void (await env.rpc('evm_mine'));

  /** Every BatchSubmitted event on the current L1, as [index, newStateRoot]. */
  const postedOnL1 = async () => (await env.reader.batchEvents()).map((e) => [Number(e.batchIndex), e.newStateRoot] as const);

  test('confirmed batches lost by L1 are re-posted once each; confirmation waits for depth', async () => {
    const store = new BatchStore(join(env.dir, 'reorg.sqlite'));
    await store.init();
    const upTo = { value: 3 };
    const logs: string[] = [];
    const batcher = new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: sourceUpTo(upTo), store, maxBlocksPerBatch: 1, confirmations: 3, log: (lvl, msg) => logs.push(`${lvl} ${msg}`) });
    try {
      const beforeBatches = (await env.rpc('evm_snapshot')) as string;
      // Automine: batch 0's transaction is its block's only one; it is 1 deep, not 3.
      await batcher.tick(true);
      assert.equal(await env.reader.nextBatchIndex(), 1n);
      await batcher.tick(true);
      assert.equal((await store.get(0))?.status, 'submitted', 'on L1 but not deep enough');
      await batcher.flush(30_000, mine);
      assert.deepEqual((await store.all()).map((b) => b.status), ['confirmed', 'confirmed', 'confirmed']);

      // L1 loses everything since the snapshot (a reorg / an L1 restarted from older state).
      await env.rpc('evm_revert', [beforeBatches]);
      assert.equal(await env.reader.nextBatchIndex(), 0n);
      upTo.value = 6;
      await batcher.flush(60_000, mine);
      assert.ok(logs.some((l) => l.startsWith('warn L1 lost batches')), logs.join('\n'));
      const posted = await postedOnL1();
      assert.deepEqual(posted.map(([i]) => i), [0, 1, 2, 3, 4, 5], 'each batch index exactly once on the surviving L1');
      for (const [i, root] of posted) assert.equal(root, env.l2.blocks[i].stateRoot, `batch ${i} root`);
      assert.equal(await env.reader.lastStateRoot(), env.l2.blocks[5].stateRoot);
      assert.deepEqual((await store.all()).map((b) => [b.batch_index, b.status]), [0, 1, 2, 3, 4, 5].map((i) => [i, 'confirmed']));
      assert.equal(batcher.status().failures, 0);
    } finally {
      await batcher.stop();
      await store.close();
    }
  });

  test('the deposit watcher re-reads queue items from the reorged height', async () => {
    const watcher = new DepositWatcher({ l1Url: env.anvil.url, rollup: env.deployment.address, deployBlock: env.deployment.deployBlock, sink: env.l2, log: () => {} });
    const fork = (await env.rpc('evm_snapshot')) as string;
    for (let i = 0; i < 3; i++) await mine();
    assert.equal(await watcher.poll(), 0); // scanned past these three blocks
    await env.rpc('evm_revert', [fork]);
    // The replacement chain carries a deposit below the height the watcher had scanned to.
    await rollupWrite(env, USER_L1_KEY, 'depositETH', ['0x0000000000000000000000000000000000000def'], parseEther('1'));
    for (let i = 0; i < 3; i++) await mine();
    const before = env.l2.pendingQueue.length;
    assert.equal(await watcher.poll(), 1, 'the deposit on the new branch is delivered');
    assert.equal(env.l2.pendingQueue.length, before + 1);
    assert.equal(env.l2.pendingQueue.at(-1)!.to.toLowerCase(), '0x0000000000000000000000000000000000000def');
    assert.equal(await watcher.poll(), 0, 'and only once');
  });
});
