// Chain store benchmark (`npx tsx bench/store.ts [--json] [--blocks N] [--txs N]`): block persistence
// (commitBlock: block, txs, receipts, logs, state history in one transaction), state history point reads,
// eth_getLogs, receipt reads and the restart's state load, on SQLite (synchronous FULL with the writer thread
// and with writes on the main thread, and NORMAL) and on a throwaway local PostgreSQL, with the ratios against SQLite FULL from the same run.
// Synthetic blocks, seeded: every store gets the same rows. Besides wall time: process CPU per tx (all
// threads), the main thread's busy time per tx (event-loop utilization: what persisting takes from the
// executor and RPC) and the longest stretch in which a 1 ms timer could not run (the event loop was held).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Address, Hex } from '../sequencer/primitives/types.js';
import { openChainStore, type StoreOptions } from '../sequencer/store/open-store.js';
import type { BlockCommit, ChainStore, StateDiff, StoredReceipt, StoredTx } from '../sequencer/store/store.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { startPostgres } from '../test/support/postgres.js';
import { walkBenchFlags } from './bench-flags.js';

interface Args {
  json: boolean;
  blocks: number;
  txs: number;
  reads: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, blocks: 40, txs: 200, reads: 2000 };
  walkBenchFlags(argv, 'usage: npx tsx bench/store.ts [--json] [--blocks N] [--txs N] [--reads N]', (flag, value) => {
    if (flag === '--json') a.json = true;
    else if (flag === '--blocks') a.blocks = value.positiveInt();
    else if (flag === '--txs') a.txs = value.positiveInt();
    else if (flag === '--reads') a.reads = value.positiveInt();
    else return false;
    return true;
  });
  return a;
}

const hex = (n: number | bigint, bytes: number): Hex => `0x${n.toString(16).padStart(bytes * 2, '0')}` as Hex;
const ACCOUNTS = 10_000;

/** Block n: `txs` transfers between seeded accounts, a receipt and a log each, and their state writes. */
function syntheticBlock(n: number, txs: number, rnd: () => number): BlockCommit {
  const blockHash = hex(0xb0000000 + n, 32);
  const state: StateDiff = { accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() };
  const stored: StoredTx[] = [];
  const receipts: StoredReceipt[] = [];
  for (let i = 0; i < txs; i++) {
    const from = hex(1 + Math.floor(rnd() * ACCOUNTS), 20) as Address;
    const to = hex(1 + Math.floor(rnd() * ACCOUNTS), 20) as Address;
    const hash = hex(n * 1_000_000 + i, 32);
    stored.push({ hash, blockNumber: BigInt(n), blockHash, index: i, sender: from, raw: new Uint8Array(110).fill(i & 0xff) });
    receipts.push({
      txHash: hash, blockNumber: BigInt(n), blockHash, index: i, status: 1, gasUsed: 51_000n, cumulativeGasUsed: 51_000n * BigInt(i + 1),
      effectiveGasPrice: 10n ** 9n, blobGasUsed: 0n, contractAddress: null,
      logs: [{ address: to, topics: [hex(0xddf2, 32), hex(BigInt(from), 32), hex(BigInt(to), 32)], data: new Uint8Array(32).fill(1), logIndex: i }],
    });
    for (const a of [from, to]) state.accounts.set(a, { address: a, nonce: BigInt(n), balance: BigInt(Math.floor(rnd() * 1e15)), codeHash: hex(0xc5d2, 32) });
    let slots = state.slots.get(to);
    if (slots === undefined) state.slots.set(to, (slots = new Map()));
    slots.set(hex(BigInt(from), 32), BigInt(n * 1000 + i));
  }
  return { block: { number: BigInt(n), hash: blockHash, header: new Uint8Array(600).fill(n & 0xff), size: 600 + 110 * txs }, txs: stored, receipts, state, removeFromMempool: [] };
}

interface Result {
  store: string;
  blocksPerSecond: number;
  txsPerSecond: number;
  msPerBlock: number;
  /** Process CPU time (every thread) per persisted transaction. */
  cpuUsPerTx: number;
  /** Main thread busy (event-loop utilization's active time) per persisted transaction. */
  mainThreadUsPerTx: number;
  /** Longest time the event loop was held while the blocks committed. */
  eventLoopMaxStallMs: number;
  historyAccountReadUs: number;
  historySlotReadUs: number;
  /** eth_getLogs over every block by one log address (a random account's: a few blocks have a log there). */
  logsByAddressMs: number;
  /** eth_getLogs over every block by a topic no log has. */
  logsNoMatchMs: number;
  /** eth_getTransactionReceipt by hash, random transactions. */
  receiptReadUs: number;
  /** The state after the head (what a restart loads). */
  loadStateMs: number;
}

