// End to end: raw signed transactions through JSON-RPC (eth_sendRawTransaction) into a server process,
// until every transaction is seen in a sealed block over RPC. Two ways to send: 'batched' (JSON-RPC batches
// of 100, 4 in flight) and 'per-request' (how wallets send: one tx per HTTP request, every sender its own
// concurrent client sending its next nonce once the previous is answered: 1,000 concurrent senders at
// 2,000+ txs). Servers: our sequencer
// (bench/servers/seq-server.ts), anvil (automine off, evm_mine every block interval), and the sequential
// @ethereumjs/vm sequencer (bench/servers/ejs-server.ts). Latency is submit (batch sent) -> block containing
// the tx visible through eth_getBlockByNumber (receipt available), polled every 20 ms.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anvilBinary } from '../sequencer/l1/anvil.js';
import { freePort } from '../sequencer/util/port.js';
import type { Unavailable } from './pipeline.js';
import { anvilGenesisJson, seqGenesisJson, type Workload } from './workloads.js';

export type ServerKind = 'ours' | 'anvil' | 'ejs';
export type SendMode = 'batched' | 'per-request';

export interface E2EResult {
  available: true;
  server: ServerKind;
  mode: SendMode;
  /** Concurrent HTTP clients sending. */
  clients: number;
  txs: number;
  accepted: number;
  rejected: number;
  firstRejection?: string;
  included: number;
  blocks: number;
  wallMs: number;
  txPerSec: number;
  mgasPerSec?: number;
  latencyMs: { p50: number; p99: number; max: number };
  peakRssMiB: number | null;
  /**
   * CPU time over the run (from the first request until the last tx was seen), ms: the server process (all
   * its threads) and this bench process (the load generator and poller); per included tx in µs. The same
   * measure for every server kind, so CPU cost compares even where 2 shared cores make wall time noisy.
   */
  cpu: { serverMs: number | null; clientMs: number; serverUsPerTx: number | null; clientUsPerTx: number };
  notes: string[];
  /** Whatever the server reports about itself (ours: scheduler and pipeline stage summary; ejs: stage times). */
  serverStats?: unknown;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export interface Launched {
  url: string;
  proc: ChildProcess;
  stats(): Promise<unknown>;
  stop(): Promise<void>;
  mine?: () => Promise<void>;
}

function readLine(proc: ChildProcess, prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${prefix} (stderr: ${err.slice(-500)})`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith(prefix)) return done(undefined, l.slice(prefix.length).trim());
    };
    const onErr = (d: Buffer) => (err += d.toString());
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before ${prefix}: ${err.slice(-800)}`));
    function done(e?: Error, v?: string) {
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.stderr?.off('data', onErr);
      proc.off('exit', onExit);
      if (e) reject(e);
      else resolve(v!);
    }
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onErr);
    proc.on('exit', onExit);
  });
}

function stopProc(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

/** User + system CPU time of a process and all its threads so far, ms; null when /proc is not readable. */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): state is [0], utime [11], stime [12], in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}
/** Linux's USER_HZ (sysconf(_SC_CLK_TCK)), 100 on every architecture Node runs on. */
const CLOCK_TICKS_PER_S = 100;

