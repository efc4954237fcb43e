// Mempool: priority by effective tip, replacement with a price bump, eviction of the cheapest tail when
// full, persistence (an accepted tx survives a restart without a block), pending lookups and nonces.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IngressError } from '../../sequencer/ingress/errors.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { DEV, signTx } from './helpers.js';

const gwei = 1_000_000_000n;
const transfer = (i: number, nonce: bigint, tip: bigint, fee = 10n * gwei) =>
  signTx(DEV[i], { nonce, to: DEV[9].address, value: 1n, gasLimit: 21000n, maxPriorityFeePerGas: tip, maxFeePerGas: fee });

test('priority: block order follows effective tip (one tx per sender per round), FIFO among equals', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const low = await node.submitRawTransaction(transfer(0, 0n, 1n * gwei));
    const high = await node.submitRawTransaction(transfer(1, 0n, 3n * gwei));
    const mid1 = await node.submitRawTransaction(transfer(2, 0n, 2n * gwei));
    const mid2 = await node.submitRawTransaction(transfer(3, 0n, 2n * gwei));
    // Effective tip is capped by feeCap - baseFee: a huge tip with a low cap ranks low.
    const cap = node.nextBlockEnv().baseFee + gwei / 2n;
    const capped = await node.submitRawTransaction(transfer(4, 0n, cap, cap));
    assert.deepEqual(node.pendingTransactions(), [high, mid1, mid2, low, capped]);
    const b = await node.sealBlock();
    assert.deepEqual(b!.txHashes, [high, mid1, mid2, low, capped]);
  } finally {
    await node.close();
  }
});

test('replacement needs a 10% bump on fee cap and tip; the replaced tx is gone', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const first = await node.submitRawTransaction(transfer(0, 0n, 1n * gwei, 10n * gwei));
    await assert.rejects(node.submitRawTransaction(transfer(0, 0n, 11n * gwei / 10n, 10n * gwei)), (e: IngressError) => e.code === 'REPLACEMENT_UNDERPRICED');
    const second = await node.submitRawTransaction(transfer(0, 0n, 11n * gwei / 10n, 11n * gwei));
    assert.equal(await node.getTransaction(first), null);
    assert.equal((await node.getTransaction(second))?.location, undefined, 'pending');
    assert.equal(node.pool.size, 1);
    const b = await node.sealBlock();
    assert.deepEqual(b!.txHashes, [second]);
    const mined = await node.getTransaction(second);
    assert.equal(mined?.location?.blockNumber, 1n);
  } finally {
    await node.close();
  }
});

test('pool full: a better-paying tx evicts the cheapest queue tail, a cheaper one is refused', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', mempool: { maxSize: 3 } });
  try {
    const a = await node.submitRawTransaction(transfer(0, 0n, 2n * gwei));
    const b = await node.submitRawTransaction(transfer(1, 0n, 1n * gwei));
    await node.submitRawTransaction(transfer(2, 0n, 3n * gwei));
    await assert.rejects(node.submitRawTransaction(transfer(3, 0n, 1n * gwei)), (e: IngressError) => e.code === 'POOL_FULL');
    const d = await node.submitRawTransaction(transfer(3, 0n, 5n * gwei));
    assert.equal(node.pool.size, 3);
    assert.equal(await node.getTransaction(b), null, 'cheapest evicted');
    assert.ok(await node.getTransaction(a));
    assert.ok(await node.getTransaction(d));
  } finally {
    await node.close();
  }
});

test('persistence: accepted txs survive close/reopen without a block, then mine; nonces continue', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-pool-'));
  try {
    let node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    const hashes: Hex[] = [];
    for (let n = 0n; n < 3n; n++) hashes.push(await node.submitRawTransaction(transfer(0, n, gwei)));
    hashes.push(await node.submitRawTransaction(transfer(1, 0n, gwei)));
    assert.equal(node.pendingNonce(DEV[0].address), 3n);
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    assert.equal(node.pool.size, 4);
    assert.equal(node.pendingNonce(DEV[0].address), 3n);
    for (const h of hashes) assert.ok(await node.getTransaction(h), `${h} pending after reopen`);
    const b = await node.sealBlock();
    assert.equal(b!.txHashes.length, 4);
    const root = node.head().header.stateRoot;
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    assert.equal(node.pool.size, 0);
    assert.equal(node.blockNumber(), 1n);
    assert.equal(node.head().header.stateRoot, root);
    assert.equal(node.pendingNonce(DEV[0].address), 3n);
    for (const h of hashes) assert.equal((await node.getReceipt(h))?.status, 1);
    await node.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('interval mode seals by itself and announces durable blocks', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'interval', blockTimeMs: 20 });
  try {
    const got = new Promise<bigint>((resolve) => node.events.once('block', (b) => resolve(b.header.number)));
    const h = await node.submitRawTransaction(transfer(0, 0n, gwei));
    assert.equal(await got, 1n);
    const r = await node.getReceipt(h);
    assert.equal(r?.blockNumber, 1n, 'receipt readable when the block event fires');
  } finally {
    await node.close();
  }
});

test('a tx that cannot pay at execution stays pending (not lost) and is mined once the sender is funded', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const poor = ('0x' + '77'.repeat(32)) as Hex;
    const { privateKeyToAccount } = await import('viem/accounts');
    const poorAddr = privateKeyToAccount(poor).address.toLowerCase() as Hex;
    // Fund the poor account with exactly enough for one transfer of 0.5 ETH.
    const fee = 21000n * 10n * gwei;
    await node.submitRawTransaction(signTx(DEV[0], { nonce: 0n, to: poorAddr, value: 10n ** 18n / 2n + fee * 2n, gasLimit: 21000n }));
    assert.ok(await node.sealBlock());
    // Both pass ingress (each alone is affordable), the second cannot pay after the first.
    const a = await node.submitRawTransaction(signTx(poor, { nonce: 0n, to: DEV[9].address, value: 10n ** 18n / 2n, gasLimit: 21000n, maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: gwei }));
    const b = await node.submitRawTransaction(signTx(poor, { nonce: 1n, to: DEV[9].address, value: 10n ** 18n / 4n, gasLimit: 21000n, maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: gwei }));
    const block = await node.sealBlock();
    assert.deepEqual(block!.txHashes, [a]);
    assert.ok(node.pool.has(b), 'unaffordable tx kept pending');
    assert.equal(await node.sealBlock(), null, 'nothing else can be sealed yet');
    assert.ok(node.pool.has(b));
    await node.submitRawTransaction(signTx(DEV[1], { nonce: 0n, to: poorAddr, value: 10n ** 18n, gasLimit: 21000n }));
    const b2 = await node.sealBlock();
    assert.ok(b2!.txHashes.includes(b) || (await node.sealBlock())!.txHashes.includes(b), 'mined after funding');
    assert.equal((await node.getReceipt(b))?.status, 1);
  } finally {
    await node.close();
  }
});