async function measure(name: string, location: string, opts: StoreOptions, args: Args): Promise<Result> {
  const store: ChainStore = await openChainStore(location, opts);
  try {
    const rnd = seededRandom(7);
    await store.commitGenesis({ number: 0n, hash: hex(0xb0000000, 32), header: new Uint8Array(600), size: 600 }, { accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() });
    const blocks = Array.from({ length: args.blocks }, (_, i) => syntheticBlock(i + 1, args.txs, rnd));
    const stalls = stallMeter();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const b of blocks) await store.commitBlock(b);
    const writeMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const maxStallMs = stalls.stop();
    const h = store.history();
    const written = blocks.flatMap((b) => [...b.state.slots].flatMap(([a, m]) => [...m.keys()].map((s) => [a, s] as const)));
    const t1 = performance.now();
    for (let i = 0; i < args.reads; i++) h.account(hex(1 + Math.floor(rnd() * ACCOUNTS), 20) as Address, BigInt(1 + Math.floor(rnd() * args.blocks)));
    const accountUs = ((performance.now() - t1) * 1000) / args.reads;
    const t2 = performance.now();
    for (let i = 0; i < args.reads; i++) {
      const [a, s] = written[Math.floor(rnd() * written.length)];
      h.storage(a, s, BigInt(1 + Math.floor(rnd() * args.blocks)));
    }
    const slotUs = ((performance.now() - t2) * 1000) / args.reads;
    const logAddress = blocks[0].receipts[0].logs[0].address;
    const t3 = performance.now();
    const found = await store.logs({ fromBlock: 0n, toBlock: BigInt(args.blocks), addresses: [logAddress] });
    const logsByAddressMs = performance.now() - t3;
    if (found.length === 0) throw new Error('eth_getLogs by address found nothing');
    const t4 = performance.now();
    await store.logs({ fromBlock: 0n, toBlock: BigInt(args.blocks), topics: [[hex(0xdead, 32)]] });
    const logsNoMatchMs = performance.now() - t4;
    const hashes = blocks.flatMap((b) => b.txs.map((t) => t.hash));
    const t5 = performance.now();
    for (let i = 0; i < args.reads; i++) await store.receipt(hashes[Math.floor(rnd() * hashes.length)]);
    const receiptUs = ((performance.now() - t5) * 1000) / args.reads;
    const t6 = performance.now();
    await store.loadState();
    const loadStateMs = performance.now() - t6;
    return {
      store: name,
      blocksPerSecond: round((args.blocks * 1000) / writeMs),
      txsPerSecond: round((args.blocks * args.txs * 1000) / writeMs),
      msPerBlock: round(writeMs / args.blocks),
      cpuUsPerTx: round((cpu.user + cpu.system) / (args.blocks * args.txs)),
      mainThreadUsPerTx: round((elu.active * 1000) / (args.blocks * args.txs)),
      eventLoopMaxStallMs: round(maxStallMs),
      historyAccountReadUs: round(accountUs),
      historySlotReadUs: round(slotUs),
      logsByAddressMs: round(logsByAddressMs),
      logsNoMatchMs: round(logsNoMatchMs),
      receiptReadUs: round(receiptUs),
      loadStateMs: round(loadStateMs),
    };
  } finally {
    await store.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The longest gap between runs of a 1 ms timer until stop(), counting the gap still open at the end. */
function stallMeter(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, performance.now() - last);
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const load = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const pg = await startPostgres();
  const results: Result[] = [];
  try {
    // JIT warm-up of both write paths (row building, encoding, statements), not reported.
    const warm = { ...args, blocks: 3, reads: 10 };
    await measure('warm-up', join(dir, 'warm-thread'), { synchronous: 'FULL' }, warm);
    await measure('warm-up', join(dir, 'warm-main'), { synchronous: 'FULL', writeThread: false }, warm);
    results.push(await measure('sqlite-full', join(dir, 'full'), { synchronous: 'FULL' }, args));
    results.push(await measure('sqlite-full-main', join(dir, 'full-main'), { synchronous: 'FULL', writeThread: false }, args));
    results.push(await measure('sqlite-normal', join(dir, 'normal'), { synchronous: 'NORMAL' }, args));
    results.push(await measure('postgres', await pg.createDatabase('bench'), {}, args));
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const base = results[0];
  const out = {
    benchmark: 'store',
    params: args,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, loadAvgStart: load, loadAvgEnd: loadavg()[0], node: process.version },
    results,
    ratiosVsSqliteFull: results.map((r) => ({
      store: r.store,
      writes: round(r.txsPerSecond / base.txsPerSecond),
      cpu: round(r.cpuUsPerTx / base.cpuUsPerTx),
      mainThread: round(r.mainThreadUsPerTx / base.mainThreadUsPerTx),
      accountReads: round(base.historyAccountReadUs / r.historyAccountReadUs),
    })),
  };
  if (args.json) console.log(JSON.stringify(out, null, 2));
  else {
    for (const r of results) {
      console.log(
        `${r.store.padEnd(16)} ${r.txsPerSecond} tx/s persisted (${r.msPerBlock} ms/block of ${args.txs}, ${r.cpuUsPerTx} CPU µs/tx, main thread ${r.mainThreadUsPerTx} µs/tx, event loop held up to ${r.eventLoopMaxStallMs} ms), history reads: account ${r.historyAccountReadUs} µs, slot ${r.historySlotReadUs} µs; eth_getLogs over ${args.blocks} blocks by address ${r.logsByAddressMs} ms, no match ${r.logsNoMatchMs} ms; receipt ${r.receiptReadUs} µs; state load ${r.loadStateMs} ms`,
      );
    }
  }
}

await main();
