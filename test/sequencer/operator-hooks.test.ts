// Operator hooks used by the console: pause/resume interval sealing, block time, gas limit, dropSender,
// the 'rejected' event, and hot conflict keys in the block statistics.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import { DEV, signTx } from './helpers.js';
import { ADDR, makeSenders, workloadGenesis } from './workload.js';

test('pause stops interval sealing, dropSender removes a queue, resume seals again', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'interval', blockTimeMs: 20 });
  try {
    await node.pause();
    assert.equal(node.paused, true);
    const keep = await node.submitRawTransaction(signTx(DEV[0], { nonce: 0n, to: DEV[9].address, gasLimit: 21000n }));
    for (let n = 0n; n < 3n; n++) await node.submitRawTransaction(signTx(DEV[1], { nonce: n, to: DEV[9].address, gasLimit: 21000n }));
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(node.blockNumber(), 0n, 'no block while paused');
    const gone = await node.dropSender(DEV[1].address);
    assert.equal(gone.length, 3);
    assert.equal(node.pendingNonce(DEV[1].address), 0n);
    node.setGasLimit(20_000_000n);
    assert.equal(node.nextBlockEnv().gasLimit, 20_000_000n);
    node.setBlockTime(30);
    assert.equal(node.blockTimeMs, 30);
    const sealed = new Promise((r) => node.events.once('block', r));
    node.resume();
    await sealed;
    assert.deepEqual(node.head().txHashes, [keep]);
    assert.equal(node.head().header.gasLimit, 20_000_000n);
    const rejected: string[] = [];
    node.events.on('rejected', (r) => rejected.push(r.code));
    await assert.rejects(node.submitRawTransaction(new Uint8Array([1, 2, 3])));
    assert.deepEqual(rejected, ['MALFORMED']);
  } finally {
    await node.close();
  }
});

test('block statistics name the hot keys', async () => {
  const senders = makeSenders(6, 3);
  const node = await SequencerNode.open({ dataDir: ':memory:', genesis: workloadGenesis(senders), sealMode: 'on-demand', scheduler: { predictConflicts: false } });
  try {
    await node.submitRawTransactions(senders.map((s) => signTx(s.key, { nonce: 0n, to: ADDR.counter, gasLimit: 80_000n })));
    await node.sealBlock();
    const stats = node.recentStats().at(-1)!;
    assert.ok(stats.conflicts > 0);
    assert.ok(stats.hotKeys?.some((k) => k.key.startsWith(`s:${ADDR.counter}:`)), JSON.stringify(stats.hotKeys));
  } finally {
    await node.close();
  }
});
