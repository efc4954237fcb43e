// The pool's queued part end to end with viem over JSON-RPC: out-of-order nonces (40 concurrent sends, a
// reversed batch) are all mined in nonce order; a gap that never fills is listed by txpool_* and evicted
// under the caps with a reason; queued transactions survive SIGKILL and restart. Responses are checked
// against the execution-apis shapes.
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createPublicClient, createWalletClient, defineChain, getAddress, http, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import * as schema from '../support/rpc-schema.js';

const chain = defineChain({ id: 42069, name: 'test', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: ['http://127.0.0.1'] } } });
const DEV = devAccounts(10);
const sink = privateKeyToAccount(`0x${'11'.repeat(32)}`).address;

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

function clients(url: string, key: Hex) {
  const account = privateKeyToAccount(key);
  return { pub: createPublicClient({ chain, transport: http(url) }), wallet: createWalletClient({ chain, transport: http(url), account }), account };
}

/** Asserts the receipts' (block, index) order follows the nonce order. */
function assertNonceOrder(receipts: { blockNumber: bigint; transactionIndex: number }[]): void {
  for (let i = 1; i < receipts.length; i++) {
    const a = receipts[i - 1];
    const b = receipts[i];
    assert.ok(a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.transactionIndex < b.transactionIndex), `nonce ${i} mined after nonce ${i - 1}`);
  }
}

describe('queued nonces over JSON-RPC (viem)', { timeout: 120_000 }, () => {
  let dir: string;
  let node: SequencerNode;
  let server: RpcServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seq-txpool-'));
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'interval', blockTimeMs: 50 });
    server = await startRpcServer({ node, port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('40 concurrent sends with consecutive explicit nonces are all mined, in nonce order', async () => {
    const { pub, wallet, account } = clients(server.url, DEV[1].privateKey);
    const start = await pub.getTransactionCount({ address: account.address, blockTag: 'pending' });
    // Sign first, then send all at once: HTTP requests arrive in any order.
    const raws = await Promise.all(Array.from({ length: 40 }, (_, i) => wallet.signTransaction({ to: sink, value: BigInt(i + 1), nonce: start + i, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n })));
    const hashes = await Promise.all(raws.reverse().map((serializedTransaction) => wallet.sendRawTransaction({ serializedTransaction })));
    hashes.reverse();
    const receipts = await Promise.all(hashes.map((hash) => pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })));
    assert.ok(receipts.every((r) => r.status === 'success'));
    assertNonceOrder(receipts);
    assert.equal(await pub.getTransactionCount({ address: account.address }), start + 40);
  });

  it('a JSON-RPC batch of 5 in reverse nonce order is all mined, in nonce order', async () => {
    const { pub, wallet, account } = clients(server.url, DEV[2].privateKey);
    const raws = [];
    for (let n = 0; n < 5; n++) raws.push(await wallet.signTransaction({ to: sink, value: 1n, nonce: n, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n }));
    const batch = raws.map((raw, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [raw] })).reverse();
    const res = (await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })).json()) as { id: number; result?: Hex; error?: unknown }[];
    assert.ok(res.every((r) => r.result), JSON.stringify(res));
    const hashes = res.sort((a, b) => a.id - b.id).map((r) => r.result!);
    const receipts = await Promise.all(hashes.map((hash) => pub.waitForTransactionReceipt({ hash, pollingInterval: 50 })));
    assertNonceOrder(receipts);
    assert.equal(await pub.getTransactionCount({ address: account.address }), 5);
  });

});

