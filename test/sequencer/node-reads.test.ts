// The node's read API: blocks by number/hash (hashes and full txs), tx lookup, receipts with logs and
// contract address, getLogs filters, call/estimateGas, feeHistory, events order (block after durable).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import { bytesToHex, toWord, type Hex } from '../../sequencer/primitives/types.js';
import { DEV, signTx } from './helpers.js';
import { COUNTER, initCode } from './workload.js';

test('reads: blocks, txs, receipts, logs, call, estimateGas, feeHistory', async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  try {
    const events: string[] = [];
    node.events.on('pendingTransaction', () => events.push('pending'));
    node.events.on('block', () => events.push('block'));
    node.events.on('logs', () => events.push('logs'));
    const deploy = await node.submitRawTransaction(signTx(DEV[0], { nonce: 0n, to: null, data: initCode(COUNTER), gasLimit: 200_000n }));
    const b1 = await node.sealBlock();
    const r1 = await node.getReceipt(deploy);
    assert.ok(r1?.contractAddress);
    const counter = r1.contractAddress;
    assert.equal(bytesToHex(node.getState().getAccount(counter)!.code), bytesToHex(COUNTER));
    const calls: Hex[] = [];
    for (let i = 0; i < 3; i++) calls.push(await node.submitRawTransaction(signTx(DEV[1 + i], { nonce: 0n, to: counter, gasLimit: 100_000n })));
    const b2 = await node.sealBlock(true);
    assert.equal(b2!.txHashes.length, 3);
    assert.deepEqual(events.slice(0, 3), ['pending', 'block', 'pending']);
    assert.ok(events.includes('logs'));

    // Blocks by number and hash, with full transactions.
    const byNum = await node.getBlockByNumber(2n, true);
    const byHash = await node.getBlockByHash(b2!.header.hash, true);
    assert.deepEqual(byNum?.header, byHash?.header);
    assert.equal(byNum?.header.parentHash, b1!.header.hash);
    assert.deepEqual(byNum?.txs?.map((t) => t.hash), b2!.txHashes);
    assert.equal(byNum?.txs?.[0].to, counter);
    assert.equal(await node.getBlockByNumber(99n), null);
    const look = await node.getTransaction(calls[1]);
    assert.equal(look?.location?.blockNumber, 2n);
    assert.equal(look?.tx.hash, calls[1]);
    assert.ok(look?.effectiveGasPrice && look.effectiveGasPrice > 0n);

    // Receipts and logs: counter emits LOG1(value, topic = caller).
    const receipts = await Promise.all(calls.map((h) => node.getReceipt(h)));
    assert.deepEqual(receipts.map((r) => r!.logs[0].logIndex), [0, 1, 2]);
    assert.ok(receipts[2]!.cumulativeGasUsed > receipts[0]!.cumulativeGasUsed);
    const all = await node.getLogs({ fromBlock: 0n, toBlock: 2n, addresses: [counter] });
    assert.equal(all.length, 3);
    const one = await node.getLogs({ fromBlock: 2n, toBlock: 2n, topics: [[toWord(BigInt(DEV[2].address))]] });
    assert.equal(one.length, 1);
    assert.equal(one[0].txHash, calls[1]);
    assert.equal((await node.getLogs({ blockHash: b1!.header.hash })).length, 0);

    // call (no commit) sees the committed counter (3) and increments it only in the call.
    const slot0 = node.getState().getStorage(counter, toWord(0n));
    assert.equal(slot0, 3n);
    const c = await node.call({ from: DEV[5].address, to: counter });
    assert.ok(c.ok && c.status === 'success');
    assert.equal(node.getState().getStorage(counter, toWord(0n)), 3n, 'call did not commit');
    const rev = await node.call({ to: counter, data: new Uint8Array([0xff]) });
    assert.ok(rev.ok && rev.status === 'revert');
    const gas = await node.estimateGas({ from: DEV[5].address, to: counter });
    assert.ok(gas > 21000n && gas < 100_000n, `estimate ${gas}`);
    const tooLittle = await node.call({ from: DEV[5].address, to: counter, gas: gas - 1n });
    assert.ok(tooLittle.ok && tooLittle.status !== 'success', 'estimate is the minimum');

    // Fee history and base fee evolution (EIP-1559 from the genesis 1 gwei).
    const fh = await node.feeHistory(3, 2n);
    assert.deepEqual(fh.map((f) => f.number), [0n, 1n, 2n]);
    assert.equal(fh[0].baseFeePerGas, 1_000_000_000n);
    assert.equal(fh[1].baseFeePerGas, 875_000_000n);
    assert.equal(fh[2].tips.length, 3);
    assert.equal(node.nextBlockEnv().baseFee < fh[2].baseFeePerGas, true);
    // stateAt: block 1 had the contract but no increments.
    assert.equal(node.stateAt(1n)!.getStorage(counter, toWord(0n)), 0n);
    assert.equal(node.stateAt(0n)!.getAccount(counter), undefined);
  } finally {
    await node.close();
  }
});
