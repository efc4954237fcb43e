// A failure while sealing (here: the store refuses the block) stops production for good, with both blocks in
// flight failing and neither announced; input is refused with NodeFailedError; a restart from the store
// finds every acknowledged transaction still pending and seals it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NodeFailedError, SequencerNode } from '../../sequencer/node/node.js';
import type { Hex } from '../../sequencer/primitives/types.js';
import { DEV, signTx } from '../sequencer/helpers.js';

test('a failed persist stops the node; nothing in flight is announced; a restart seals what was acknowledged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'producer-fail-'));
  try {
    const node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand', scheduler: { maxTxs: 1 } });
    const acked: Hex[] = [];
    for (let i = 0; i < 3; i++) acked.push(await node.submitRawTransaction(signTx(DEV[i], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 21_000n })));
    assert.ok(await node.sealBlock(), 'block 1 seals');
    let announced = 0;
    node.events.on('block', () => announced++);
    node.store.commitBlock = async () => {
      throw new Error('disk full');
    };
    const [a, b] = await Promise.allSettled([node.sealBlock(), node.sealBlock()]);
    assert.equal(a.status, 'rejected');
    assert.equal(b.status, 'rejected');
    assert.ok((a as PromiseRejectedResult).reason instanceof NodeFailedError);
    assert.match(String((a as PromiseRejectedResult).reason.message), /disk full/);
    assert.equal(announced, 0, 'no block announced after the failure');
    assert.equal(node.blockNumber(), 1n);
    await assert.rejects(node.submitRawTransaction(signTx(DEV[5], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 21_000n })), NodeFailedError);
    await assert.rejects(node.sealBlock(), NodeFailedError);
    await node.close();

    const again = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    try {
      assert.equal(again.blockNumber(), 1n, 'the store holds block 1 only');
      assert.equal(again.pool.size, 2, 'the two transactions of the failed blocks are pending again');
      assert.ok(await again.sealBlock());
      for (const h of acked) assert.ok(await again.store.tx(h), `acknowledged ${h} mined after the restart`);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
