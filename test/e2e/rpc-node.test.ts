// The JSON-RPC server over a real SequencerNode in on-demand mode (blocks only when the test seals),
// for deterministic checks: filters, log caps, rejections, EIP-7966 timeouts, pending-tx subscriptions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { keccak256, parseEther, toHex, type Hex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { ethers } from 'ethers';
import { SequencerNode } from '../../sequencer/node/node.js';
import { devAccounts, devGenesis } from '../../sequencer/genesis/dev.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { compileErc20 } from './erc20.js';

const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => any;
const CHAIN_ID = 42069;
let dir: string;
let node: SequencerNode;
let server: RpcServer;
const [alice, bob, carol] = devAccounts(3);
const aliceAcct = privateKeyToAccount(alice.privateKey);

async function rpc(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return res.json();
}

let nonce = 0;
async function signTransfer(opts: { to?: Hex; value?: bigint; nonce?: number; chainId?: number; maxFeePerGas?: bigint; gas?: bigint; data?: Hex } = {}): Promise<Hex> {
  return aliceAcct.signTransaction({
    chainId: opts.chainId ?? CHAIN_ID,
    type: 'eip1559',
    to: opts.to ?? bob.address,
    value: opts.value ?? 1n,
    nonce: opts.nonce ?? nonce,
    gas: opts.gas ?? 21_000n,
    maxFeePerGas: opts.maxFeePerGas ?? 10_000_000_000n,
    maxPriorityFeePerGas: (opts.maxFeePerGas ?? 10_000_000_000n) < 1_000_000n ? 0n : 1_000_000n,
    data: opts.data,
  } as any);
}

