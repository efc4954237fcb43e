// Slow WebSocket consumers (issue #18, item 7): 20 connections subscribed to full newPendingTransactions stop
// reading while transactions pour in; each one's unread output is bounded (RpcLimits.maxWsBufferedBytes,
// 4 MiB by default) and the server drops it, while a client that reads keeps its connection and gets every
// notification.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SequencerNode } from '../../sequencer/node/node.js';
import { DEFAULT_LIMITS } from '../../sequencer/rpc/limits.js';
import { startRpcServer } from '../../sequencer/rpc/server.js';
import { DEV, signTx } from '../sequencer/helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => any;

async function subscribed(url: string): Promise<{ ws: any; notes: () => number; closed: Promise<void> }> {
  const ws = new WebSocket(url);
  let notes = 0;
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const ack = new Promise<void>((resolve) =>
    ws.on('message', (m: Buffer) => {
      const msg = JSON.parse(m.toString());
      if (msg.id === 1) resolve();
      else notes++;
    }),
  );
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newPendingTransactions', true] }));
  await ack;
  return { ws, notes: () => notes, closed };
}

test('20 connections that stop reading are dropped once 4 MiB is unread; a reading client is served in full', { timeout: 120_000 }, async () => {
  const node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
  const server = await startRpcServer({ node, port: 0 });
  try {
    const slow = await Promise.all(Array.from({ length: 20 }, () => subscribed(server.wsUrl)));
    for (const c of slow) c.ws.pause(); // stops reading from the socket: the server's output backs up
    const reader = await subscribed(server.wsUrl);
    const rssBefore = process.memoryUsage().rss;

    // 1,000 transactions with 5 KB of calldata: ~10 MB of notifications per subscriber (10 KB of hex each).
    const txs = 1_000;
    for (let i = 0; i < txs; i += 100) {
      const raws = Array.from({ length: 100 }, (_, k) => signTx(DEV[(i + k) % 8], { nonce: BigInt(Math.floor((i + k) / 8)), to: DEV[9].address, data: randomBytes(5_000), gasLimit: 200_000n }));
      const res = await node.submitRawTransactions(raws);
      assert.equal(res.filter((r) => 'error' in r).length, 0);
    }
    const deadline = Date.now() + 30_000;
    while (reader.notes() < txs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(reader.notes(), txs, 'the reading client got every notification');
    const grown = process.memoryUsage().rss - rssBefore;

    for (const c of slow) c.ws.resume();
    await Promise.race([Promise.all(slow.map((c) => c.closed)), new Promise((_, j) => setTimeout(() => j(new Error('slow consumers were not dropped')), 15_000))]);
    for (const c of slow) assert.ok(c.notes() < txs, `a dropped consumer got ${c.notes()} of ${txs}`);
    assert.equal(reader.ws.readyState, WebSocket.prototype.OPEN ?? 1, 'the reading client is still connected');
    // 20 x 4 MiB of server buffers at most, plus what the kernel holds.
    assert.ok(grown < 20 * DEFAULT_LIMITS.maxWsBufferedBytes + 200 * 1024 * 1024, `RSS grew ${Math.round(grown / 1e6)} MB`);
    console.log(JSON.stringify({ rssGrowthMB: Math.round(grown / 1e6), droppedAfter: slow.map((c) => c.notes()) }));
    reader.ws.terminate();
  } finally {
    await server.close();
    await node.close();
  }
});
