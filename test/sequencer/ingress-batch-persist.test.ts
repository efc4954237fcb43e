// A batch of raw transactions is one group-commit job: when the store refuses it, every transaction the
// batch accepted is refused with the store's error and leaves the pool (nothing unpersisted is acknowledged),
// bad ones keep their own error, and the node takes the same transactions once the store works again.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import { DEV, signTx } from './helpers.js';

test('a refused mempool write refuses the whole batch and changes nothing; the batch goes in afterwards', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const raws = [0, 1, 2].map((i) => signTx(DEV[i], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 21_000n }));
    const bad = signTx(DEV[3], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 20_000n });
    const updateMempool = node.store.updateMempool.bind(node.store);
    node.store.updateMempool = async () => {
      throw new Error('disk full');
    };
    const rejected: string[] = [];
    node.events.on('rejected', (r) => rejected.push(r.code));
    const failed = await node.submitRawTransactions([...raws, bad]);
    assert.deepEqual(
      failed.map((r) => ('error' in r ? r.error.message : 'accepted')),
      ['disk full', 'disk full', 'disk full', 'intrinsic gas too low: have 20000, want 21000'],
    );
    assert.deepEqual(rejected, ['INTERNAL', 'INTERNAL', 'INTERNAL', 'INTRINSIC_GAS_TOO_LOW']);
    assert.equal(node.pool.size, 0, 'nothing unpersisted stays in the pool');

    node.store.updateMempool = updateMempool;
    const ok = await node.submitRawTransactions(raws);
    assert.ok(ok.every((r) => 'hash' in r));
    assert.equal(node.pool.size, 3);
    assert.deepEqual((await node.store.loadMempool()).map((r) => r.hash).sort(), ok.map((r) => (r as { hash: string }).hash).sort(), 'the rows are stored');
    const block = await node.sealBlock();
    assert.equal(block?.txHashes.length, 3);
  } finally {
    await node.close();
  }
});
