// `npm run bench -- reads [--json] [--seconds S] [--clients N] [--txs N]`: issue #16's read scaling and the
// store's write cost, in one run on one machine.
//  - Reads: eth_call (ERC-20 balanceOf), eth_getBalance, eth_getLogs (the token's logs over 32 blocks) and
//    eth_getTransactionReceipt per second, N concurrent HTTP clients for S seconds each, against the sequencer
//    alone, one replica, and two replicas (clients split evenly), all on one PostgreSQL store; ratios are
//    against the sequencer alone from the same run.
//  - Writes: the sequencer's throughput (pre-signed transfers in JSON-RPC batches until every one is mined)
//    on SQLite and on PostgreSQL, native executor; ratio PostgreSQL / SQLite.
// Every node is its own process (the sequencer: test/support/sequencer-child.ts; replicas: `npm start --
// --replica`); the clients run in this process, so on a small machine they compete with the servers for
// cores: the JSON carries the core count and load average, and `limits` says what bounded each figure.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { encodeDeployData, encodeFunctionData, type Abi } from 'viem';
import { bytesToHex, type Address, type Hex } from '../sequencer/primitives/types.js';
import { freePort } from '../sequencer/util/port.js';
import { compileErc20 } from '../test/e2e/erc20.js';
import { DEV, signTx } from '../test/sequencer/helpers.js';
import { startPostgres } from '../test/support/postgres.js';
import { kill, rpc, startChild, until } from '../test/support/rpc-processes.js';
import { walkBenchFlags } from './bench-flags.js';

interface Args {
  json: boolean;
  seconds: number;
  clients: number;
  txs: number;
  out: string;
}

const USAGE = 'usage: npm run bench -- reads [--json] [--seconds S] [--clients N] [--txs N] [--out DIR]';

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, seconds: 4, clients: 16, txs: 2000, out: 'bench/results' };
  walkBenchFlags(argv, USAGE, (flag, value) => {
    if (flag === '--json') a.json = true;
    else if (flag === '--seconds') a.seconds = value.positiveNumber();
    else if (flag === '--clients') a.clients = value.positiveInt();
    else if (flag === '--txs') a.txs = value.positiveInt();
    else if (flag === '--out') a.out = value.text();
    else return false;
    return true;
  });
  return a;
}

const hexQ = (n: bigint | number) => `0x${n.toString(16)}`;
const token = compileErc20();

interface Node {
  child: ChildProcess;
  url: string;
}

async function startSequencer(store: string, executor: 'native' | 'reference'): Promise<Node> {
  const { child, output } = await startChild('test/support/sequencer-child.ts', [store, '100', executor], /sequencer ready (\S+)/, 180_000);
  return { child, url: /sequencer ready (\S+)/.exec(output())![1] };
}