describe('JSON-RPC over an on-demand SequencerNode', { timeout: 60_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seq-rpc-'));
    node = await SequencerNode.open({ dataDir: dir, genesis: devGenesis(), sealMode: 'on-demand' });
    server = await startRpcServer({ node, port: 0, limits: { maxLogsBlockRange: 5n, maxLogsResults: 3, sendSyncDefaultTimeoutMs: 300, gasCap: 300_000n } });
  });
  after(async () => {
    await server?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sendRawTransaction: hash, pending lookups, pending nonce, then mined', async () => {
    const raw = await signTransfer();
    const r = await rpc('eth_sendRawTransaction', [raw]);
    assert.equal(r.result, keccak256(raw));
    const pending = (await rpc('eth_getTransactionByHash', [r.result])).result;
    assert.equal(pending.blockHash, null);
    assert.equal(pending.blockNumber, null);
    assert.equal((await rpc('eth_getTransactionReceipt', [r.result])).result, null);
    assert.equal((await rpc('eth_getTransactionCount', [alice.address, 'pending'])).result, '0x1');
    assert.equal((await rpc('eth_getTransactionCount', [alice.address, 'latest'])).result, '0x0');
    assert.equal((await rpc('eth_getBlockTransactionCountByNumber', ['pending'])).result, '0x1');
    await node.sealBlock();
    nonce++;
    const receipt = (await rpc('eth_getTransactionReceipt', [r.result])).result;
    assert.equal(receipt.status, '0x1');
    assert.equal(receipt.blockNumber, '0x1');
    const mined = (await rpc('eth_getTransactionByHash', [r.result])).result;
    assert.equal(mined.blockNumber, '0x1');
    assert.equal(mined.transactionIndex, '0x0');
    const byIndex = (await rpc('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x0'])).result;
    assert.equal(byIndex.hash, r.result);
    assert.equal((await rpc('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x1'])).result, null);
    const block = (await rpc('eth_getBlockByNumber', ['0x1', true])).result;
    assert.equal(block.transactions[0].hash, r.result);
    assert.equal((await rpc('eth_getTransactionByBlockHashAndIndex', [block.hash, '0x0'])).result.hash, r.result);
    assert.equal((await rpc('eth_getBlockTransactionCountByHash', [block.hash])).result, '0x1');
    assert.equal((await rpc('eth_getUncleCountByBlockHash', [block.hash])).result, '0x0');
    assert.equal((await rpc('eth_getBlockByNumber', ['0x99', false])).result, null);
    assert.equal((await rpc('eth_getBlockByHash', ['0x' + 'ab'.repeat(32), false])).result, null);
  });

  it('rejections carry the sequencer reason as -32000 and change nothing', async () => {
    const before = (await rpc('eth_getTransactionCount', [alice.address, 'pending'])).result;
    const cases: [Promise<Hex>, RegExp][] = [
      [signTransfer({ nonce: 0 }), /nonce too low/],
      [signTransfer({ chainId: 1 }), /chain/i],
      [signTransfer({ maxFeePerGas: 1n }), /fee|underpriced|base fee/i],
      [signTransfer({ value: parseEther('100000') }), /insufficient funds/],
      [signTransfer({ gas: 20_000n }), /intrinsic gas/],
    ];
    for (const [p, re] of cases) {
      const r = await rpc('eth_sendRawTransaction', [await p]);
      assert.equal(r.error?.code, -32000, JSON.stringify(r));
      assert.match(r.error.message, re);
    }
    for (const bad of ['0x', '0x00', '0xc0', '0x02c0', '0x' + 'ff'.repeat(100)]) {
      const r = await rpc('eth_sendRawTransaction', [bad]);
      assert.ok(r.error && (r.error.code === -32000 || r.error.code === -32602), JSON.stringify(r));
    }
    assert.equal((await rpc('eth_getTransactionCount', [alice.address, 'pending'])).result, before);
    assert.equal(node.pendingTransactions().length, 0);
  });

  it('a JSON-RPC batch of nonce-ordered transactions is accepted in order; a bad one fails alone', async () => {
    const raws: Hex[] = [];
    for (let i = 0; i < 20; i++) raws.push(await signTransfer({ nonce: nonce + i }));
    const bad = await signTransfer({ nonce: 0 });
    const body = [...raws.slice(0, 10), bad, ...raws.slice(10)].map((r, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [r] }));
    const res = (await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any[];
    assert.equal(res.length, 21);
    assert.match(res[10].error.message, /nonce too low/);
    const ok = res.filter((r) => r.result);
    assert.deepEqual(ok.map((r) => r.result), raws.map((r) => keccak256(r)), JSON.stringify(res.filter((r) => r.error)));
    await node.sealBlock();
    nonce += 20;
    assert.equal((await rpc('eth_getTransactionCount', [alice.address, 'latest'])).result, toHex(nonce));
  });

  it('eth_sendRawTransactionSync: times out with code 4 and the hash, receipt once sealed', async () => {
    const raw = await signTransfer();
    const r = await rpc('eth_sendRawTransactionSync', [raw, toHex(200)]);
    assert.equal(r.error.code, 4);
    assert.equal(r.error.data, keccak256(raw));
    await node.sealBlock();
    nonce++;
    const raw2 = await signTransfer();
    // Seal once the pool has acknowledged the transaction: its mempool row commits on the store's writer
    // thread, and a block takes only durable entries (it is visible to eth_getTransactionByHash before that).
    const acknowledged = new Promise<void>((resolve) => {
      const on = (h: Hex) => {
        if (h !== keccak256(raw2)) return;
        node.events.off('acceptedTransaction', on);
        resolve();
      };
      node.events.on('acceptedTransaction', on);
    });
    const sent = rpc('eth_sendRawTransactionSync', [raw2, 5000]);
    await acknowledged;
    await node.sealBlock();
    const r2 = await sent;
    assert.equal(r2.result?.status, '0x1', JSON.stringify(r2));
    assert.equal(r2.result.transactionHash, keccak256(raw2));
    nonce++;
  });

  it('eth_getLogs: filters by address/topics, block-range and result caps, block hash', async () => {
    const token = compileErc20();
    const deploy = await aliceAcct.signTransaction({ chainId: CHAIN_ID, type: 'eip1559', nonce, gas: 2_000_000n, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 0n, data: (token.bytecode + (10n ** 24n).toString(16).padStart(64, '0')) as Hex } as any);
    const dh = (await rpc('eth_sendRawTransaction', [deploy])).result;
    await node.sealBlock();
    nonce++;
    const tokenAddress = (await rpc('eth_getTransactionReceipt', [dh])).result.contractAddress as Hex;
    const iface = new ethers.Interface(token.abi);
    for (let i = 0; i < 4; i++) {
      const raw = await signTransfer({ to: tokenAddress, value: 0n, gas: 100_000n, data: iface.encodeFunctionData('transfer', [i % 2 === 0 ? bob.address : carol.address, 1n]) as Hex });
      assert.ok((await rpc('eth_sendRawTransaction', [raw])).result);
      await node.sealBlock();
      nonce++;
    }
    const head = BigInt((await rpc('eth_blockNumber')).result);
    const transferTopic = iface.getEvent('Transfer')!.topicHash;
    const bobTopic = ethers.zeroPadValue(bob.address, 32);
    const toBob = await rpc('eth_getLogs', [{ address: tokenAddress, topics: [transferTopic, null, bobTopic], fromBlock: toHex(head - 3n), toBlock: 'latest' }]);
    assert.equal(toBob.result?.length, 2, JSON.stringify(toBob));
    const either = await rpc('eth_getLogs', [{ address: [tokenAddress, bob.address], topics: [transferTopic, null, [bobTopic, ethers.zeroPadValue(carol.address, 32)]], fromBlock: toHex(head - 2n) }]);
    assert.equal(either.result?.length, 3, JSON.stringify(either));
    assert.deepEqual(either.result.map((l: any) => BigInt(l.blockNumber)), [head - 2n, head - 1n, head]);
    const tooMany = await rpc('eth_getLogs', [{ address: tokenAddress, fromBlock: toHex(head - 4n), toBlock: toHex(head) }]);
    assert.equal(tooMany.error.code, -32005);
    assert.match(tooMany.error.message, /more than 3 results/);
    const tooWide = await rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: toHex(head) }]);
    assert.equal(tooWide.error.code, -32005);
    assert.match(tooWide.error.message, /max block range/);
    const lastBlock = (await rpc('eth_getBlockByNumber', ['latest', false])).result;
    const byHash = await rpc('eth_getLogs', [{ blockHash: lastBlock.hash }]);
    assert.equal(byHash.result.length, 1);
    assert.equal(byHash.result[0].blockHash, lastBlock.hash);
    assert.equal((await rpc('eth_getLogs', [{ blockHash: '0x' + '12'.repeat(32) }])).error.code, -32000);
    const receipts = (await rpc('eth_getBlockReceipts', ['latest'])).result;
    assert.equal(receipts.length, 1);
    assert.equal(receipts[0].logs[0].logIndex, '0x0');
  });

  it('polling filters: eth_newBlockFilter, eth_newFilter, eth_newPendingTransactionFilter, uninstall', async () => {
    const bf = (await rpc('eth_newBlockFilter')).result;
    const lf = (await rpc('eth_newFilter', [{ topics: [null] }])).result;
    const pf = (await rpc('eth_newPendingTransactionFilter')).result;
    assert.deepEqual((await rpc('eth_getFilterChanges', [bf])).result, []);
    const raw = await signTransfer();
    const h = (await rpc('eth_sendRawTransaction', [raw])).result;
    assert.deepEqual((await rpc('eth_getFilterChanges', [pf])).result, [h]);
    assert.deepEqual((await rpc('eth_getFilterChanges', [pf])).result, []);
    const sealed = await node.sealBlock();
    nonce++;
    assert.deepEqual((await rpc('eth_getFilterChanges', [bf])).result, [sealed!.header.hash]);
    assert.deepEqual((await rpc('eth_getFilterChanges', [bf])).result, []);
    assert.deepEqual((await rpc('eth_getFilterChanges', [lf])).result, [], 'a plain transfer has no logs');
    assert.equal((await rpc('eth_uninstallFilter', [bf])).result, true);
    assert.equal((await rpc('eth_uninstallFilter', [bf])).result, false);
    assert.equal((await rpc('eth_getFilterChanges', [bf])).error.code, -32000);
  });

  it('WebSocket: newPendingTransactions (hashes and full), newHeads, logs subscription payloads', async () => {
    const ws = new WebSocket(server.wsUrl);
    await new Promise((res, rej) => {
      ws.onopen = res;
      ws.onerror = rej;
    });
    const msgs: any[] = [];
    ws.onmessage = (m: { data: unknown }) => msgs.push(JSON.parse(String(m.data)));
    const send = (id: number, method: string, params: unknown[]) => ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    const until = async (pred: () => boolean) => {
      const end = Date.now() + 3000;
      while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      assert.ok(pred());
    };
    send(1, 'eth_subscribe', ['newPendingTransactions']);
    send(2, 'eth_subscribe', ['newPendingTransactions', true]);
    send(3, 'eth_subscribe', ['newHeads']);
    send(4, 'eth_subscribe', ['logs', { address: bob.address }]);
    await until(() => msgs.filter((m) => m.id).length === 4);
    const ids = Object.fromEntries(msgs.filter((m) => m.id).map((m) => [m.id, m.result]));
    const raw = await signTransfer();
    const h = (await rpc('eth_sendRawTransaction', [raw])).result;
    await until(() => msgs.filter((m) => m.method === 'eth_subscription').length >= 2);
    const notes = msgs.filter((m) => m.method === 'eth_subscription');
    assert.equal(notes.find((m) => m.params.subscription === ids[1]).params.result, h);
    assert.equal(notes.find((m) => m.params.subscription === ids[2]).params.result.hash, h);
    await node.sealBlock();
    nonce++;
    await until(() => msgs.some((m) => m.params?.subscription === ids[3]));
    const head = msgs.find((m) => m.params?.subscription === ids[3]).params.result;
    assert.equal(head.number, (await rpc('eth_blockNumber')).result);
    assert.ok(head.stateRoot && head.parentHash && head.baseFeePerGas);
    assert.ok(!msgs.some((m) => m.params?.subscription === ids[4]), 'no logs from bob');
    ws.close();
  });

  it('eth_call on historical blocks, state overrides, gas cap and eth_feeHistory rewards', async () => {
    const head = BigInt((await rpc('eth_blockNumber')).result);
    const b0 = await rpc('eth_getBalance', [bob.address, '0x0']);
    assert.equal(BigInt(b0.result), 10_000n * 10n ** 18n);
    const bh = await rpc('eth_getBalance', [bob.address, toHex(head)]);
    assert.ok(BigInt(bh.result) > BigInt(b0.result));
    // BALANCE(bob) via code override at an empty address.
    const code = '0x73' + bob.address.slice(2) + '3160005260206000f3';
    const who = privateKeyToAccount(generatePrivateKey()).address;
    const atGenesis = await rpc('eth_call', [{ to: who }, '0x0', { [who]: { code } }]);
    assert.equal(BigInt(atGenesis.result), BigInt(b0.result));
    const now = await rpc('eth_call', [{ to: who }, 'latest', { [who]: { code } }]);
    assert.equal(BigInt(now.result), BigInt(bh.result));
    const overridden = await rpc('eth_call', [{ to: who }, 'latest', { [who]: { code }, [bob.address]: { balance: '0x2a' } }]);
    assert.equal(BigInt(overridden.result), 42n);
    // An infinite loop stops at the gas cap (300k here; node:test's async hooks slow the VM ~10x) with an out-of-gas error, not a hang.
    const loop = await rpc('eth_call', [{ to: who, gas: '0xffffffffff' }, 'latest', { [who]: { code: '0x5b5f56' } }]);
    assert.equal(loop.error.code, -32000);
    assert.match(loop.error.message, /out of gas/);
    const est = await rpc('eth_estimateGas', [{ to: who }, 'latest', { [who]: { code: '0x5b5f56' } }]);
    assert.equal(est.error.code, -32000);
    assert.match(est.error.message, /gas required exceeds allowance/);
    // With a tight EVM timeout, a run is aborted inside the interpreter, and the server answers meanwhile. Each
    // frame of the self-calling tree hashes 32 KiB of memory before calling itself twice, so that at 2^24 gas
    // (the Osaka per-transaction cap) the run takes ~0.25 s on the native EVM, well past the 20 ms timeout
    // (without the hashing the tree now finishes in ~30 ms, which raced the timeout).
    const selfCalls = '0x' + '61800060002050' + '60006000600060006000305af150'.repeat(2) + '00';
    const strict = await startRpcServer({ node, port: 0, limits: { evmTimeoutMs: 20, gasCap: 50_000_000n } });
    try {
      const post = (m: string, p: unknown[]) =>
        fetch(strict.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: m, params: p }) }).then((r) => r.json() as Promise<any>);
      const t0 = Date.now();
      let slowDone = 0;
      const slow = post('eth_call', [{ to: who }, 'latest', { [who]: { code: selfCalls } }]).then((r) => {
        slowDone = Date.now();
        return r;
      });
      const quick = await post('eth_blockNumber', []);
      const quickDone = Date.now();
      assert.equal(quick.result, toHex(head));
      const aborted = await slow;
      assert.equal(aborted.error.code, -32000);
      assert.match(aborted.error.message, /execution aborted \(timeout = 0.02s\)/);
      assert.ok(quickDone - t0 < 1500, `answered in ${quickDone - t0} ms`);
      assert.ok(slowDone - t0 < 1500, `aborted after ${slowDone - t0} ms`);
    } finally {
      await strict.close();
    }
    const fh = (await rpc('eth_feeHistory', ['0x3', 'latest', [0, 50, 100]])).result;
    assert.equal(fh.baseFeePerGas.length, 4);
    assert.equal(fh.reward.length, 3);
    assert.equal(fh.reward[2].length, 3);
    assert.equal(BigInt(fh.oldestBlock), head - 2n);
    assert.equal((await rpc('eth_feeHistory', [3, 'latest'])).result.reward, undefined);
  });
});
