// End to end: the operator console over a real SequencerNode (SQLite in a temp dir, 100 ms blocks) under a
// small load of real signed transactions, driven in headless Debian chromium with playwright-core. Checks
// that the charts and tables show real, changing values, the explorer decodes logs, the admin API refuses
// a missing/bad token (401) and acts with the right one (and logs it), /metrics, and saves a screenshot
// under test/artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { encodeDeployData, encodeFunctionData, getContractAddress, hexToBytes, parseGwei, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { SequencerNode } from '../../sequencer/node/node.js';
import { devAccounts } from '../../sequencer/genesis/dev.js';
import { batcherStatusSource, nodeQueueDeposits, startConsole, TOKEN_FILE, type ConsoleServer } from '../../sequencer/console/index.js';
import type { Address } from '../../sequencer/primitives/types.js';
import { compileErc20 } from './erc20.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
const CHAIN_ID = 42069;
const HOT = '0x00000000000000000000000000000000000c0ffe' as Address;

let dir: string;
let node: SequencerNode;
let con: ConsoleServer;
let browser: Browser;
let page: Page;
const logLines: any[] = [];
const accounts = devAccounts(10).map((a) => ({ ...a, signer: privateKeyToAccount(a.privateKey) as PrivateKeyAccount }));
const nonces = new Map<string, bigint>();
let token: Address;
let tokenTransferHash: Hex | undefined;

async function signed(i: number, tx: { to: Address | null; value?: bigint; data?: Hex; gas: bigint; tipGwei?: number }): Promise<Uint8Array> {
  const a = accounts[i];
  const nonce = nonces.get(a.address) ?? node.pendingNonce(a.address);
  nonces.set(a.address, nonce + 1n);
  const raw = await a.signer.signTransaction({
    type: 'eip1559',
    chainId: CHAIN_ID,
    nonce: Number(nonce),
    to: tx.to ?? undefined,
    value: tx.value ?? 0n,
    data: tx.data,
    gas: tx.gas,
    maxFeePerGas: parseGwei('50'),
    maxPriorityFeePerGas: parseGwei(String(tx.tipGwei ?? 1)),
  });
  return hexToBytes(raw);
}

/** One wave: senders 1..7 pay the same hot address (real read/write conflicts), sender 0 moves tokens (logs). */
async function wave(): Promise<void> {
  const raws: Uint8Array[] = [];
  for (let i = 1; i <= 7; i++) raws.push(await signed(i, { to: HOT, value: 1000n + BigInt(i), gas: 21_000n, tipGwei: i % 4 === 0 ? 0.5 : i }));
  const { abi } = compileErc20();
  raws.push(await signed(0, { to: token, data: encodeFunctionData({ abi, functionName: 'transfer', args: [accounts[2].address, 7n] }), gas: 100_000n, tipGwei: 2 }));
  const res = await node.submitRawTransactions(raws);
  for (const r of res) if ('error' in r) throw r.error;
  const last = res[res.length - 1];
  if ('hash' in last) tokenTransferHash = last.hash;
}

/** A burst deeper than a few blocks can take: `perSender` transfers from each of senders 1..7 at once. */
async function burst(perSender: number): Promise<void> {
  const raws: Uint8Array[] = [];
  for (let k = 0; k < perSender; k++) for (let i = 1; i <= 7; i++) raws.push(await signed(i, { to: accounts[(i % 7) + 1].address, value: 1n, gas: 21_000n, tipGwei: i }));
  const res = await node.submitRawTransactions(raws);
  for (const r of res) if ('error' in r) throw r.error;
}

async function pump(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await wave();
    await new Promise((r) => setTimeout(r, 60));
  }
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

const text = (testId: string) => page.getByTestId(testId).innerText();

