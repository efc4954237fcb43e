// Issue #16, RPC replicas on PostgreSQL: one sequencer (a child process) and two replicas over its store, one
// in this process (startReplica) and one started as `npm start -- --replica` in a child process.
//  1. Under load (raw transactions sent to the sequencer and through the replicas, ERC-20 transfers with
//     logs and plain transfers), every block, receipt and log a replica serves equals the sequencer's, calls
//     and balances agree, and each replica's newHeads and logs streams have no gap and no repeat.
//  2. A replica SIGKILLed under load and restarted catches up to the sequencer's head with the same blocks.
//  3. With the sequencer SIGKILLed, the replicas keep serving reads, and writes get a clear JSON-RPC error.
import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { encodeDeployData, encodeFunctionData, type Abi } from 'viem';
import { bytesToHex, type Address, type Hex } from '../../sequencer/primitives/types.js';
import { startReplica, type RunningReplica } from '../../sequencer/replica/start-replica.js';
import { freePort } from '../../sequencer/util/port.js';
import { compileErc20 } from '../e2e/erc20.js';
import { DEV, signTx } from '../sequencer/helpers.js';
import { startPostgres, type PostgresServer } from '../support/postgres.js';
import { kill, rpc, rpcError, startChild, subscribe, until } from '../support/rpc-processes.js';

let pg: PostgresServer;
let store: string;
let sequencer: { child: ChildProcess; url: string };
let inProcess: RunningReplica;
let cliReplica: { child: ChildProcess; url: string; port: number; metricsPort: number };
const subs: { close(): void }[] = [];
const token = compileErc20();
let tokenAddress: Address;
const nonces = new Map<number, bigint>();

async function startSequencer(): Promise<{ child: ChildProcess; url: string }> {
  const { child, output } = await startChild('test/support/sequencer-child.ts', [store, '100'], /sequencer ready (\S+)/);
  return { child, url: /sequencer ready (\S+)/.exec(output())![1] };
}

async function startCliReplica(port: number, metricsPort: number): Promise<{ child: ChildProcess; url: string; port: number; metricsPort: number }> {
  const args = ['--replica', '--store', store, '--sequencer', sequencer.url, '--port', String(port), '--console-port', String(metricsPort), '--executor', 'reference'];
  const { child } = await startChild('sequencer/cli/main.ts', args, /replica JSON-RPC ready/);
  return { child, url: `http://127.0.0.1:${port}`, port, metricsPort };
}

/** Signs the next transaction of dev account `i`. */
function next(i: number, f: { to?: Address | null; value?: bigint; data?: Hex; gasLimit?: bigint }): Hex {
  const nonce = nonces.get(i) ?? 0n;
  nonces.set(i, nonce + 1n);
  return bytesToHex(signTx(DEV[i], { nonce, gasLimit: 200_000n, ...f })) as Hex;
}

/** A round of load: token transfers (logs) from account 0, plain transfers from 1..4, spread over the three nodes. */
async function load(rounds: number, urls: string[]): Promise<Hex[]> {
  const hashes: Hex[] = [];
  for (let r = 0; r < rounds; r++) {
    const raws: Hex[] = [];
    for (let k = 0; k < 4; k++) {
      const data = encodeFunctionData({ abi: token.abi as Abi, functionName: 'transfer', args: [DEV[5 + (k % 4)].address, BigInt(1000 + r * 10 + k)] });
      raws.push(next(0, { to: tokenAddress, data }));
    }
    for (let i = 1; i <= 4; i++) raws.push(next(i, { to: DEV[9].address, value: BigInt(r * 100 + i) }));
    // One sender's transactions go to one node in nonce order; senders are spread over the nodes.
    const bySender = new Map<number, Hex[]>();
    raws.forEach((raw, j) => {
      const sender = j < 4 ? 0 : j - 3;
      bySender.set(sender, [...(bySender.get(sender) ?? []), raw]);
    });
    await Promise.all(
      [...bySender].map(async ([sender, list]) => {
        const url = urls[(sender + r) % urls.length];
        for (const raw of list) hashes.push(await rpc<Hex>(url, 'eth_sendRawTransaction', [raw]));
      }),
    );
    await new Promise((res) => setTimeout(res, 60));
  }
  return hashes;
}

async function head(url: string): Promise<bigint> {
  return BigInt(await rpc<Hex>(url, 'eth_blockNumber'));
}

async function caughtUp(replicaUrl: string): Promise<void> {
  const target = await head(sequencer.url);
  await until(`replica ${replicaUrl} at block ${target}`, async () => (await head(replicaUrl)) >= target);
}

