// Batches land on anvil in calldata and blob modes, and the contract's roots are the ones the L2 sealed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Batcher } from '../../sequencer/l1/batcher.js';
import { BatchStore } from '../../sequencer/l1/batch-store.js';
import { decodeBatch } from '../../sequencer/l1/batch-codec.js';
import { toAddress } from '../../sequencer/primitives/types.js';
import { SEQUENCER_KEY, startL1Env, type L1Env } from './support/l1-env.js';
import { L2_CHAIN_ID } from './support/l2-test-chain.js';

const quiet = () => {};

for (const [da, hardfork] of [['calldata', 'cancun'], ['blobs', 'cancun'], ['calldata', 'prague']] as const) {
  describe(`batcher (${da}, L1 ${hardfork})`, { timeout: 180_000 }, () => {
    let env: L1Env;
    before(async () => {
      env = await startL1Env({ hardfork });
    });
    after(async () => env?.close());

    test('posts sealed blocks; L1 roots equal the sealed roots and the data decodes back', async () => {
      const { l2 } = env;
      for (let i = 0; i < 5; i++) {
        const txs: `0x${string}`[] = [];
        for (let k = 0; k < 3; k++) txs.push(await l2.transfer(k, toAddress(l2.users[(k + 1) % 3].address), 1000n + BigInt(i)));
        await l2.produceBlock(txs);
      }
      const store = new BatchStore(join(env.dir, `batcher-${da}-${hardfork}.sqlite`));
      await store.init();
      const batcher = new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: l2, store, da, maxBlocksPerBatch: 2, log: quiet });
      await batcher.flush(60_000);
      assert.equal(await env.reader.nextBatchIndex(), 3n, '5 blocks in batches of 2 = 3 batches');
      assert.equal(await env.reader.lastStateRoot(), l2.blocks[4].stateRoot);
      assert.equal(await env.reader.lastL2Block(), 5n);
      const events = await env.reader.batchEvents();
      for (const [i, ev] of events.entries()) {
        const last = l2.blocks[Math.min(2 * i + 1, 4)];
        assert.equal(ev.newStateRoot, last.stateRoot, `batch ${i} root`);
        assert.equal(ev.daKind, da === 'calldata' ? 0 : 1);
        const row = (await store.get(i))!;
        assert.equal(row.status, 'confirmed');
        const decoded = decodeBatch(row.data);
        assert.deepEqual(decoded.blocks.map((b) => b.stateRoot), l2.blocks.slice(2 * i, 2 * i + 2).map((b) => b.stateRoot));
      }
      // Nothing new: another flush posts nothing.
      await batcher.flush(10_000);
      assert.equal(await env.reader.nextBatchIndex(), 3n);
      await store.close();
    });
  });
}

describe('batcher pacing', { timeout: 60_000 }, () => {
  test('waits for minBlocksPerBatch unless the oldest block is older than maxBatchDelayMs; flush forces', async () => {
    const env = await startL1Env();
    try {
      const { l2 } = env;
      await l2.produceBlock([await l2.transfer(0, toAddress(l2.users[1].address), 1n)]);
      const store = new BatchStore(join(env.dir, 'pace.sqlite'));
      await store.init();
      // L2 test timestamps are in 2023: "old". A huge delay keeps the batcher waiting for 3 blocks.
      const mk = (maxBatchDelayMs: number) =>
        new Batcher({ l1Url: env.anvil.url, rollup: env.deployment.address, sequencerKey: SEQUENCER_KEY, l2ChainId: L2_CHAIN_ID, source: l2, store, minBlocksPerBatch: 3, maxBatchDelayMs, log: quiet });
      await mk(Number.MAX_SAFE_INTEGER).tick();
      assert.equal((await store.all()).length, 0, 'one block < 3: waiting');
      await mk(1000).tick();
      assert.equal((await store.all()).length, 1, 'the block is older than the delay: batched');
      await l2.produceBlock([await l2.transfer(0, toAddress(l2.users[1].address), 2n)]);
      const patient = mk(Number.MAX_SAFE_INTEGER);
      await patient.tick();
      assert.equal((await store.all()).length, 1);
      await patient.flush(30_000);
      assert.equal((await store.all()).length, 2, 'flush batches everything');
      assert.equal(await env.reader.nextBatchIndex(), 2n);
      await store.close();
    } finally {
      await env.close();
    }
  });
});
