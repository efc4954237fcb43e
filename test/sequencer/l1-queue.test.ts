// The L1 seams: queue items accepted by the deposit sink are persisted, applied at the start of the next
// block (deposits minted, forced txs executed or skipped), recorded as queueIndexAfter, served by the
// batch source; every block equals a serial @ethereumjs/vm replay that applies the same items first.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { devGenesis } from '../../sequencer/genesis/dev.js';
import { QUEUE_ETH_DEPOSIT, QUEUE_L2_TX, type L1QueueItem } from '../../sequencer/l1/types.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { bytesToHex, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { SerialOracle } from './oracle.js';
import { DEV, signTx } from './helpers.js';

const ZERO32 = `0x${'00'.repeat(32)}` as Hex;
function item(queueIndex: bigint, kind: 0 | 1, to: Address, value: bigint, data: Hex = '0x'): L1QueueItem {
  return { queueIndex, kind, l1Sender: DEV[8].address, to, value, data, l1Timestamp: 1n, accumulator: ZERO32, l1BlockNumber: 1n, l1TxHash: ZERO32 };
}

test('deposits and forced txs: persisted, applied first, skipped when invalid, served to the batcher, equal to serial', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-l1-'));
  const genesis = devGenesis();
  try {
    let node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand' });
    const sink = node.depositSink();
    assert.equal(await sink.nextQueueIndex(), 0n);
    const fresh = '0x00000000000000000000000000000000000d3b17' as Address;
    const items = [
      item(0n, QUEUE_ETH_DEPOSIT, fresh, 5n * 10n ** 18n),
      // A forced transfer from DEV[3] (nonce 0), a garbage one and one with a wrong nonce: the last two are skipped.
      item(1n, QUEUE_L2_TX, DEV[3].address, 0n, bytesToHex(signTx(DEV[3], { nonce: 0n, to: fresh, value: 7n, gasLimit: 21000n })) as Hex),
      item(2n, QUEUE_L2_TX, DEV[3].address, 0n, '0xdeadbeef'),
      item(3n, QUEUE_L2_TX, DEV[3].address, 0n, bytesToHex(signTx(DEV[3], { nonce: 9n, to: fresh, value: 1n, gasLimit: 21000n })) as Hex),
    ];
    for (const it of items) await sink.accept(it);
    await assert.rejects(sink.accept(item(7n, QUEUE_ETH_DEPOSIT, fresh, 1n)), /out of order/);
    // Survives a restart before any block.
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand' });
    assert.equal(await node.depositSink().nextQueueIndex(), 4n);
    assert.equal(node.pendingQueueItems().length, 4);
    // A pool tx of DEV[3] with nonce 0 becomes stale once the forced tx used that nonce; DEV[4]'s is mined.
    const stale = await node.submitRawTransaction(signTx(DEV[3], { nonce: 0n, to: DEV[5].address, value: 1n, gasLimit: 21000n }));
    const normal = await node.submitRawTransaction(signTx(DEV[4], { nonce: 0n, to: fresh, value: 3n, gasLimit: 21000n }));
    const b1 = await node.sealBlock();
    assert.deepEqual(b1!.txHashes, [normal]);
    assert.equal(node.pool.has(stale), false, 'stale pool tx dropped');
    assert.equal(node.getState().getAccount(fresh)?.balance, 5n * 10n ** 18n + 7n + 3n);
    assert.equal(node.getState().getAccount(DEV[3].address)?.nonce, 1n);
    // An empty block still consumes newly queued items.
    await node.depositSink().accept(item(4n, QUEUE_ETH_DEPOSIT, fresh, 1n));
    const b2 = await node.sealBlock();
    assert.ok(b2, 'a block is sealed for queue items alone');
    assert.equal(b2.txHashes.length, 0);
    const blocks = await node.batchSource().getSealedBlocks(1n, 2n);
    assert.deepEqual(blocks.map((b) => b.queueIndexAfter), [4n, 5n]);
    assert.deepEqual(blocks[0].txs, [bytesToHex((await node.getTransaction(normal))!.tx.raw)]);
    assert.equal(blocks[1].stateRoot, b2.header.stateRoot);
    assert.equal(blocks[1].parentHash, b1!.header.hash);
    assert.equal(await node.batchSource().latestSealedBlockNumber(), 2n);
    const oracle = await SerialOracle.create(genesis);
    await oracle.replay(node, 1n, items);
    await oracle.replay(node, 2n, [item(4n, QUEUE_ETH_DEPOSIT, fresh, 1n)]);
    await node.close();
    node = await SequencerNode.open({ dataDir: dir, genesis, sealMode: 'on-demand' });
    assert.equal(node.pendingQueueItems().length, 0, 'applied items are not applied again after restart');
    assert.equal(await node.depositSink().nextQueueIndex(), 5n);
    assert.equal(await node.sealBlock(), null);
    await node.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