/** Asserts that blocks [from, to] with full transactions and receipts read the same on both nodes. */
async function sameBlocks(replicaUrl: string, from: bigint, to: bigint): Promise<void> {
  for (let n = from; n <= to; n++) {
    const q = `0x${n.toString(16)}`;
    const [a, b] = await Promise.all([rpc(sequencer.url, 'eth_getBlockByNumber', [q, true]), rpc(replicaUrl, 'eth_getBlockByNumber', [q, true])]);
    assert.ok(a, `sequencer has block ${n}`);
    assert.deepEqual(b, a, `block ${n} on ${replicaUrl}`);
    const [ra, rb] = await Promise.all([rpc(sequencer.url, 'eth_getBlockReceipts', [q]), rpc(replicaUrl, 'eth_getBlockReceipts', [q])]);
    assert.deepEqual(rb, ra, `receipts of block ${n} on ${replicaUrl}`);
  }
}

/** newHeads numbers: consecutive, each once. */
function assertNoGaps(heads: unknown[], label: string): bigint[] {
  const numbers = heads.map((h) => BigInt((h as { number: Hex }).number));
  assert.ok(numbers.length > 0, `${label}: some heads arrived`);
  numbers.forEach((n, i) => {
    if (i > 0) assert.equal(n, numbers[i - 1] + 1n, `${label}: head ${n} follows ${numbers[i - 1]} (no gap, no repeat)`);
  });
  return numbers;
}

before(async () => {
  pg = await startPostgres();
  store = await pg.createDatabase('replicas');
  sequencer = await startSequencer();
  const deploy = encodeDeployData({ abi: token.abi as Abi, bytecode: token.bytecode, args: [10n ** 24n] });
  const hash = await rpc<Hex>(sequencer.url, 'eth_sendRawTransaction', [next(0, { to: null, data: deploy, gasLimit: 2_000_000n })]);
  await until('the token deployment', async () => (await rpc(sequencer.url, 'eth_getTransactionReceipt', [hash])) !== null);
  tokenAddress = (await rpc<{ contractAddress: Address }>(sequencer.url, 'eth_getTransactionReceipt', [hash])).contractAddress;
  inProcess = await startReplica({ store, sequencerUrl: sequencer.url, port: 0, metrics: { host: '127.0.0.1', port: 0 } });
  cliReplica = await startCliReplica(await freePort(), await freePort());
});

after(async () => {
  for (const s of subs) s.close();
  await inProcess?.close();
  if (cliReplica) await kill(cliReplica.child);
  if (sequencer) await kill(sequencer.child);
  await pg?.stop();
});

test('under load, both replicas serve the sequencer\'s blocks, receipts, logs and state; newHeads and logs streams have no gaps or repeats', { timeout: 120_000 }, async () => {
  const replicas = [inProcess.rpc.url, cliReplica.url];
  const headsA = await subscribe(inProcess.rpc.wsUrl, ['newHeads']);
  const headsB = await subscribe(`ws://127.0.0.1:${cliReplica.port}`, ['newHeads']);
  const logsA = await subscribe(inProcess.rpc.wsUrl, ['logs', { address: tokenAddress }]);
  subs.push(headsA, headsB, logsA);
  const first = await head(inProcess.rpc.url);
  const hashes = await load(6, [sequencer.url, ...replicas]);
  for (const h of hashes) await until(`receipt of ${h}`, async () => (await rpc(sequencer.url, 'eth_getTransactionReceipt', [h])) !== null);
  // Dev signing and the pool are the sequencer's: forwarded as they are.
  assert.deepEqual(await rpc(cliReplica.url, 'eth_accounts'), await rpc(sequencer.url, 'eth_accounts'));
  assert.deepEqual(Object.keys(await rpc<object>(cliReplica.url, 'txpool_status')).sort(), ['pending', 'queued']);
  const signed = await rpc<Hex>(cliReplica.url, 'eth_sendTransaction', [{ from: DEV[7].address, to: DEV[9].address, value: '0x2a' }]);
  await until('the dev-signed transaction on the replica', async () => (await rpc(cliReplica.url, 'eth_getTransactionReceipt', [signed])) !== null);
  const last = await head(sequencer.url);
  for (const url of replicas) await caughtUp(url);

  for (const url of replicas) {
    await sameBlocks(url, 0n, last);
    const filter = { fromBlock: '0x0', toBlock: `0x${last.toString(16)}` };
    assert.deepEqual(await rpc(url, 'eth_getLogs', [filter]), await rpc(sequencer.url, 'eth_getLogs', [filter]), `eth_getLogs on ${url}`);
    for (const h of hashes.slice(0, 8)) assert.deepEqual(await rpc(url, 'eth_getTransactionReceipt', [h]), await rpc(sequencer.url, 'eth_getTransactionReceipt', [h]));
    const at = `0x${last.toString(16)}`;
    const mid = `0x${(first + 1n).toString(16)}`;
    for (const block of [at, mid]) {
      const call = { to: tokenAddress, data: encodeFunctionData({ abi: token.abi as Abi, functionName: 'balanceOf', args: [DEV[5].address] }) };
      assert.equal(await rpc(url, 'eth_call', [call, block]), await rpc(sequencer.url, 'eth_call', [call, block]), `eth_call at ${block} on ${url}`);
      assert.equal(await rpc(url, 'eth_getBalance', [DEV[9].address, block]), await rpc(sequencer.url, 'eth_getBalance', [DEV[9].address, block]));
    }
    const est = { from: DEV[0].address, to: tokenAddress, data: encodeFunctionData({ abi: token.abi as Abi, functionName: 'transfer', args: [DEV[6].address, 1n] }) };
    assert.equal(await rpc(url, 'eth_estimateGas', [est]), await rpc(sequencer.url, 'eth_estimateGas', [est]), `eth_estimateGas on ${url}`);
    assert.equal(await rpc(url, 'eth_getTransactionCount', [DEV[0].address, 'pending']), await rpc(sequencer.url, 'eth_getTransactionCount', [DEV[0].address, 'pending']));
    assert.equal(await rpc(url, 'eth_syncing'), false, 'a caught-up replica is not syncing');
  }

  // Every head after the subscription, each once; the logs stream carries exactly the token's logs of those blocks.
  const [a, b] = [assertNoGaps(headsA.results, 'in-process replica'), assertNoGaps(headsB.results, 'CLI replica')];
  assert.equal(a.at(-1), last);
  assert.equal(b.at(-1), last);
  const streamed = logsA.results as { blockNumber: Hex; logIndex: Hex }[];
  const fetched = await rpc<{ blockNumber: Hex; logIndex: Hex }[]>(sequencer.url, 'eth_getLogs', [{ address: tokenAddress, fromBlock: `0x${a[0].toString(16)}`, toBlock: `0x${last.toString(16)}` }]);
  assert.ok(fetched.length >= 24, `token logs under load (${fetched.length})`);
  assert.deepEqual(streamed, fetched, 'logs subscription = eth_getLogs over the same blocks');

  const metrics = await (await fetch(inProcess.metricsUrl!)).text();
  assert.match(metrics, new RegExp(`^replica_head_block_number ${last}$`, 'm'));
  assert.match(metrics, /^replica_lag_blocks 0$/m);
  assert.match(metrics, /^replica_forwarded_requests_total\{method="eth_sendRawTransaction",outcome="ok"\} [1-9]/m);
});