describe('operator console (headless chromium)', { timeout: 180_000 }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
    node = await SequencerNode.open({ dataDir: dir, sealMode: 'interval', blockTimeMs: 100 });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
        cb();
      },
    });
    con = await startConsole({ node, host: '127.0.0.1', port: 0, dataDir: dir, logger: pino({ level: 'info' }, sink) });
    // Deploy the token (its constructor emits Transfer) before the page opens.
    const { abi, bytecode } = compileErc20();
    const deployer = accounts[0].address;
    const nonce = node.pendingNonce(deployer);
    token = getContractAddress({ from: deployer, nonce }).toLowerCase() as Address;
    await node.submitRawTransaction(await signed(0, { to: null, data: encodeDeployData({ abi, bytecode, args: [10n ** 24n] }), gas: 2_000_000n }));
    await waitFor('token deployment', async () => (node.getState().getAccount(token)?.code.length ?? 0) > 0);
    if (!existsSync(CHROMIUM)) throw new Error(`headless chromium not found at ${CHROMIUM} (npm install installs it where it can; else run sudo bash scripts/install-system-deps.sh, or set CHROMIUM_PATH)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => logLines.push({ pageerror: e.message }));
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await con?.close();
    await node?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates the admin token at first start and saves it in the data dir (0600)', () => {
    const file = join(dir, TOKEN_FILE);
    assert.ok(existsSync(file));
    assert.equal(readFileSync(file, 'utf8').trim(), con.token);
    assert.ok(con.token.length >= 24);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(con.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('shows live, changing chain head, throughput, latency and scheduler values', async () => {
    await page.goto(con.url);
    await waitFor('status live', async () => (await text('status')).toLowerCase().includes('live'));
    const head0 = Number((await text('kpi-head')).replace(/[#,]/g, ''));
    assert.ok(head0 >= 1, `head shown: ${head0}`);
    await pump(4000);
    const head1 = await waitFor('head to advance', async () => {
      const h = Number((await text('kpi-head')).replace(/[#,]/g, ''));
      return h > head0 + 5 ? h : undefined;
    });
    assert.equal(BigInt(head1) <= node.blockNumber(), true);
    const tps = await waitFor('tx/s > 0', async () => {
      const v = Number(await text('kpi-tps'));
      return v > 0 ? v : undefined;
    });
    assert.ok(tps > 0);
    assert.ok(Number(await text('kpi-mgas')) > 0);
    assert.match(await text('kpi-latency'), /^\d+ \/ \d+ ms$/);
    // Charts: real polylines with points, redrawn from the stream.
    const points = async (chartId: string, series: string) => Number(await page.locator(`[data-testid=${chartId}] g[data-series="${series}"]`).getAttribute('data-points'));
    await waitFor('throughput chart points', async () => (await points('chart-throughput', 'tx/s')) >= 3);
    const before = await page.locator('[data-testid=chart-throughput] polyline').first().getAttribute('points');
    await pump(2500);
    await waitFor('throughput chart to change', async () => (await page.locator('[data-testid=chart-throughput] polyline').first().getAttribute('points')) !== before);
    assert.ok((await points('chart-latency', 'p50')) >= 1);
    // Scheduler: the hot address gives real conflicts; the blocks table shows rounds and conflicts.
    const rows = page.locator('[data-testid=blocks-table] tbody tr');
    assert.ok((await rows.count()) >= 5);
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.match(cells[0], /^#\d+$/);
    // The hot address conflicts until the scheduler's learned hints separate its payers: the totals show
    // whatever the node measured (non-zero whenever the node counted any conflict in the window).
    const conflicts = node.recentStats().reduce((a, s) => a + s.conflicts, 0);
    const totals = await text('scheduler-totals');
    assert.match(totals, conflicts > 0 ? /conflicts\s+[1-9][\d,]* \(\d+\.\d%\)/ : /conflicts\s+\d[\d,]* \(\d+\.\d%\)/);
    assert.match(totals, /executions\s+[1-9]/);
    assert.ok((await page.locator('[data-testid=chart-scheduler] g[data-series=rounds] rect').count()) >= 5);
    assert.ok((await page.locator('[data-testid=chart-stages] rect').count()) >= 5);
    assert.match(await text('stages'), /exec[\s\S]*ms/);
    // Executor and L1 panels tell the truth.
    assert.match(await text('executor'), /executor\s+(reference|native)/);
    assert.match(await text('executor'), /addon backend\s+(CUDA|CPU threads|unavailable)/);
    assert.match(await text('l1-status'), /L1 batcher not connected/);
  });

  it('explorer: a token transfer shows its decoded Transfer log; blocks and addresses resolve', async () => {
    await waitFor('token transfer mined', async () => tokenTransferHash && (await node.getReceipt(tokenTransferHash)) !== null);
    await page.getByTestId('search-input').fill(tokenTransferHash!);
    await page.getByTestId('search-go').click();
    await waitFor('tx result', async () => (await text('search-result')).includes('Transfer'));
    const res = await text('search-result');
    assert.match(res, /success/);
    assert.match(res, /transfer/);
    assert.match(res, new RegExp(`value=7`));
    // Click through to its block.
    const lookup = await node.getTransaction(tokenTransferHash!);
    await page.locator('[data-testid=search-result] a.q', { hasText: `#${lookup!.location!.blockNumber}` }).first().click();
    await waitFor('block result', async () => /block #(\d+)/i.exec(await text('search-result'))?.[1] === String(lookup!.location!.blockNumber));
    assert.ok((await page.locator('[data-testid=block-txs] tbody tr').count()) >= 1);
    // An address: the token contract, with its Transfer logs.
    await page.getByTestId('search-input').fill(token);
    await page.getByTestId('search-go').click();
    await waitFor('address result', async () => (await text('search-result')).includes('contract'));
    assert.ok((await page.locator('[data-testid=search-result] [data-testid=logs-table] tbody tr').count()) >= 2);
  });

  it('admin API: 401 without or with a wrong token; actions with the token are performed and logged', async () => {
    const post = (path: string, body: unknown, auth?: string) =>
      fetch(con.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${con.token}`]) {
      const r = await post('/admin/pause', {}, auth);
      assert.equal(r.status, 401);
      assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
    }
    assert.ok(logLines.some((l) => l.msg === 'admin action refused' && l.action === 'pause' && l.result === 'unauthorized'));
    // Force batch post: honest "not connected" while the batcher is not plugged in.
    const b = await post('/admin/batch/post', {}, `Bearer ${con.token}`);
    assert.equal(b.status, 503);
    assert.match(JSON.stringify(await b.json()), /L1 batcher not connected/);
    // Bad input is refused with 400 before anything happens.
    assert.equal((await post('/admin/block-time', { ms: 'soon' }, `Bearer ${con.token}`)).status, 400);
    assert.equal((await post('/admin/mempool/drain', { sender: 'nobody' }, `Bearer ${con.token}`)).status, 400);

    // Through the page: paste the token, pause, fill the mempool, drain one sender, resume.
    await page.getByTestId('admin-token').fill(con.token);
    const canPause = typeof (node as any).pause === 'function';
    if (!canPause) {
      await page.getByTestId('admin-batch').click();
      await waitFor('admin log entry', async () => (await text('admin-log')).includes('503'));
      assert.ok(logLines.some((l) => l.action === 'force-batch-post' && l.result === 'unavailable'));
      return;
    }
    await page.getByTestId('admin-pause').click();
    await waitFor('paused', async () => (await text('status')).toLowerCase().includes('paused'));
    assert.ok(logLines.some((l) => l.msg === 'admin action: pause' && l.result === 'ok'));
    const pausedHead = node.blockNumber();
    await wave();
    await wave();
    await waitFor('mempool table', async () => (await page.locator('[data-testid=mempool-table] tbody tr').count()) >= 8);
    assert.equal(node.blockNumber(), pausedHead, 'no block while paused');
    assert.match(await text('kpi-mempool'), /^1[6-9]|^[2-9]\d/);
    if (typeof (node as any).dropSender === 'function') {
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('admin-drain-input').fill(accounts[3].address);
      await page.getByTestId('admin-drain').click();
      await waitFor('drained', async () => node.pool.queue(accounts[3].address).length === 0);
      assert.ok(logLines.some((l) => l.action === 'drain-sender' && l.result === 'ok'));
      nonces.delete(accounts[3].address);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'console-paused.png'), fullPage: true });
    await page.getByTestId('admin-resume').click();
    await waitFor('resumed and mined', async () => node.blockNumber() > pausedHead && node.pool.size === 0);
    await waitFor('live again', async () => (await text('status')).toLowerCase().includes('live'));
    // Block time and gas limit through the page.
    await page.getByTestId('admin-blocktime-input').fill('150');
    await page.getByTestId('admin-blocktime').click();
    await waitFor('block time set', () => (node as any).blockTimeMs === 150);
    await waitFor('block time shown', async () => (await text('kpi-block-rate-hint')).includes('target 150 ms'));
    await page.locator('#i-gl').fill('25000000');
    await page.getByTestId('admin-gaslimit').click();
    await waitFor('gas limit set', () => node.nextBlockEnv().gasLimit === 25_000_000n);
    await waitFor('gas limit shown', async () => (await text('kpi-gaslimit')) === '25.00M');
    await wave();
    await waitFor('a block with the new gas limit', () => node.head().header.gasLimit === 25_000_000n);
    for (const action of ['set-block-time', 'set-gas-limit']) assert.ok(logLines.some((l) => l.action === action && l.result === 'ok' && l.status === 200), action);
    const bt = logLines.find((l) => l.action === 'set-block-time' && l.result === 'ok');
    assert.deepEqual([bt.params, bt.response], [{ ms: 150 }, { blockTimeMs: 150, previous: 100 }]);
  });

  it('counts rejected transactions by reason (when the node reports them)', async () => {
    let emitted = 0;
    node.events.on('rejected' as any, () => emitted++);
    // Nonce 0 of a sender that has already sent: refused at ingress as NONCE_TOO_LOW.
    const stale = await accounts[1].signer.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: 0, to: HOT, value: 1n, gas: 21_000n, maxFeePerGas: parseGwei('50'), maxPriorityFeePerGas: parseGwei('1') });
    await assert.rejects(node.submitRawTransaction(hexToBytes(stale)), /nonce too low/);
    if (emitted === 0) {
      assert.match(await text('rejected'), /Not reported by this node build/);
      return;
    }
    await waitFor('rejected panel', async () => /NONCE_TOO_LOW\s+1/.test(await text('rejected')));
    const body = await (await fetch(`${con.url}/metrics`)).text();
    assert.match(body, /sequencer_rejected_transactions_total\{reason="NONCE_TOO_LOW"\} 1/);
  });

  it('serves Prometheus metrics with real values', async () => {
    // Idle blocks keep sealing: compare against the node only for a scrape during which no block was sealed.
    let res: Response;
    let body = '';
    for (let tries = 0; ; tries++) {
      const before = node.blockNumber();
      res = await fetch(`${con.url}/metrics`);
      body = await res.text();
      if (node.blockNumber() === before) break;
      assert.ok(tries < 20, 'no quiet moment between blocks to compare the scrape with');
    }
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body)?.[1]);
    assert.equal(value('sequencer_head_block_number'), Number(node.blockNumber()));
    assert.ok(value('sequencer_transactions_total') > 20);
    assert.ok(value('sequencer_blocks_total') > 5);
    // Every block was sealed while the console ran: the counters equal the node's own statistics.
    const stats = node.recentStats();
    assert.equal(value('sequencer_blocks_total'), stats.length);
    assert.equal(value('sequencer_scheduler_conflicts_total'), stats.reduce((a, s) => a + s.conflicts, 0));
    assert.equal(value('sequencer_scheduler_executions_total'), stats.reduce((a, s) => a + s.executions, 0));
    assert.ok(value('sequencer_tx_inclusion_latency_seconds_count') > 20);
    assert.match(body, /sequencer_block_stage_seconds_bucket\{le="[^"]+",stage="exec"\}/);
    assert.match(body, /sequencer_console_admin_actions_total\{action="pause",result="unauthorized"\} 3/);
    assert.match(body, /sequencer_process_process_cpu_user_seconds_total/);
  });

  it('shows the mempool by sender and fee while a burst drains, then saves a screenshot', async () => {
    await pump(2000);
    const mined = tokenTransferHash!;
    await waitFor('token transfer mined', async () => (await node.getReceipt(mined)) !== null);
    await page.getByTestId('search-input').fill(mined);
    await page.getByTestId('search-go').click();
    await waitFor('tx result', async () => (await text('search-result')).includes('Transfer'));
    // Sealing paused while the burst lands, so the panel's one-second redraw cannot miss a pool that drains in
    // less than a second (it does, on the native sender recovery and disjoint-slot scheduling).
    await node.pause();
    await burst(150);
    // Read the panel in one DOM pass (it is redrawn every second).
    const seen = await waitFor('mempool rows', async () => {
      const v = await page.evaluate(() => ({
        depth: document.querySelector('[data-testid=kpi-mempool]')!.textContent!,
        rows: [...document.querySelectorAll('[data-testid=mempool-table] tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
        feeBars: document.querySelectorAll('[data-testid=chart-fees] rect').length,
      }));
      return v.rows.length >= 3 && v.rows[0].length === 5 ? v : undefined;
    });
    assert.ok(Number(seen.depth.replace(/,/g, '')) > 0, `mempool depth shown: ${seen.depth}`);
    await node.resume();
    await waitFor('burst drained', () => node.pool.size === 0, 60_000);
    assert.ok(seen.feeBars >= 1, 'fee histogram bars');
    for (const row of seen.rows) {
      assert.match(row[0], /^0x[0-9a-f]{6}…[0-9a-f]{6}$/);
      assert.ok(Number(row[1]) > 0);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'console.png');
    await page.screenshot({ path, fullPage: true });
    assert.ok(statSync(path).size > 20_000);
    assert.deepEqual(logLines.filter((l) => l.pageerror), [], 'no script errors in the page');
  });

  it('renders a plugged-in L1 source: batches from a stand-in batcher, deposits from the node\'s real L1 queue', async () => {
    // The batcher lives on another branch; a stand-in with the same shape (rows built from real sealed blocks)
    // exercises the connected rendering path. Deposits go through the node's real depositSink.
    const head = node.blockNumber();
    const blocks = await node.batchSource().getSealedBlocks(1n, head < 4n ? head : 4n);
    const rows = [{ batch_index: 0, first_block: 1, last_block: blocks.length, new_state_root: blocks[blocks.length - 1].stateRoot, da: 'calldata' as const, data: new Uint8Array(1234), status: 'confirmed' as const, created_at: Date.now(), confirmed_l1_block: 3, confirmed_tx_hash: `0x${'cd'.repeat(32)}` }];
    const to = accounts[9].address;
    const before = node.getState().getAccount(to)!.balance;
    const index = await node.depositSink().nextQueueIndex();
    await node.depositSink().accept({ queueIndex: index, kind: 0, l1Sender: accounts[9].address, to, value: 10n ** 18n, data: '0x', l1Timestamp: 1n, accumulator: `0x${'00'.repeat(32)}`, l1BlockNumber: 5n, l1TxHash: `0x${'ef'.repeat(32)}` });
    await waitFor('deposit applied', () => node.getState().getAccount(to)!.balance === before + 10n ** 18n);
    con.setL1Source(batcherStatusSource({ batcher: { status: () => ({ running: true }), tick: async () => {} }, store: { all: async () => rows }, l1Url: 'http://127.0.0.1:8545', l1ChainId: 31337n, l1Head: async () => 42n, deposits: nodeQueueDeposits(node) }));
    await waitFor('L1 panel connected', async () => (await text('l1-status')).includes('confirmed'));
    const l1 = await text('l1-status');
    assert.doesNotMatch(l1, /not connected/);
    assert.match(l1, /L1 head\s+42/);
    assert.match(l1, /1,234/);
    assert.match(await page.getByTestId('l1-deposits').innerText(), /deposit[\s\S]*1(\.0*)?\s[\s\S]*applied/);
    await page.getByTestId('l1-status').screenshot({ path: join(ARTIFACTS, 'console-l1.png') });
    assert.deepEqual(logLines.filter((l) => l.pageerror), [], 'no script errors in the page');
  });
});