async function startReplicaProcess(store: string, sequencerUrl: string): Promise<Node> {
  const port = await freePort();
  const args = ['--replica', '--store', store, '--sequencer', sequencerUrl, '--port', String(port), '--no-console', '--executor', 'reference'];
  const { child } = await startChild('sequencer/cli/main.ts', args, /replica JSON-RPC ready/, 180_000);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** `count` transfers from the 10 dev accounts, nonce-ordered per sender, from `nonces` on. */
function transfers(count: number, nonces: bigint[]): Hex[] {
  const out: Hex[] = [];
  for (let k = 0; k < count; k++) {
    const i = k % DEV.length;
    out.push(bytesToHex(signTx(DEV[i], { nonce: nonces[i]++, to: DEV[(i + 1) % DEV.length].address, value: 1n, gasLimit: 21_000n })) as Hex);
  }
  return out;
}

async function sendBatch(url: string, raws: Hex[]): Promise<void> {
  const body = raws.map((raw, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendRawTransaction', params: [raw] }));
  const res = (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { error?: { message: string } }[];
  const failed = res.find((r) => r.error);
  if (failed) throw new Error(`transaction refused: ${failed.error!.message}`);
}

/** Sends `raws` in batches of 200 (each sender's nonces in order) and waits until the last nonce of every sender is mined. */
async function mineAll(url: string, raws: Hex[], nonces: bigint[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < raws.length; i += 200) await sendBatch(url, raws.slice(i, i + 200));
  await until(
    'every transfer mined',
    async () => {
      for (let i = 0; i < DEV.length; i++) if (BigInt(await rpc<Hex>(url, 'eth_getTransactionCount', [DEV[i].address, 'latest'])) < nonces[i]) return false;
      return true;
    },
    600_000,
  );
  return (performance.now() - t0) / 1000;
}

interface WriteResult {
  store: 'sqlite' | 'postgres';
  txs: number;
  seconds: number;
  txPerS: number;
}

async function writeThroughput(store: string, kind: WriteResult['store'], txs: number, log: (s: string) => void): Promise<WriteResult> {
  const seq = await startSequencer(store, 'native');
  try {
    const nonces = DEV.map(() => 0n);
    // Warm-up (executor, JIT, first blocks), not counted.
    await mineAll(seq.url, transfers(200, nonces), nonces);
    const raws = transfers(txs, nonces);
    const seconds = await mineAll(seq.url, raws, nonces);
    log(`[reads] writes on ${kind}: ${txs} transfers in ${seconds.toFixed(1)} s = ${(txs / seconds).toFixed(0)} tx/s`);
    return { store: kind, txs, seconds: +seconds.toFixed(2), txPerS: +(txs / seconds).toFixed(1) };
  } finally {
    await kill(seq.child);
  }
}

type ReadName = 'eth_call' | 'eth_getBalance' | 'eth_getLogs' | 'eth_getTransactionReceipt';
const READS: ReadName[] = ['eth_call', 'eth_getBalance', 'eth_getLogs', 'eth_getTransactionReceipt'];

/** N clients, each sending one request after another to its target, for `seconds`. */
async function measure(targets: string[], request: (i: number) => { method: string; params: unknown[] }, clients: number, seconds: number): Promise<{ perS: number; errors: number }> {
  let ok = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      const url = targets[c % targets.length];
      for (let i = c; performance.now() < end; i += clients) {
        const { method, params } = request(i);
        try {
          await rpc(url, method, params);
          ok++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { perS: +(ok / ((performance.now() - t0) / 1000)).toFixed(1), errors };
}

export async function readsMain(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = new Date();
  const pg = await startPostgres();
  const sqliteDir = mkdtempSync(join(tmpdir(), 'bench-reads-'));
  const children: ChildProcess[] = [];
  try {
    const writes = [
      await writeThroughput(join(sqliteDir, 'chain'), 'sqlite', args.txs, log),
      await writeThroughput(await pg.createDatabase('writes'), 'postgres', args.txs, log),
    ];

    const store = await pg.createDatabase('reads');
    const seq = await startSequencer(store, 'native');
    children.push(seq.child);
    const nonces = DEV.map(() => 0n);
    const deploy = encodeDeployData({ abi: token.abi as Abi, bytecode: token.bytecode, args: [10n ** 24n] });
    await sendBatch(seq.url, [bytesToHex(signTx(DEV[0], { nonce: nonces[0]++, to: null, data: deploy, gasLimit: 2_000_000n })) as Hex]);
    await until('token deployed', async () => BigInt(await rpc<Hex>(seq.url, 'eth_getTransactionCount', [DEV[0].address, 'latest'])) === 1n, 120_000);
    const tokenAddress = (await rpc<{ contractAddress: Address }[]>(seq.url, 'eth_getBlockReceipts', ['latest'])).find((r) => r.contractAddress)!.contractAddress;
    // History to read: token transfers (a receipt and a log each) from account 0, plain transfers from the others.
    const txHashes: Hex[] = [];
    for (let round = 0; round < 40; round++) {
      const raws: Hex[] = [];
      for (let k = 0; k < 10; k++) {
        const data = encodeFunctionData({ abi: token.abi as Abi, functionName: 'transfer', args: [DEV[1 + (k % 9)].address, BigInt(round * 10 + k + 1)] });
        raws.push(bytesToHex(signTx(DEV[0], { nonce: nonces[0]++, to: tokenAddress, data, gasLimit: 100_000n })) as Hex);
      }
      for (const raw of raws) txHashes.push(await rpc<Hex>(seq.url, 'eth_sendRawTransaction', [raw]));
    }
    await until('history mined', async () => BigInt(await rpc<Hex>(seq.url, 'eth_getTransactionCount', [DEV[0].address, 'latest'])) === nonces[0], 300_000);
    const head = BigInt(await rpc<Hex>(seq.url, 'eth_blockNumber'));
    const replicas = [await startReplicaProcess(store, seq.url), await startReplicaProcess(store, seq.url)];
    children.push(...replicas.map((r) => r.child));
    for (const r of replicas) await until(`replica ${r.url} at ${head}`, async () => BigInt(await rpc<Hex>(r.url, 'eth_blockNumber')) >= head, 120_000);

    const balanceOf = (i: number) => encodeFunctionData({ abi: token.abi as Abi, functionName: 'balanceOf', args: [DEV[i % DEV.length].address] });
    const requests: Record<ReadName, (i: number) => { method: string; params: unknown[] }> = {
      eth_call: (i) => ({ method: 'eth_call', params: [{ to: tokenAddress, data: balanceOf(i) }, 'latest'] }),
      eth_getBalance: (i) => ({ method: 'eth_getBalance', params: [DEV[i % DEV.length].address, 'latest'] }),
      eth_getLogs: (i) => {
        const from = BigInt(i) % (head > 32n ? head - 32n : 1n);
        return { method: 'eth_getLogs', params: [{ address: tokenAddress, fromBlock: hexQ(from), toBlock: hexQ(from + 32n) }] };
      },
      eth_getTransactionReceipt: (i) => ({ method: 'eth_getTransactionReceipt', params: [txHashes[i % txHashes.length]] }),
    };
    const configs: { name: 'sequencer' | 'oneReplica' | 'twoReplicas'; targets: string[] }[] = [
      { name: 'sequencer', targets: [seq.url] },
      { name: 'oneReplica', targets: [replicas[0].url] },
      { name: 'twoReplicas', targets: replicas.map((r) => r.url) },
    ];
    // Warm-up, not counted: a node's first eth_call loads its native state mirror and the 256-block BLOCKHASH window.
    for (const c of configs) for (const t of c.targets) for (const name of READS) for (let i = 0; i < 3; i++) await rpc(t, requests[name](i).method, requests[name](i).params);
    const reads: Record<string, Record<string, { perS: number; errors: number; vsSequencer?: number }>> = {};
    for (const name of READS) {
      reads[name] = {};
      for (const c of configs) {
        const r = await measure(c.targets, requests[name], args.clients, args.seconds);
        reads[name][c.name] = { ...r, vsSequencer: c.name === 'sequencer' ? undefined : +(r.perS / reads[name].sequencer.perS).toFixed(2) };
        log(`[reads] ${name} via ${c.name}: ${r.perS} req/s (${r.errors} errors)`);
      }
    }
    const result = {
      bench: 'reads',
      startedAt: started.toISOString(),
      wallS: (Date.now() - started.getTime()) / 1000,
      options: { seconds: args.seconds, clients: args.clients, writeTxs: args.txs, historyBlocks: Number(head), historyTxs: txHashes.length },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAvgAtEnd: loadavg().map((x) => +x.toFixed(2)) },
      writes: { sqlite: writes[0], postgres: writes[1], postgresVsSqlite: +(writes[1].txPerS / writes[0].txPerS).toFixed(2) },
      reads,
      limits: {
        reads:
          'Every process (sequencer, replicas, PostgreSQL, and the clients in the bench process) shares the same cores: a replica adds capacity only where a core is idle, so on 2 cores two replicas cannot double the sequencer. eth_call is native-EVM time on a libuv worker (2 in flight per node); eth_getBalance is a memory read, so it measures the JSON-RPC/HTTP path; eth_getLogs and receipts are PostgreSQL queries (one pool per node), bounded by the server process too.',
        writes: 'Per block, one database transaction with every row (blocks, txs, receipts, logs, state, history): SQLite is an in-process fsync; PostgreSQL adds a round trip per statement chunk and its own process on the same cores; execution and the state root are the same on both.',
      },
    };
    mkdirSync(args.out, { recursive: true });
    const file = join(args.out, `reads-${started.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    log(`[reads] results in ${file}`);
    if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else log(JSON.stringify({ writes: result.writes, reads }, null, 2));
  } finally {
    for (const c of children) await kill(c);
    await pg.stop();
    rmSync(sqliteDir, { recursive: true, force: true });
  }
}
