// The pool's queued part (geth's queue): future nonces wait, fill-in promotes them, caps evict with a
// reason, a block that moves an account nonce settles the sender, and a restart restores queued entries.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { txFromStored } from '../../sequencer/ingress/decode.js';
import { QUEUE_L2_TX } from '../../sequencer/l1/types.js';
import { Mempool } from '../../sequencer/mempool/mempool.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { bytesToHex, type Hex } from '../../sequencer/primitives/types.js';
import { DEV, signTx } from '../sequencer/helpers.js';

const transfer = (i: number, nonce: bigint, tip = 1_000_000_000n) =>
  signTx(DEV[i], { nonce, to: DEV[9].address, value: 1n, gasLimit: 21000n, maxPriorityFeePerGas: tip, maxFeePerGas: 10_000_000_000n });

test('reverse nonce order: all wait queued until nonce 0 arrives, then mine in nonce order; announced pending once executable', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  const accepted: Hex[] = [];
  const pending: Hex[] = [];
  node.events.on('acceptedTransaction', (h) => accepted.push(h));
  node.events.on('pendingTransaction', (h) => pending.push(h));
  try {
    const hashes: Hex[] = [];
    for (let n = 4n; n >= 1n; n--) hashes.unshift(await node.submitRawTransaction(transfer(0, n)));
    assert.deepEqual(accepted, [...hashes].reverse(), 'every queued tx is acknowledged');
    assert.deepEqual(pending, [], 'no queued tx is announced as pending (geth: newPendingTransactions is for executable ones)');
    assert.equal(node.pool.queuedCount, 4);
    assert.equal(node.pool.pendingCount, 0);
    assert.equal(node.pendingNonce(DEV[0].address), 0n, 'queued nonces do not move the pending nonce');
    assert.equal(await node.sealBlock(), null, 'nothing executable');
    hashes.unshift(await node.submitRawTransaction(transfer(0, 0n)));
    assert.deepEqual(pending, hashes, 'nonce 0, then the four it made executable, each once');
    assert.equal(node.pool.pendingCount, 5);
    assert.equal(node.pool.queuedCount, 0);
    assert.equal(node.pendingNonce(DEV[0].address), 5n);
    const b = await node.sealBlock();
    assert.deepEqual(b!.txHashes, hashes);
  } finally {
    await node.close();
  }
});

test('a gap that never fills stays queued and is evicted under the global cap, with a reason', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', mempool: { maxQueued: 4, maxQueuedPerSender: 2 } });
  const dropped: { hash: Hex; reason: string }[] = [];
  node.events.on('dropped', (d) => dropped.push(d));
  try {
    const gap = await node.submitRawTransaction(transfer(0, 5n));
    await node.submitRawTransaction(transfer(1, 0n));
    assert.ok(await node.sealBlock());
    assert.ok(node.pool.has(gap), 'still queued after a block');
    await node.submitRawTransaction(transfer(1, 3n));
    await node.submitRawTransaction(transfer(2, 2n));
    // Per-sender cap: a third future nonce of DEV[1] is refused with what to do.
    await node.submitRawTransaction(transfer(1, 4n));
    await assert.rejects(node.submitRawTransaction(transfer(1, 5n)), /sender .* has 2 queued transactions waiting for lower nonces \(limit 2\); send the missing nonce 1 first/);
    assert.equal(node.pool.queuedCount, 4);
    // Global cap: the longest-waiting sender (DEV[0]) loses its highest nonce.
    await node.submitRawTransaction(transfer(3, 7n));
    assert.equal(node.pool.has(gap), false);
    assert.equal(node.pool.queuedCount, 4);
    assert.deepEqual(dropped.map((d) => d.hash), [gap]);
    assert.equal(dropped[0].hash, gap);
    assert.match(dropped[0].reason, /queued pool full \(4 future-nonce transactions\)/);
    assert.equal(await node.getTransaction(gap), null);
  } finally {
    await node.close();
  }
});