/** Peak resident set of a process (VmHWM), MiB; null when /proc is not readable. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export async function launchTsChild(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Launched> {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server process alone.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, script), ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  proc.stderr?.resume();
  const url = await readLine(proc, 'READY ', 120_000);
  return {
    url,
    proc,
    async stats() {
      const p = readLine(proc, 'STATS ', 10_000);
      proc.stdin?.write('stats\n');
      return JSON.parse(await p);
    },
    stop: () => stopProc(proc),
  };
}

async function launch(kind: ServerKind, w: Workload, dir: string, blockTimeMs: number, oursExecutor: string): Promise<Launched> {
  if (kind === 'ours') {
    const g = join(dir, 'genesis.json');
    writeFileSync(g, JSON.stringify(seqGenesisJson(w.genesis)));
    return launchTsChild('bench/servers/seq-server.ts', ['--genesis', g, '--data', join(dir, 'ours'), '--block-time', String(blockTimeMs), '--executor', oursExecutor]);
  }
  if (kind === 'ejs') {
    const g = join(dir, 'genesis.json');
    writeFileSync(g, JSON.stringify(seqGenesisJson(w.genesis)));
    return launchTsChild('bench/servers/ejs-server.ts', ['--genesis', g, '--data', join(dir, 'ejs'), '--block-time', String(blockTimeMs)]);
  }
  const g = join(dir, 'anvil-genesis.json');
  writeFileSync(g, JSON.stringify(anvilGenesisJson(w.genesis)));
  const port = await freePort('127.0.0.1');
  const proc = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--init', g, '--no-mining', '--hardfork', 'cancun', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.resume();
  proc.stderr?.resume();
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await rpc(url, { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] });
      const chain = BigInt((r as { result: string }).result);
      if (chain !== w.genesis.chainId) throw new Error(`anvil chain id ${chain}, expected ${w.genesis.chainId}`);
      break;
    } catch (e) {
      if ((e as Error).message.startsWith('anvil chain id')) throw e;
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`anvil did not start: ${(e as Error).message}`);
      await sleep(100);
    }
  }
  return {
    url,
    proc,
    stats: async () => undefined,
    stop: () => stopProc(proc),
    mine: async () => {
      await rpc(url, { jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] });
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One JSON-RPC call or batch; retried (3 times) only when the connection itself failed. */
export async function rpc(url: string, body: unknown, retries = 3): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return await r.json();
    } catch (e) {
      if (attempt >= retries) throw new Error(`${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
      retriesDone++;
      await sleep(50);
    }
  }
}
let retriesDone = 0;

/**
 * One JSON-RPC request on a kept-alive connection of `agent` (node:http): the per-request senders' client.
 * fetch (undici) cost this process ~0.9 ms of CPU per request at 1,000 concurrent senders, which on 2 shared
 * cores took CPU from whichever server was measured; a wallet's HTTP client runs on another machine. Retried
 * (3 times) only when the connection itself failed, as rpc().
 */
async function postKeptAlive(agent: Agent, url: URL, text: string, retries = 3): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<unknown>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(parts).toString('utf8')));
            } catch (e) {
              reject(new Error(`HTTP ${res.statusCode}: response is not JSON (${(e as Error).message})`));
            }
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(text);
      });
    } catch (e) {
      if (attempt >= retries || (e as Error).message.startsWith('HTTP ')) throw e;
      retriesDone++;
      await sleep(50);
    }
  }
}

/**
 * Sends `rawHex` as wallets do: tx i is sender (i mod senders)'s next nonce (workloads.ts), each sender one
 * client with its own kept-alive connection and one eth_sendRawTransaction request at a time.
 */
export async function sendPerRequest(url: string, rawHex: readonly string[], senders: number, onSend: (i: number) => void, onAnswer: (i: number, response: unknown) => void): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: senders });
  const target = new URL(url);
  const client = async (s: number) => {
    for (let i = s; i < rawHex.length; i += senders) {
      const text = `{"jsonrpc":"2.0","id":${i},"method":"eth_sendRawTransaction","params":["${rawHex[i]}"]}`;
      onSend(i);
      onAnswer(i, await postKeptAlive(agent, target, text));
    }
  };
  try {
    await Promise.all(Array.from({ length: senders }, (_, s) => client(s)));
  } finally {
    agent.destroy();
  }
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface DriveOptions {
  /** Default 'batched'. */
  mode?: SendMode;
  /** Requests per JSON-RPC batch (default 100). */
  batch?: number;
  /** Batches in flight (default 4). */
  concurrency?: number;
  blockTimeMs?: number;
  timeoutMs?: number;
  /** Executor of our sequencer (default reference; native once it executes). */
  oursExecutor?: 'reference' | 'native';
}

/** Starts `kind`, drives the workload through it, stops it. Never throws: failures become Unavailable. */
export async function runE2E(kind: ServerKind, w: Workload, opts: DriveOptions = {}): Promise<E2EResult | Unavailable> {
  const blockTimeMs = opts.blockTimeMs ?? 250;
  const dir = mkdtempSync(join(tmpdir(), `bench-e2e-${kind}-`));
  let srv: Launched | undefined;
  try {
    srv = await launch(kind, w, dir, blockTimeMs, opts.oursExecutor ?? 'reference');
    return await drive(kind, srv, w, { ...opts, blockTimeMs });
  } catch (e) {
    return { available: false, reason: `${kind}: ${(e as Error).message}` };
  } finally {
    await srv?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drive(kind: ServerKind, srv: Launched, w: Workload, opts: DriveOptions & { blockTimeMs: number }): Promise<E2EResult> {
  const n = w.raws.length;
  const senders = w.senders.length;
  retriesDone = 0;
  // A batch never holds two txs of one sender, and a sender's next nonce is only sent once the batch with its
  // previous one has been answered (batch <= senders, batches in flight <= senders / batch).
  const batch = Math.max(1, Math.min(opts.batch ?? 100, senders));
  const concurrency = Math.max(1, Math.min(opts.concurrency ?? 4, Math.floor(senders / batch)));
  const mode = opts.mode ?? 'batched';
  const timeoutMs = opts.timeoutMs ?? 60_000 + n * 50;
  const index = new Map<string, number>(w.hashes.map((h, i) => [h, i]));
  const sentAt = new Float64Array(n).fill(NaN);
  const seenAt = new Float64Array(n).fill(NaN);
  const rawHex = w.raws.map((r) => `0x${Buffer.from(r).toString('hex')}`);
  let accepted = 0;
  let rejected = 0;
  let firstRejection: string | undefined;
  let seen = 0;
  let blocks = 0;
  let stop = false;
  const notes: string[] = [];
  const serverCpu0 = processCpuMs(srv.proc.pid);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();

  const sendLoop = async () => {
    let next = 0;
    const done: Promise<void>[] = [];
    const finish: (() => void)[] = [];
    const batches = Math.ceil(n / batch);
    for (let j = 0; j < batches; j++) done.push(new Promise<void>((r) => finish.push(r)));
    const worker = async () => {
      while (next < n) {
        const from = next;
        const to = Math.min(n, from + batch);
        next = to;
        const j = from / batch;
        // Tx i's sender sent its previous nonce as tx i - S: wait until the batches holding those are answered.
        const lastDep = Math.floor((to - 1 - senders) / batch);
        for (let d = Math.max(0, Math.floor((from - senders) / batch)); d <= lastDep; d++) await done[d];
        const body = [];
        for (let i = from; i < to; i++) body.push({ jsonrpc: '2.0', id: i, method: 'eth_sendRawTransaction', params: [rawHex[i]] });
        const now = performance.now();
        for (let i = from; i < to; i++) sentAt[i] = now;
        const res = (await rpc(srv.url, body)) as { id: number; result?: string; error?: { message: string } }[] | { error?: { message: string } };
        if (!Array.isArray(res)) throw new Error(`batch answered with ${JSON.stringify(res).slice(0, 300)}`);
        for (const r of res) count(r);
        finish[j]();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };

  let last = 0n;
  const poll = async () => {
    while (!stop) {
      const bn = BigInt(((await rpc(srv.url, { jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] })) as { result: string }).result);
      for (let b = last + 1n; b <= bn; b++) {
        const r = (await rpc(srv.url, { jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: [`0x${b.toString(16)}`, false] })) as { result: { transactions: string[] } | null };
        const now = performance.now();
        if (!r.result) break;
        last = b;
        if (r.result.transactions.length > 0) blocks++;
        for (const h of r.result.transactions) {
          const i = index.get(h.toLowerCase());
          if (i !== undefined && Number.isNaN(seenAt[i])) {
            seenAt[i] = now;
            seen++;
          }
        }
      }
      if (seen >= n || (sendingDone && seen >= accepted)) return;
      if (performance.now() - t0 > timeoutMs) {
        notes.push(`timed out after ${Math.round(timeoutMs / 1000)} s with ${seen}/${accepted} accepted txs included`);
        return;
      }
      await sleep(20);
    }
  };

  const mineLoop = async () => {
    if (!srv.mine) return;
    while (!stop) {
      await sleep(opts.blockTimeMs);
      if (!stop) await srv.mine();
    }
  };

  const count = (r: { error?: { message: string } }) => {
    // A request resent after a dropped connection may find its tx already in the pool.
    if (r.error && !/already known/i.test(r.error.message)) {
      rejected++;
      firstRejection ??= r.error.message;
    } else accepted++;
  };

  const sendPerRequestMode = () => sendPerRequest(srv.url, rawHex, senders, (i) => (sentAt[i] = performance.now()), (_i, r) => count(r as { error?: { message: string } }));

  let sendingDone = false;
  const miner = mineLoop();
  const sending = (mode === 'per-request' ? sendPerRequestMode() : sendLoop()).finally(() => (sendingDone = true));
  await Promise.all([sending, poll()]);
  const serverCpu1 = processCpuMs(srv.proc.pid);
  const clientCpu = process.cpuUsage(clientCpu0);
  stop = true;
  await miner.catch(() => {});
  const lat: number[] = [];
  let lastSeen = t0;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(seenAt[i])) {
      lat.push(seenAt[i] - sentAt[i]);
      if (seenAt[i] > lastSeen) lastSeen = seenAt[i];
    }
  }
  lat.sort((a, b) => a - b);
  const wallMs = lastSeen - t0;
  if (retriesDone > 0) notes.push(`${retriesDone} JSON-RPC requests retried after a failed connection`);
  const serverStats = await srv.stats().catch((e) => ({ error: (e as Error).message }));
  notes.push(mode === 'per-request' ? `one tx per HTTP request, ${senders} concurrent senders (each sends its next nonce once the previous is answered)` : `JSON-RPC batches of ${batch}, ${concurrency} in flight`);
  if (kind === 'ours') notes.push(`our sequencer on the ${opts.oursExecutor ?? 'reference'} executor, SQLite on disk (WAL, synchronous=FULL), block every ${opts.blockTimeMs} ms, pipelined production (serverStats: per-stage sums, overlapMs = execution that ran while the previous block sealed)`);
  if (kind === 'anvil') notes.push('anvil keeps its state in memory (no persistence); blocks mined by evm_mine every block interval');
  if (kind === 'ejs') notes.push('baseline persists raw txs, blocks and receipts in SQLite; its world state stays in the in-memory trie');
  return {
    available: true,
    server: kind,
    mode,
    clients: mode === 'per-request' ? senders : concurrency,
    txs: n,
    accepted,
    rejected,
    firstRejection,
    included: seen,
    blocks,
    wallMs,
    txPerSec: seen > 0 ? (seen / wallMs) * 1000 : 0,
    latencyMs: { p50: pct(lat, 50), p99: pct(lat, 99), max: lat.length ? lat[lat.length - 1] : NaN },
    peakRssMiB: peakRssMiB(srv.proc.pid),
    cpu: cpuOf(serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null, (clientCpu.user + clientCpu.system) / 1000, seen),
    notes,
    serverStats,
  };
}

function cpuOf(serverMs: number | null, clientMs: number, included: number): E2EResult['cpu'] {
  const perTx = (ms: number) => (included > 0 ? (ms * 1000) / included : NaN);
  return { serverMs, clientMs, serverUsPerTx: serverMs === null ? null : perTx(serverMs), clientUsPerTx: perTx(clientMs) };
}
