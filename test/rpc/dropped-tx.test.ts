// An acknowledged transaction evicted from a full pool by a higher-tip one (issue #18, item 10): the node
// emits 'dropped', the console counts it, and eth_getTransactionByHash / eth_getTransactionReceipt answer a
// -32000 error saying it was dropped (data.dropped = true) instead of null forever, so a wallet stops waiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { createPublicClient, http } from 'viem';
import { startConsole } from '../../sequencer/console/index.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer } from '../../sequencer/rpc/server.js';
import { bytesToHex, type Hex } from '../../sequencer/primitives/types.js';
import { keccak256 } from '../../sequencer/primitives/keccak.js';
import { DEV, signTx } from '../sequencer/helpers.js';

async function call(url: string, method: string, params: unknown[]) {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return (await r.json()) as { result?: unknown; error?: { code: number; message: string; data?: { dropped?: boolean; reason?: string } } };
}

test('an evicted transaction is logged, counted and answered as dropped', { timeout: 60_000 }, async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand', mempool: { maxSize: 3 } });
  const rpc = await startRpcServer({ node, port: 0 });
  const con = await startConsole({ node, port: 0, logger: pino({ level: 'silent' }) });
  const events: { hash: Hex; reason: string }[] = [];
  node.events.on('dropped', (d) => events.push(d));
  try {
    const cheap = [0, 1, 2].map((i) => signTx(DEV[i], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 21_000n, maxPriorityFeePerGas: 1_000_000_000n + BigInt(i) }));
    for (const raw of cheap) await node.submitRawTransaction(raw);
    const victim = bytesToHex(keccak256(cheap[0])) as Hex;
    const rich = await node.submitRawTransaction(signTx(DEV[3], { nonce: 0n, to: DEV[9].address, value: 1n, gasLimit: 21_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 5_000_000_000n }));
    assert.deepEqual(events.map((e) => e.hash), [victim]);
    assert.match(events[0].reason, new RegExp(`^evicted: the pool is full and ${rich}`));

    for (const method of ['eth_getTransactionByHash', 'eth_getTransactionReceipt']) {
      const r = await call(rpc.url, method, [victim]);
      assert.equal(r.error?.code, -32000, method);
      assert.match(r.error!.message, new RegExp(`transaction ${victim} was dropped from the pool: evicted`));
      assert.equal(r.error!.data?.dropped, true);
    }
    assert.equal((await call(rpc.url, 'eth_getTransactionReceipt', [`0x${'11'.repeat(32)}`])).result, null, 'unknown hashes stay null');
    // A wallet waiting on it fails with the reason instead of polling forever.
    const client = createPublicClient({ transport: http(rpc.url) });
    await assert.rejects(client.waitForTransactionReceipt({ hash: victim, pollingInterval: 50, timeout: 10_000, retryCount: 0 }), /dropped from the pool/);

    const metrics = await (await fetch(`${con.url}/metrics`)).text();
    assert.match(metrics, /sequencer_mempool_dropped_total\{reason="evicted"\} 1/);

    // Sent again (and accepted, the pool having room after a block): pending again, not "dropped".
    await node.sealBlock();
    await node.submitRawTransaction(cheap[0]);
    assert.equal((await call(rpc.url, 'eth_getTransactionReceipt', [victim])).result, null);
  } finally {
    await con.close();
    await rpc.close();
    await node.close();
  }
});
