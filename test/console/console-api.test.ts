// The console's HTTP surface without a browser: token persistence, snapshot shape, explorer endpoints,
// admin input validation and auth, the L1 status seam (a test double standing in for the batcher), /metrics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { hexToBytes, parseGwei } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { SequencerNode } from '../../sequencer/node/node.js';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { batcherStatusSource, nodeQueueDeposits, startConsole, NOT_CONNECTED, type ConsoleServer, type L1StatusSource } from '../../sequencer/console/index.js';

const silent = pino({ level: 'silent' });
const [alice, bob] = devAccounts(2);

describe('console HTTP API', { timeout: 60_000 }, () => {
  let dir: string;
  let node: SequencerNode;
  let con: ConsoleServer;
  let txHash: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-api-'));
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    con = await startConsole({ node, port: 0, dataDir: dir, logger: silent });
    const raw = await privateKeyToAccount(alice.privateKey).signTransaction({ type: 'eip1559', chainId: 42069, nonce: 0, to: bob.address, value: 5n, gas: 21_000n, maxFeePerGas: parseGwei('10'), maxPriorityFeePerGas: parseGwei('1') });
    txHash = await node.submitRawTransaction(hexToBytes(raw));
  });
  after(async () => {
    await con?.close();
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const r = await fetch(con.url + path);
    return { status: r.status, body: (await r.json()) as any };
  };
  const post = async (path: string, body: unknown, auth = `Bearer ${con.token}`) => {
    const r = await fetch(con.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as any };
  };

  it('reuses the saved token on restart; an explicit token wins', async () => {
    const again = await startConsole({ node, port: 0, dataDir: dir, logger: silent });
    assert.equal(again.token, con.token);
    assert.equal(again.tokenFile, join(dir, 'console-token'));
    await again.close();
    const explicit = await startConsole({ node, port: 0, dataDir: dir, token: 'operator-chosen-token-123', logger: silent });
    assert.equal(explicit.token, 'operator-chosen-token-123');
    assert.equal((await fetch(`${explicit.url}/admin/session`, { headers: { authorization: `Bearer ${con.token}` } })).status, 401);
    assert.equal((await fetch(`${explicit.url}/admin/session`, { headers: { authorization: 'Bearer operator-chosen-token-123' } })).status, 200);
    await explicit.close();
  });

  it('snapshot: pending tx in the mempool by sender, then mined', async () => {
    let s = (await get('/api/snapshot')).body;
    assert.equal(s.chainId, '42069');
    assert.equal(s.mempool.size, 1);
    assert.equal(s.mempool.senders[0].sender, alice.address);
    assert.equal(s.mempool.senders[0].headTip, parseGwei('1').toString());
    assert.deepEqual(s.l1, { connected: false, reason: NOT_CONNECTED });
    const pending = (await get(`/api/tx/${txHash}`)).body;
    assert.equal(pending.pending, true);
    await node.sealBlock();
    s = (await get('/api/snapshot')).body;
    assert.equal(s.mempool.size, 0);
    assert.equal(s.head.number, '1');
    assert.equal(s.blocks.at(-1).txs, 1);
    assert.equal(s.blocks.at(-1).stats.rounds, 1);
    assert.ok(s.blocks.at(-1).latP50 >= 0);
    const mined = (await get(`/api/tx/${txHash}`)).body;
    assert.equal(mined.pending, false);
    assert.equal(mined.receipt.status, 1);
    assert.equal(mined.location.blockNumber, '1');
  });

  it('refuses requests addressed to a non-loopback host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const u = new URL(con.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: '/api/snapshot', headers: { host: `evil.example:${u.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
  });

  it('explorer endpoints and search', async () => {
    assert.equal((await get('/api/search?q=1')).body.kind, 'block');
    assert.equal((await get('/api/search?q=latest')).body.block.header.number, '1');
    assert.equal((await get(`/api/search?q=${txHash}`)).body.kind, 'tx');
    const a = (await get(`/api/search?q=${bob.address}`)).body;
    assert.equal(a.kind, 'address');
    assert.equal(a.address.balance, (10_000n * 10n ** 18n + 5n).toString());
    assert.equal((await get('/api/search?q=999')).body.kind, 'none');
    assert.equal((await get('/api/search?q=hello')).body.kind, 'none');
    assert.equal((await get('/api/block/xyz')).status, 400);
    assert.equal((await get('/api/block/999')).status, 404);
    assert.equal((await get(`/api/tx/0x${'00'.repeat(32)}`)).status, 404);
  });

  it('admin: auth, validation, unsupported hooks are 501, batch post goes to the L1 source when plugged in', async () => {
    assert.equal((await post('/admin/gas-limit', { gasLimit: 1 }, '')).status, 401);
    // Refused before the body is even parsed (empty or malformed JSON from an unauthenticated caller: still 401).
    for (const body of ['', '{not json']) assert.equal((await fetch(`${con.url}/admin/pause`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 401);
    assert.equal((await post('/admin/gas-limit', { gasLimit: 'x' })).status, 400);
    assert.equal((await post('/admin/gas-limit', { gasLimit: 1 })).status, 400);
    assert.equal((await post('/admin/block-time', { ms: 5 })).status, 400);
    const gl = await post('/admin/gas-limit', { gasLimit: 25_000_000 });
    assert.equal(gl.status, typeof (node as any).setGasLimit === 'function' ? 200 : 501);
    assert.equal((await post('/admin/batch/post', {})).body.error, NOT_CONNECTED);
    // A stand-in for the batcher (test double): the console shows what the source reports and forwards the action.
    let posted = 0;
    const source: L1StatusSource = {
      status: () => ({ connected: true, l1Url: 'http://127.0.0.1:8545', l1ChainId: 31337n, l1Head: 12n, lastBatchedBlock: 1n, batches: [{ index: 0n, fromBlock: 1n, toBlock: 1n, txCount: 1, bytes: 120, kind: 'calldata', stateRoot: '0x' + '11'.repeat(32), status: 'submitted' }], deposits: [] }),
      postBatchNow: async () => {
        posted++;
        return { message: 'posted' };
      },
    };
    con.setL1Source(source);
    const s = (await get('/api/snapshot')).body;
    assert.equal(s.l1.connected, true);
    assert.equal(s.l1.batches[0].txCount, 1);
    assert.equal(s.control.capabilities.batch, true);
    const b = await post('/admin/batch/post', {});
    assert.equal(b.status, 200);
    assert.equal(posted, 1);
    // A failing source is reported, not hidden.
    con.setL1Source({ status: () => { throw new Error('anvil unreachable'); } });
    assert.match((await get('/api/snapshot')).body.l1.reason, /anvil unreachable/);
  });

  it('batcherStatusSource maps the batcher\'s batch rows and forwards force-post as tick(true)', async () => {
    // Structural stand-ins for sequencer/l1 Batcher and BatchStore (branch l1), exercising the adapter only.
    const rows = [
      { batch_index: 0, first_block: 1, last_block: 4, new_state_root: '0x' + 'aa'.repeat(32), da: 'calldata' as const, data: new Uint8Array(300), status: 'confirmed' as const, created_at: 1, confirmed_l1_block: 9, confirmed_tx_hash: '0x' + 'bb'.repeat(32) },
    ];
    const ticks: (boolean | undefined)[] = [];
    const src = batcherStatusSource({
      batcher: { status: () => ({ running: true }), tick: async (force) => { ticks.push(force); rows.push({ ...rows[0], batch_index: 1, first_block: 5, last_block: 6, status: 'submitted' as any, confirmed_l1_block: null as any, confirmed_tx_hash: null as any }); } },
      store: { all: async () => rows },
      l1Url: 'http://127.0.0.1:8545',
      l1Head: async () => 20n,
    });
    const st = await src.status();
    assert.equal(st.connected, true);
    assert.equal(st.reason, undefined);
    assert.equal(st.l1Head, 20n);
    assert.equal(st.lastBatchedBlock, 4n);
    assert.deepEqual(st.batches!.map((b) => [b.index, b.fromBlock, b.toBlock, b.bytes, b.status, b.l1Block]), [[0n, 1n, 4n, 300, 'confirmed', 9n]]);
    const r = await src.postBatchNow!();
    assert.deepEqual(ticks, [true]);
    assert.match(r.message, /built 1 batch/);
    assert.equal((await src.status()).lastBatchedBlock, 6n);
    const down = batcherStatusSource({ batcher: { status: () => ({ running: true, blocked: 'sequencer key is not the rollup sequencer' }), tick: async () => {} }, store: { all: async () => [] } });
    assert.match((await down.status()).reason!, /batcher blocked \(retrying\): sequencer key/);
  });

  it('nodeQueueDeposits lists the L1 queue items the node accepted, waiting then applied', async () => {
    const feed = nodeQueueDeposits(node);
    assert.deepEqual(await feed(), []);
    const to = '0x00000000000000000000000000000000000d0d0d';
    await node.depositSink().accept({ queueIndex: 0n, kind: 0, l1Sender: alice.address, to, value: 123n, data: '0x', l1Timestamp: 1n, accumulator: `0x${'00'.repeat(32)}`, l1BlockNumber: 7n, l1TxHash: `0x${'ab'.repeat(32)}` });
    let d = await feed();
    assert.equal(d.length, 1);
    assert.deepEqual([d[0].queueIndex, d[0].kind, d[0].applied, d[0].value, d[0].l1Block], [0n, 'deposit', false, 123n, 7n]);
    await node.sealBlock(true);
    d = await feed();
    assert.equal(d[0].applied, true);
    assert.equal(node.getState().getAccount(to as any)?.balance, 123n);
  });

  it('/metrics counts the block sealed while the console ran', async () => {
    const body = await (await fetch(`${con.url}/metrics`)).text();
    assert.match(body, /^sequencer_blocks_total 2$/m);
    assert.match(body, /^sequencer_transactions_total 1$/m);
    assert.match(body, /^sequencer_head_block_number 2$/m);
  });
});
