// The node answers its recent blocks, mined transactions and receipts from memory (node/recent-blocks.ts):
// every answer must equal the one read back from the store (a ChainReads without the in-memory index), and
// the index must stay within its limits.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ChainReads } from '../../sequencer/node/chain-reads.js';
import { RecentBlocks } from '../../sequencer/node/recent-blocks.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { BlockView } from '../../sequencer/node/types.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import type { StoredReceipt } from '../../sequencer/store/store.js';
import { DEV, signTx } from './helpers.js';
import { COUNTER, initCode } from './workload.js';

/** Typed arrays compared by content whatever their class (Buffer from the store, Uint8Array from ingress). */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  return v;
}

test('recent blocks: blocks, mined transactions and receipts from memory equal the store', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const fromStore = new ChainReads(node.store, node.common);
    const deploy = await node.submitRawTransaction(signTx(DEV[0], { nonce: 0n, to: null, data: initCode(COUNTER), gasLimit: 200_000n }));
    await node.sealBlock();
    const counter = (await node.getReceipt(deploy))!.contractAddress!;
    const hashes: Hex[] = [deploy];
    for (let b = 0; b < 3; b++) {
      for (let i = 1; i < 6; i++) {
        // Legacy, access-list and 1559 transactions; calls that log, a plain transfer, and a revert (bad calldata).
        const type = (i % 3) as 0 | 1 | 2;
        const to = i === 5 ? DEV[9].address : counter;
        hashes.push(await node.submitRawTransaction(signTx(DEV[i], { type, nonce: BigInt(b), to, value: i === 5 ? 7n : 0n, data: i === 4 ? new Uint8Array([0xff]) : undefined })));
      }
      await node.sealBlock();
    }
    for (let n = 0n; n <= node.blockNumber(); n++) {
      for (const full of [false, true]) assert.deepEqual(plain(await node.getBlockByNumber(n, full)), plain(await fromStore.blockByNumber(n, full)), `block ${n} full=${full}`);
      const b = (await fromStore.blockByNumber(n))!;
      assert.deepEqual(plain(await node.getBlockByHash(b.header.hash, true)), plain(await fromStore.blockByHash(b.header.hash, true)), `block ${n} by hash`);
    }
    for (const h of hashes) {
      const mined = await node.getTransaction(h);
      assert.ok(mined?.location, `${h} is mined`);
      assert.deepEqual(plain(mined), plain(await fromStore.minedTransaction(h)), `transaction ${h}`);
      assert.deepEqual(plain(await node.getReceipt(h)), plain(await fromStore.receipt(h)), `receipt ${h}`);
    }
    assert.equal((await node.getReceipt(hashes[4]))!.status, 0, 'the bad-calldata call reverted');
  } finally {
    await node.close();
  }
});

function fakeBlock(n: number, txs: number): { view: BlockView; receipts: StoredReceipt[] } {
  const hash = `0x${n.toString(16).padStart(64, '0')}` as Hex;
  const txHashes = Array.from({ length: txs }, (_, i) => `0x${(n * 1000 + i).toString(16).padStart(64, 'f')}` as Hex);
  const view = { header: { number: BigInt(n), hash }, txHashes, txs: txHashes.map((h) => ({ hash: h, type: 2 })) } as unknown as BlockView;
  const receipts = txHashes.map((txHash, index) => ({ txHash, blockNumber: BigInt(n), blockHash: hash, index }) as StoredReceipt);
  return { view, receipts };
}

test('recent blocks: bounded by blocks and by transactions, the newest block always kept', () => {
  const recent = new RecentBlocks({ maxBlocks: 3, maxTxs: 5 });
  for (let n = 1; n <= 4; n++) {
    const { view, receipts } = fakeBlock(n, 1);
    recent.add(view, receipts);
  }
  assert.equal(recent.block(1n), undefined, 'the fourth block evicts the first');
  assert.ok(recent.block(2n) && recent.block(4n));
  assert.equal(recent.tx(fakeBlock(1, 1).view.txHashes[0]), undefined);
  const big = fakeBlock(5, 7);
  recent.add(big.view, big.receipts);
  assert.deepEqual([2n, 3n, 4n, 5n].map((n) => recent.block(n) !== undefined), [false, false, false, true], 'a block over maxTxs alone is kept, alone');
  assert.equal(recent.tx(big.view.txHashes[6])?.receipt.index, 6);
  assert.equal(recent.blockByHash(big.view.header.hash), big.view);
  assert.throws(() => recent.add(fakeBlock(6, 2).view, fakeBlock(6, 1).receipts), /2 transaction views for 1 receipts/);
});