describe('a gap that never fills', { timeout: 60_000 }, () => {
  let node: SequencerNode;
  let server: RpcServer;
  before(async () => {
    node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'interval', blockTimeMs: 50, mempool: { maxQueued: 6 } });
    server = await startRpcServer({ node, port: 0 });
  });
  after(async () => {
    await server?.close();
    await node?.close();
  });

  it('stays queued, is listed by txpool_*, and is evicted under the global cap with a reason', async () => {
    const { wallet, account } = clients(server.url, DEV[3].privateKey);
    const gapHash = await wallet.sendTransaction({ to: sink, value: 7n, nonce: 3, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    // Blocks go by; the gap stays.
    await node.sealBlock(true);
    await node.sealBlock(true);
    const status = await rpc(server.url, 'txpool_status');
    schema.validate(schema.txpoolStatus, status, 'txpool_status');
    assert.equal(status.queued, '0x1');
    const content = await rpc(server.url, 'txpool_content');
    schema.validate(schema.txpoolContent, content, 'txpool_content');
    const mine = content.queued[getAddress(account.address)];
    assert.equal(mine['3'].hash, gapHash);
    assert.equal(mine['3'].value, '0x7');
    assert.deepEqual(content.pending, {});
    const from = await rpc(server.url, 'txpool_contentFrom', [account.address]);
    schema.validate(schema.txpoolContentFrom, from, 'txpool_contentFrom');
    assert.equal(from.queued['3'].hash, gapHash);
    const inspect = await rpc(server.url, 'txpool_inspect');
    schema.validate(schema.txpoolInspect, inspect, 'txpool_inspect');
    assert.equal(inspect.queued[getAddress(account.address)]['3'], `${getAddress(sink)}: 7 wei + 21000 gas × 10000000000 wei`);
    const tx = await rpc(server.url, 'eth_getTransactionByHash', [gapHash]);
    schema.validate(schema.transactionInfo(false), tx, 'queued tx');

    // Fill the queued cap (6) from other senders: the longest-waiting sender's gap goes first.
    const dropped = new Promise<{ hash: Hex; reason: string }>((resolve) => node.events.on('dropped', resolve));
    for (let i = 4; i < 10; i++) {
      const { wallet: w } = clients(server.url, DEV[i].privateKey);
      await w.sendTransaction({ to: sink, value: 1n, nonce: 50, gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    }
    const d = await dropped;
    assert.equal(d.hash, gapHash);
    assert.match(d.reason, /queued pool full \(6 future-nonce transactions\)/);
    const after = await rpc(server.url, 'txpool_content');
    assert.equal(after.queued[getAddress(account.address)], undefined);
    assert.equal(Object.keys(after.queued).length, 6);
    assert.equal(await rpc(server.url, 'eth_getTransactionByHash', [gapHash]), null);
  });
});

it('queued transactions survive SIGKILL and restart', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-txpool-kill-'));
  try {
    const child = fork(fileURLToPath(new URL('./support/rpc-node-child.ts', import.meta.url)), [dir, '50'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { url: string }) => resolve(m.url));
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const { wallet } = clients(url, DEV[5].privateKey);
    const fee = { gas: 21000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n };
    const queued = [await wallet.sendTransaction({ to: sink, value: 1n, nonce: 2, ...fee }), await wallet.sendTransaction({ to: sink, value: 1n, nonce: 3, ...fee })];
    assert.equal((await rpc(url, 'txpool_status')).queued, '0x2');
    child.kill('SIGKILL');
    await exited;

    const node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    const server = await startRpcServer({ node, port: 0 });
    try {
      const content = await rpc(server.url, 'txpool_content');
      assert.deepEqual(Object.values(content.queued[getAddress(DEV[5].address)]).map((t: any) => t.hash), queued);
      // Filling the gap promotes both; one block mines all three in nonce order.
      const { wallet: w2 } = clients(server.url, DEV[5].privateKey);
      const first = await w2.sendTransaction({ to: sink, value: 1n, nonce: 0, ...fee });
      assert.equal((await rpc(server.url, 'txpool_status')).queued, '0x2', 'nonce 1 still missing');
      const second = await w2.sendTransaction({ to: sink, value: 1n, nonce: 1, ...fee });
      assert.deepEqual(await rpc(server.url, 'txpool_status'), { pending: '0x4', queued: '0x0' });
      const b = await node.sealBlock();
      assert.deepEqual(b!.txHashes, [first, second, ...queued]);
    } finally {
      await server.close();
      await node.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
