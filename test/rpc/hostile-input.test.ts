// Hostile input against the real transport: every malformed request gets the right JSON-RPC error and
// the server keeps serving afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';
import { createRequire } from 'node:module';
import { FUNDED, stubNode } from './stub-node.js';

// Node 20 has no global WebSocket; `ws` (fastify's) ships no types here.
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string) => any;

let server: RpcServer;

async function post(body: string | object, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<{ status: number; json: any; text: string }> {
  const res = await fetch(server.url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const call = (method: string, params: unknown[] = [], id: unknown = 1) => post({ jsonrpc: '2.0', id, method, params });

async function stillServing(): Promise<void> {
  const r = await call('eth_chainId');
  assert.equal(r.json.result, '0xa455');
}

describe('JSON-RPC hostile input', () => {
  before(async () => {
    server = await startRpcServer({ node: await stubNode(), port: 0, limits: { maxBodyBytes: 64 * 1024, maxBatchSize: 20, maxSubscriptionsPerConnection: 3, maxBatchResponseBytes: 2000 } });
  });
  after(async () => server.close());

  it('parse errors: -32700 with id null', async () => {
    for (const body of ['{', '{"jsonrpc":"2.0",', 'not json', '\u0000\u0001', '[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"']) {
      const r = await post(body);
      assert.equal(r.status, 200);
      assert.equal(r.json.error.code, -32700, body);
      assert.equal(r.json.id, null);
    }
    const empty = await post('');
    assert.equal(empty.json.error.code, -32700);
    await stillServing();
  });

  it('invalid requests: -32600', async () => {
    for (const body of [1, 'x', null, true, { id: 1, method: 'eth_chainId' }, { jsonrpc: '1.0', id: 1, method: 'eth_chainId' }, { jsonrpc: '2.0', id: 1, method: 5 }, { jsonrpc: '2.0', id: { a: 1 }, method: 'eth_chainId' }, []]) {
      const r = await post(JSON.stringify(body));
      assert.equal(r.json.error.code, -32600, JSON.stringify(body));
    }
    await stillServing();
  });

  it('params must be an array', async () => {
    const r = await post({ jsonrpc: '2.0', id: 7, method: 'eth_getBalance', params: { address: FUNDED } });
    assert.equal(r.json.error.code, -32602);
    assert.equal(r.json.id, 7);
  });

  it('unknown methods: -32601, id echoed', async () => {
    for (const m of ['eth_foo', 'admin_addPeer', 'personal_unlockAccount', '', '__proto__', 'constructor', 'toString']) {
      const r = await call(m, [], 'abc');
      assert.equal(r.json.error.code, -32601, m);
      assert.equal(r.json.id, 'abc');
    }
    await stillServing();
  });

  it('invalid params: -32602 for bad hex, wrong types, wrong lengths, bad block tags, wrong arity', async () => {
    const cases: [string, unknown[]][] = [
      ['eth_getBalance', ['0x1234', 'latest']],
      ['eth_getBalance', [FUNDED.slice(2), 'latest']],
      ['eth_getBalance', [FUNDED + '00', 'latest']],
      ['eth_getBalance', [FUNDED, 'latst']],
      ['eth_getBalance', [FUNDED, '0x']],
      ['eth_getBalance', [FUNDED, '0x01']],
      ['eth_getBalance', [FUNDED, '0xzz']],
      ['eth_getBalance', [FUNDED, 12]],
      ['eth_getBalance', [42, 'latest']],
      ['eth_getBalance', []],
      ['eth_getBalance', [FUNDED, 'latest', 'extra']],
      ['eth_getBlockByNumber', ['latest', 'yes']],
      ['eth_getBlockByNumber', ['latest']],
      ['eth_getBlockByHash', ['0x1234', false]],
      ['eth_getTransactionByHash', ['0xgg' + '0'.repeat(62)]],
      ['eth_getTransactionReceipt', [null]],
      ['eth_getStorageAt', [FUNDED, '0x' + '1'.repeat(65), 'latest']],
      ['eth_sendRawTransaction', ['0x123']],
      ['eth_sendRawTransaction', ['deadbeef']],
      ['eth_sendRawTransaction', [{}]],
      ['eth_call', ['0x']],
      ['eth_call', [{ to: '0x12' }]],
      ['eth_call', [{ to: FUNDED, value: '0x-1' }]],
      ['eth_call', [{ to: FUNDED, value: '0x' + 'f'.repeat(65) }]],
      ['eth_call', [{ to: FUNDED, gasPrice: '0x1', maxFeePerGas: '0x1' }]],
      ['eth_call', [{ to: FUNDED, data: '0x00', input: '0x01' }]],
      ['eth_estimateGas', [{ to: FUNDED, gas: 5 }]],
      ['eth_getLogs', [{ fromBlock: 'first' }]],
      ['eth_getLogs', [{ address: '0x00' }]],
      ['eth_getLogs', [{ topics: ['0x01'] }]],
      ['eth_getLogs', [{ topics: [null, null, null, null, null] }]],
      ['eth_getLogs', [{ blockHash: '0x' + '11'.repeat(32), fromBlock: '0x0' }]],
      ['eth_getLogs', [{ fromBlock: '0x5', toBlock: '0x1' }]],
      ['eth_feeHistory', ['0x4', 'latest', [50, 10]]],
      ['eth_feeHistory', ['0x4', 'latest', [101]]],
      ['eth_getProof', [FUNDED, 'notarray', 'latest']],
      ['web3_sha3', ['0x0']],
      ['eth_chainId', [1]],
    ];
    for (const [m, params] of cases) {
      const r = await call(m, params);
      assert.ok(r.json.error, `${m} ${JSON.stringify(params)} should fail, got ${r.text}`);
      assert.equal(r.json.error.code, -32602, `${m} ${JSON.stringify(params)}: ${r.text}`);
    }
    await stillServing();
  });

  it('batches: mixed results in order, empty batch, too large batch', async () => {
    const r = await post([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
      { jsonrpc: '2.0', method: 'eth_chainId' },
      5,
      { jsonrpc: '2.0', id: 3, method: 'eth_getBalance', params: [FUNDED, 'latest'] },
    ]);
    assert.ok(Array.isArray(r.json));
    assert.equal(r.json.length, 4, 'the notification gets no response');
    assert.equal(r.json[0].result, '0xa455');
    assert.equal(r.json[1].error.code, -32601);
    assert.equal(r.json[2].error.code, -32600);
    assert.equal(r.json[3].result, '0x21e19e0c9bab2400000');
    const big = await post(Array.from({ length: 21 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' })));
    assert.equal(big.json.error.code, -32600);
    assert.match(big.json.error.message, /batch too large/);
    await stillServing();
  });

  it('deeply nested JSON and huge numbers are rejected cleanly', async () => {
    const deep = await post('['.repeat(20_000) + ']'.repeat(20_000));
    assert.equal(deep.json.length, 1);
    assert.equal(deep.json[0].error.code, -32600);
    const obj = await post('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":[' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + ']}');
    assert.equal(obj.json.error.code, -32602);
    const num = await post('{"jsonrpc":"2.0","id":1e400,"method":"eth_chainId"}');
    assert.equal(num.json.error.code, -32600);
    const exec = await post(Array.from({ length: 20 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_estimateGas', params: [{ from: FUNDED, to: '0x' + '22'.repeat(20), value: '0x1' }] })));
    assert.ok(exec.json.every((r: any) => r.result === '0x5208'));
    await stillServing();
  });

  it('batch responses past the size cap become -32003 errors', async () => {
    const r = await post(Array.from({ length: 20 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_getBlockByNumber', params: ['0x0', false] })));
    assert.equal(r.json.length, 20);
    assert.ok(r.json[0].result);
    assert.equal(r.json[19].error.code, -32003);
    await stillServing();
  });

  it('huge bodies: 413 with a JSON-RPC error, then keeps serving', async () => {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ data: '0x' + 'ab'.repeat(64 * 1024) }] });
    assert.equal(r.status, 413);
    assert.equal(r.json.error.code, -32600);
    await stillServing();
  });

  it('other content types and a notification-only request', async () => {
    const r = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId' }), { 'content-type': 'text/plain' });
    assert.equal(r.json.result, '0xa455');
    const n = await post({ jsonrpc: '2.0', method: 'eth_chainId' });
    assert.equal(n.status, 200);
    assert.equal(n.text, '');
  });

  it('node rejections become -32000 with the node message', async () => {
    const r = await call('eth_sendRawTransaction', ['0xdeadbeef']);
    assert.equal(r.json.error.code, -32000);
    assert.match(r.json.error.message, /rlp/);
  });

  it('subscriptions over HTTP are refused; over WS they are capped per connection', async () => {
    const r = await call('eth_subscribe', ['newHeads']);
    assert.equal(r.json.error.code, -32601);
    const ws = new WebSocket(server.wsUrl);
    await new Promise((res, rej) => {
      ws.onopen = res;
      ws.onerror = rej;
    });
    const replies: any[] = [];
    const waitFor = (n: number) =>
      new Promise<void>((res) => {
        const check = () => (replies.length >= n ? res() : setTimeout(check, 5));
        check();
      });
    ws.onmessage = (m: { data: unknown }) => replies.push(JSON.parse(String(m.data)));
    for (let i = 0; i < 4; i++) ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'eth_subscribe', params: ['newHeads'] }));
    ws.send('{garbage');
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'eth_subscribe', params: ['bogus'] }));
    await waitFor(6);
    assert.match(replies[0].result, /^0x[0-9a-f]{32}$/);
    assert.equal(replies[3].error.code, -32005);
    assert.equal(replies[4].error.code, -32700);
    assert.equal(replies[5].error.code, -32602);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'eth_unsubscribe', params: [replies[0].result] }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'eth_unsubscribe', params: [replies[0].result] }));
    await waitFor(8);
    assert.equal(replies[6].result, true);
    assert.equal(replies[7].result, false);
    ws.close();
    await stillServing();
  });

  it('eth_call and eth_estimateGas run on the VM (stub state)', async () => {
    const bal = await call('eth_call', [{ from: FUNDED, to: '0x' + '22'.repeat(20), value: '0x1' }, 'latest']);
    assert.equal(bal.json.result, '0x');
    const est = await call('eth_estimateGas', [{ from: FUNDED, to: '0x' + '22'.repeat(20), value: '0x1' }]);
    assert.equal(est.json.result, '0x5208');
    // Revert with a reason: PUSH the Error(string) payload via a state-overridden contract.
    const reason = 'nope';
    const payload = '08c379a0' + (32).toString(16).padStart(64, '0') + reason.length.toString(16).padStart(64, '0') + Buffer.from(reason).toString('hex').padEnd(64, '0');
    // code: CODECOPY payload to memory and REVERT(0, len)
    const len = payload.length / 2;
    const prefix = `61${len.toString(16).padStart(4, '0')}600e60003961${len.toString(16).padStart(4, '0')}6000fd`;
    const code = '0x' + prefix + payload;
    const target = '0x' + '33'.repeat(20);
    const r = await call('eth_call', [{ to: target }, 'latest', { [target]: { code } }]);
    assert.equal(r.json.error.code, 3, r.text);
    assert.equal(r.json.error.message, 'execution reverted: nope');
    assert.equal(r.json.error.data, '0x' + payload);
    // A contract as the sender (Safe-style simulation): geth skips EIP-3607 for calls, and so do we; its
    // code stays callable (it returns CALLER when called).
    const safe = '0x' + '55'.repeat(20);
    const self = await call('eth_call', [{ from: safe, to: safe }, 'latest', { [safe]: { code: '0x335f5260205ff3' } }]);
    assert.equal(self.json.result, '0x' + safe.slice(2).padStart(64, '0'), self.text);
    const est2 = await call('eth_estimateGas', [{ from: safe, to: safe }, 'latest', { [safe]: { code: '0x335f5260205ff3' } }]);
    assert.ok(BigInt(est2.json.result) > 21_000n, est2.text);
  });
});
