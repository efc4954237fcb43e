// The block builder's byte cap (SchedulerOptions.maxBlockBytes): a drain is cut into blocks whose
// transactions fit what one batch carries, and a transaction larger than the cap still gets a block alone.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { DEV, signTx } from './helpers.js';

test('blocks stay within maxBlockBytes; an oversized transaction is sealed alone', async () => {
  const cap = 8_000;
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', scheduler: { maxBlockBytes: cap } });
  try {
    const raws: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) raws.push(signTx(DEV[i % 4], { nonce: BigInt(Math.floor(i / 4)), to: DEV[9].address, value: 1n, gasLimit: 21_000n }));
    const big = signTx(DEV[5], { nonce: 0n, to: DEV[9].address, data: randomBytes(cap + 1_000), gasLimit: 1_000_000n });
    const results = await node.submitRawTransactions([...raws, big]);
    assert.equal(results.filter((r) => 'error' in r).length, 0);
    const sizes = new Map<string, number>([...raws, big].map((r, i) => [(results[i] as { hash: string }).hash, r.length]));
    let sealed = 0;
    let alone = false;
    for (let b = await node.sealBlock(); b !== null; b = await node.sealBlock()) {
      const bytes = b.txHashes.reduce((n, h) => n + sizes.get(h)!, 0);
      if (b.txHashes.includes((results[200] as { hash: Hex }).hash)) {
        assert.equal(b.txHashes.length, 1, 'the oversized transaction is alone in its block');
        alone = true;
      } else assert.ok(bytes <= cap, `block ${b.header.number} carries ${bytes} bytes > ${cap}`);
      sealed += b.txHashes.length;
    }
    assert.equal(sealed, 201);
    assert.ok(alone);
    const transferBytes = raws.reduce((n, r) => n + r.length, 0);
    assert.ok(node.blockNumber() >= BigInt(Math.ceil(transferBytes / cap)) + 1n, `${transferBytes} bytes of transfers in ${node.blockNumber()} blocks`);
  } finally {
    await node.close();
  }
});
