// Browser-facing guards (issue #18, item 6) on the JSON-RPC server and the operator console: no CORS unless
// --cors allows an origin, a request carrying a foreign Origin (HTTP or WebSocket upgrade) or a Host name
// off the --vhosts list is refused with 403 before it runs; and the data dir's secrets are private (0700 dir,
// 0600 SQLite files and console token, tightened when found looser).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { parseOptions } from '../../sequencer/cli/options.js';
import { startConsole } from '../../sequencer/console/index.js';
import { SequencerNode } from '../../sequencer/node/node.js';
import { startRpcServer, type RpcServer } from '../../sequencer/rpc/server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WebSocket = createRequire(import.meta.url)('ws') as new (url: string, opts?: object) => any;
const CHAIN_ID_CALL = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, since fetch does not let a caller set Host. */
function send(url: string, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host: u.hostname, port: u.port, path: opts.path ?? '/', method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Opens a WebSocket (with an Origin header when given): 'open' or the HTTP status it was refused with. */
function wsOutcome(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.on('unexpected-response', (_req: unknown, res: { statusCode: number }) => {
      ws.terminate(); // ws leaves a refused upgrade's socket to this listener
      resolve(res.statusCode);
    });
    ws.on('error', (e: Error) => reject(e));
  });
}

describe('JSON-RPC and console browser guards', () => {
  let node: SequencerNode;
  let rpc: RpcServer;
  let open: RpcServer;
  before(async () => {
    node = await SequencerNode.open({ dataDir: ':memory:', sealMode: 'on-demand' });
    rpc = await startRpcServer({ node, port: 0 });
    open = await startRpcServer({ node, port: 0, guard: { corsOrigins: ['http://app.example'], vhosts: ['rpc.example'] } });
  });
  after(async () => {
    await rpc.close();
    await open.close();
    await node.close();
  });

  it('default: no CORS header; foreign Origin and Host names refused before running; IP literals and localhost answered', async () => {
    const port = new URL(rpc.url).port;
    const plain = await send(rpc.url, { body: CHAIN_ID_CALL });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['access-control-allow-origin'], undefined);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `10.1.2.3:${port}`]) {
      assert.equal((await send(rpc.url, { headers: { host }, body: CHAIN_ID_CALL })).status, 200, host);
    }
    const rebound = await send(rpc.url, { headers: { host: `attacker.example:${port}` }, body: CHAIN_ID_CALL });
    assert.equal(rebound.status, 403);
    assert.match(JSON.parse(rebound.body).error.message, /invalid host specified: attacker\.example/);
    // A cross-site "simple" request (text/plain) would run unread: it is refused instead, nothing executes.
    const before = node.pool.size;
    const { privateKeyToAccount } = await import('viem/accounts');
    const { devAccounts } = await import('../../sequencer/genesis/dev.js');
    const raw = await privateKeyToAccount(devAccounts(1)[0].privateKey).signTransaction({ chainId: 42069, type: 'eip1559', nonce: 0, to: '0x000000000000000000000000000000000000beef', value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n });
    const crossSite = await send(rpc.url, { headers: { origin: 'http://evil.example', 'content-type': 'text/plain' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [raw] }) });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers['access-control-allow-origin'], undefined);
    assert.match(JSON.parse(crossSite.body).error.message, /origin not allowed: http:\/\/evil\.example/);
    assert.equal(node.pool.size, before, 'the refused transaction was not submitted');
    assert.equal((await send(rpc.url, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } })).status, 403);
    assert.equal(await wsOutcome(rpc.wsUrl, 'http://evil.example'), 403);
    assert.equal(await wsOutcome(rpc.wsUrl), 'open');
  });

  it('--cors and --vhosts allow the listed origin and host names only', async () => {
    const port = new URL(open.url).port;
    const allowed = await send(open.url, { headers: { origin: 'http://app.example', host: `rpc.example:${port}` }, body: CHAIN_ID_CALL });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://app.example');
    assert.equal(JSON.parse(allowed.body).result, '0xa455');
    const preflight = await send(open.url, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.equal((await send(open.url, { headers: { host: `localhost:${port}` }, body: CHAIN_ID_CALL })).status, 403, 'localhost is not on this list');
    assert.equal((await send(open.url, { headers: { origin: 'http://other.example' }, body: CHAIN_ID_CALL })).status, 403);
    assert.equal(await wsOutcome(open.wsUrl, 'http://app.example'), 'open');
  });

  it('the console refuses foreign Origin and Host names too; its token file is tightened to 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-console-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'console-token'), 'a-token-left-world-readable-0644\n', { mode: 0o644 });
    chmodSync(join(dir, 'console-token'), 0o644);
    const con = await startConsole({ node, port: 0, dataDir: dir, logger: pino({ level: 'silent' }) });
    try {
      assert.equal(statSync(join(dir, 'console-token')).mode & 0o777, 0o600);
      assert.equal(con.token, 'a-token-left-world-readable-0644');
      const port = new URL(con.url).port;
      assert.equal((await send(con.url, { method: 'GET', path: '/healthz', headers: { host: `127.0.0.1:${port}` } })).status, 200);
      assert.equal((await send(con.url, { method: 'GET', path: '/api/snapshot', headers: { host: `attacker.example:${port}` } })).status, 403);
      const admin = await send(con.url, { path: '/admin/pause', headers: { origin: 'http://evil.example', authorization: `Bearer ${con.token}` }, body: '{}' });
      assert.equal(admin.status, 403);
      assert.equal(node.paused, false, 'the refused admin action did not run');
    } finally {
      await con.close();
    }
  });

  it('the data dir is 0700 and its SQLite files 0600, tightened when found looser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-data-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'chain.sqlite'), '');
    chmodSync(join(dir, 'chain.sqlite'), 0o644);
    const n = await SequencerNode.open({ dataDir: dir, sealMode: 'on-demand' });
    try {
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      for (const f of ['chain.sqlite', 'chain.sqlite-wal']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
    } finally {
      await n.close();
    }
  });

  it('parses --cors, --vhosts and --l1-confirmations; rejects bad values', () => {
    const o = parseOptions(['--cors', 'http://a.example, http://b.example', '--vhosts', 'rpc.example', '--l1-confirmations', '0']);
    assert.deepEqual(o.corsOrigins, ['http://a.example', 'http://b.example']);
    assert.deepEqual(o.vhosts, ['rpc.example']);
    assert.equal(o.l1Confirmations, 0);
    const d = parseOptions([]);
    assert.deepEqual([d.corsOrigins, d.vhosts], [[], ['localhost', '127.0.0.1']]);
    assert.throws(() => parseOptions(['--cors', ',']), /--cors needs a comma-separated list/);
    assert.throws(() => parseOptions(['--l1-confirmations', '-1']), /--l1-confirmations must be an integer/);
  });
});
