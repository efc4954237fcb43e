// `npm start -- --store postgres://... --history N`: the flags parse (and bad values are refused), and the
// whole node runs on PostgreSQL: a wallet's transaction is sealed, the block is in the database, and a
// restart on the same URL resumes from it.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPublicClient, createWalletClient, defineChain, http } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';
import { OptionError, parseOptions } from '../../sequencer/cli/options.js';
import { openChainStore } from '../../sequencer/store/open-store.js';
import { freePort } from '../../sequencer/util/port.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

let pg: PostgresServer;
const dataDir = mkdtempSync(join(tmpdir(), 'cli-store-'));
before(async () => {
  pg = await startPostgres();
});
after(async () => {
  await pg?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('--store and --history parse; bad values are refused with the help text', () => {
  const o = parseOptions(['--store', 'postgres://u@127.0.0.1:5432/chain', '--history', '128']);
  assert.equal(o.store, 'postgres://u@127.0.0.1:5432/chain');
  assert.equal(o.historyBlocks, 128);
  const d = parseOptions([]);
  assert.equal(d.store, undefined, 'SQLite in the data dir by default');
  assert.equal(d.historyBlocks, undefined, 'archive by default');
  assert.throws(() => parseOptions(['--store', 'mysql://x/y']), (e: Error) => e instanceof OptionError && /--store must be a postgres:\/\/ URL/.test(e.message) && /Usage/.test(e.message));
  assert.throws(() => parseOptions(['--history', '-5']), /--history must be a number of blocks/);
  assert.throws(() => parseOptions(['--history', 'all']), /--history must be a number of blocks/);
});

async function startNode(storeUrl: string, port: number, l1Port: number): Promise<ChildProcess> {
  const args = ['--import', 'tsx', 'sequencer/cli/main.ts', '--store', storeUrl, '--history', '1000', '--data-dir', dataDir, '--port', String(port), '--l1-port', String(l1Port), '--no-console', '--block-time', '100', '--executor', 'reference'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s: ${out}`)), 120_000);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('JSON-RPC ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return child;
}

async function stopNode(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

test('npm start -- --store postgres://...: blocks go to PostgreSQL, a restart resumes from them', { timeout: 240_000 }, async () => {
  const storeUrl = await pg.createDatabase('cli');
  const [port, l1Port] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const chain = defineChain({ id: 42069, name: 'l2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const account = mnemonicToAccount('test test test test test test test test test test test junk');
  let child = await startNode(storeUrl, port, l1Port);
  let mined: bigint;
  try {
    const wallet = createWalletClient({ account, chain, transport: http(url) });
    const client = createPublicClient({ chain, transport: http(url) });
    const hash = await wallet.sendTransaction({ to: '0x000000000000000000000000000000000000beef', value: 4242n });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100 });
    assert.equal(receipt.status, 'success');
    mined = receipt.blockNumber;
  } finally {
    await stopNode(child);
  }
  const store = await openChainStore(storeUrl);
  try {
    const head = (await store.head())!.number;
    assert.ok(head >= mined, `PostgreSQL holds the head (${head}) at or past the mined block ${mined}`);
    const txs = await store.txsOfBlock(mined);
    assert.equal(txs.length, 1);
    assert.equal(store.history().account('0x000000000000000000000000000000000000beef', mined)?.balance, 4242n);
  } finally {
    await store.close();
  }
  child = await startNode(storeUrl, port, l1Port);
  try {
    const client = createPublicClient({ chain, transport: http(url) });
    assert.ok((await client.getBlockNumber()) >= mined, 'resumed from the stored chain');
    assert.equal(await client.getBalance({ address: '0x000000000000000000000000000000000000beef', blockNumber: mined }), 4242n);
  } finally {
    await stopNode(child);
  }
});