test('a replica SIGKILLed under load and restarted catches up with the same blocks', { timeout: 120_000 }, async () => {
  const before = await head(sequencer.url);
  const loading = load(6, [sequencer.url, inProcess.rpc.url]);
  await new Promise((r) => setTimeout(r, 300));
  await kill(cliReplica.child);
  const hashes = await loading;
  for (const h of hashes) await until(`receipt of ${h}`, async () => (await rpc(sequencer.url, 'eth_getTransactionReceipt', [h])) !== null);
  cliReplica = await startCliReplica(cliReplica.port, cliReplica.metricsPort);
  await caughtUp(cliReplica.url);
  const last = await head(sequencer.url);
  assert.ok(last > before, 'blocks were sealed while the replica was down');
  await sameBlocks(cliReplica.url, before, last);
  for (const h of hashes) assert.deepEqual(await rpc(cliReplica.url, 'eth_getTransactionReceipt', [h]), await rpc(sequencer.url, 'eth_getTransactionReceipt', [h]));
});

test('with the sequencer SIGKILLed, replicas keep serving reads and writes get a clear error', { timeout: 60_000 }, async () => {
  const last = await head(sequencer.url);
  for (const url of [inProcess.rpc.url, cliReplica.url]) await caughtUp(url);
  const block = await rpc(sequencer.url, 'eth_getBlockByNumber', [`0x${last.toString(16)}`, true]);
  await kill(sequencer.child);
  const raw = next(1, { to: DEV[9].address, value: 1n });
  for (const url of [inProcess.rpc.url, cliReplica.url]) {
    assert.equal(await head(url), last);
    assert.deepEqual(await rpc(url, 'eth_getBlockByNumber', [`0x${last.toString(16)}`, true]), block);
    const call = { to: tokenAddress, data: encodeFunctionData({ abi: token.abi as Abi, functionName: 'totalSupply', args: [] }) };
    assert.equal(BigInt(await rpc<Hex>(url, 'eth_call', [call, 'latest'])), 10n ** 24n);
    const err = await rpcError(url, 'eth_sendRawTransaction', [raw]);
    assert.equal(err.code, -32000);
    assert.match(err.message, /sequencer unavailable: eth_sendRawTransaction could not be forwarded to http:\/\/127\.0\.0\.1:\d+ \(.+\); reads on this replica still work/);
    const signing = await rpcError(url, 'eth_sendTransaction', [{ from: DEV[2].address, to: DEV[9].address, value: '0x1' }]);
    assert.equal(signing.code, -32000);
    assert.match(signing.message, /sequencer unavailable: eth_sendTransaction/);
    // The pool cannot be asked: the pending nonce is the replica's latest state's.
    assert.equal(await rpc(url, 'eth_getTransactionCount', [DEV[1].address, 'pending']), await rpc(url, 'eth_getTransactionCount', [DEV[1].address, 'latest']));
  }
});