test('replacing a queued tx needs the price bump', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const first = await node.submitRawTransaction(transfer(0, 3n, 1_000_000_000n));
    await assert.rejects(node.submitRawTransaction(transfer(0, 3n, 1_050_000_000n)), /replacement transaction underpriced/);
    const second = await node.submitRawTransaction(signTx(DEV[0], { nonce: 3n, to: DEV[9].address, value: 1n, gasLimit: 21000n, maxPriorityFeePerGas: 1_100_000_000n, maxFeePerGas: 11_000_000_000n }));
    assert.equal(node.pool.has(first), false);
    assert.equal(node.pool.isQueued(node.pool.get(second)!), true);
  } finally {
    await node.close();
  }
});

test('reconcile: an account nonce that moves past a gap promotes the queued run and drops used nonces', () => {
  const pool = new Mempool();
  const tx = (n: bigint) => txFromStored(transfer(0, n), DEV[0].address, 42069n);
  pool.add(tx(0n), 0n, 0n);
  const q2 = tx(2n);
  pool.add(q2, 0n, 0n);
  pool.add(tx(3n), 0n, 0n);
  assert.equal(pool.pendingCount, 1);
  assert.equal(pool.queuedCount, 2);
  // Nonces 0 and 1 were used elsewhere (e.g. an L1 forced transaction): 0 is stale, 2 and 3 become pending.
  const promoted: bigint[] = [];
  const stale = pool.reconcile(() => 2n, (e) => promoted.push(e.tx.exec.nonce));
  assert.deepEqual(promoted, [2n, 3n]);
  assert.equal(stale.length, 1);
  assert.match(stale[0].reason, /nonce 0 .* was used by another transaction/);
  assert.deepEqual(pool.queue(DEV[0].address).map((e) => e.tx.exec.nonce), [2n, 3n]);
  assert.equal(pool.queuedCount, 0);
  // A pending run cut in the middle goes back to waiting.
  pool.remove(q2.exec.hash);
  pool.reconcile(() => 2n, (e) => promoted.push(e.tx.exec.nonce));
  assert.deepEqual(promoted, [2n, 3n], 'nothing was promoted');
  assert.equal(pool.pendingCount, 0);
  assert.deepEqual(pool.queuedOf(DEV[0].address).map((e) => e.tx.exec.nonce), [3n]);
});

test('a block that moves the account nonce (a forced L1 transaction) promotes the queued tx; the next block mines it', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  const pending: Hex[] = [];
  node.events.on('pendingTransaction', (h) => pending.push(h));
  try {
    const waiting = await node.submitRawTransaction(transfer(4, 1n));
    assert.deepEqual(pending, []);
    assert.ok(node.pool.isQueued(node.pool.get(waiting)!));
    const zero = `0x${'00'.repeat(32)}` as Hex;
    const forced = bytesToHex(transfer(4, 0n)) as Hex;
    await node.depositSink().accept({ queueIndex: 0n, kind: QUEUE_L2_TX, l1Sender: DEV[8].address, to: DEV[4].address, value: 0n, data: forced, l1Timestamp: 1n, accumulator: zero, l1BlockNumber: 1n, l1TxHash: zero });
    assert.ok(await node.sealBlock());
    assert.equal(node.getState().getAccount(DEV[4].address)?.nonce, 1n, 'the forced transaction used nonce 0');
    assert.equal(node.pool.isQueued(node.pool.get(waiting)!), false, 'promoted once nonce 0 is used');
    assert.deepEqual(pending, [waiting], 'announced pending when the block promoted it');
    const second = await node.sealBlock();
    assert.deepEqual(second!.txHashes, [waiting]);
  } finally {
    await node.close();
  }
});

test('queued txs are persisted and restored as queued; used nonces are dropped at restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-queued-'));
  try {
    let node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    const pending = await node.submitRawTransaction(transfer(0, 0n));
    const waiting = await node.submitRawTransaction(transfer(0, 2n));
    const far = await node.submitRawTransaction(transfer(1, 9n));
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    assert.equal(node.pool.pendingCount, 1);
    assert.equal(node.pool.queuedCount, 2);
    assert.ok(node.pool.isQueued(node.pool.get(waiting)!));
    assert.ok(node.pool.isQueued(node.pool.get(far)!));
    await node.submitRawTransaction(transfer(0, 1n));
    const b = await node.sealBlock();
    assert.equal(b!.txHashes.length, 3);
    assert.equal(b!.txHashes[0], pending);
    assert.equal(b!.txHashes[2], waiting);
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    assert.equal(node.pool.size, 1, 'only the far gap is left');
    assert.ok(node.pool.has(far));
    await node.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
