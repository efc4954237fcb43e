// Where a block's SQLite write goes (`npx tsx bench/store-split.ts [--json] [--blocks N] [--txs N] [--warmup N]
// [--pragma name=value]...`): ERC-20 shaped blocks (per tx: a tx row, a receipt with one Transfer log, the sender's
// account, two token balance slots at hashed keys, its mempool row deleted) written with the store's own rows and
// statements (sqlite-writes.ts) on one connection with the store's pragmas: building and encoding the rows (the
// main thread's share), each statement's process CPU time summed apart, and the COMMIT (WAL append, fsync,
// checkpoints) apart. Prints the split per part: rows per tx, CPU µs per row and per tx, share of the block's
// write. One thread, so CPU time here is the write's own.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address, Hex } from '../sequencer/primitives/types.js';
import { WRITE_SQL, type RowSink, type WriteParam } from '../sequencer/store/sqlite-statements.js';
import { CHAIN_DB_CACHE_MIB, openSqliteStore } from '../sequencer/store/sqlite-store.js';
import { RowEncoder } from '../sequencer/store/row-stream.js';
import { blockRows, mempoolRows, statementSink } from '../sequencer/store/sqlite-writes.js';
import type { BlockCommit, PendingRow } from '../sequencer/store/store.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { walkBenchFlags } from './bench-flags.js';

interface Args {
  json: boolean;
  blocks: number;
  txs: number;
  /** Blocks written first and not counted (JIT warm-up of row building and statements, as in a running node). */
  warmup: number;
  /** Extra pragmas (`name=value`), set before the schema is created (page_size needs that) and on the connection. */
  pragmas: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, blocks: 10, txs: 500, warmup: 2, pragmas: [] };
  walkBenchFlags(argv, 'usage: npx tsx bench/store-split.ts [--json] [--blocks N] [--txs N] [--warmup N] [--pragma name=value]...', (flag, value) => {
    if (flag === '--json') a.json = true;
    else if (flag === '--blocks') a.blocks = value.positiveInt();
    else if (flag === '--txs') a.txs = value.positiveInt();
    else if (flag === '--warmup') a.warmup = value.positiveInt();
    else if (flag === '--pragma') a.pragmas.push(value.text().replace('=', ' = '));
    else return false;
    return true;
  });
  return a;
}

const EMPTY_CODE = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470' as Hex;
const TOKEN = '0x00000000000000000000000000000000000070c0' as Address;
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef' as Hex;

function randomHex(rnd: () => number, bytes: number): Hex {
  let s = '0x';
  for (let i = 0; i < bytes; i++) s += Math.floor(rnd() * 256).toString(16).padStart(2, '0');
  return s as Hex;
}

/** Block n of ERC-20 transfers from fresh senders, and the mempool rows its transactions had. */
function tokenBlock(n: number, txs: number, rnd: () => number): { commit: BlockCommit; pool: PendingRow[] } {
  const blockHash = randomHex(rnd, 32);
  const slots = new Map<Hex, bigint>();
  const commit: BlockCommit = {
    block: { number: BigInt(n), hash: blockHash, header: new Uint8Array(620).fill(n & 0xff), size: 620 + 180 * txs },
    txs: [],
    receipts: [],
    state: { accounts: new Map(), storageResets: new Set(), slots: new Map([[TOKEN, slots]]), code: new Map() },
    removeFromMempool: [],
  };
  const pool: PendingRow[] = [];
  for (let i = 0; i < txs; i++) {
    const hash = randomHex(rnd, 32);
    const from = randomHex(rnd, 20) as Address;
    const raw = new Uint8Array(180).fill(i & 0xff);
    commit.txs.push({ hash, blockNumber: BigInt(n), blockHash, index: i, sender: from, raw });
    commit.receipts.push({
      txHash: hash, blockNumber: BigInt(n), blockHash, index: i, status: 1, gasUsed: 51_000n, cumulativeGasUsed: 51_000n * BigInt(i + 1),
      effectiveGasPrice: 10n ** 9n, blobGasUsed: 0n, contractAddress: null,
      logs: [{ address: TOKEN, topics: [TRANSFER, `0x${from.slice(2).padStart(64, '0')}` as Hex, randomHex(rnd, 32)], data: new Uint8Array(32).fill(1), logIndex: i }],
    });
    commit.state.accounts.set(from, { address: from, nonce: 1n, balance: 10n ** 18n - BigInt(i), codeHash: EMPTY_CODE });
    slots.set(randomHex(rnd, 32), 10n ** 21n - BigInt(i));
    slots.set(randomHex(rnd, 32), BigInt(i + 1));
    commit.removeFromMempool.push(hash);
    pool.push({ hash, sender: from, nonce: 0n, raw, seq: n * txs + i });
  }
  return { commit, pool };
}

const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const load = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-split-'));
  try {
    // The extra pragmas on the empty file, the migrated schema, then a connection of our own with the store's pragmas and the extra ones.
    const file = join(dir, 'chain.sqlite');
    const empty = new Database(file);
    for (const p of args.pragmas) empty.pragma(p);
    // A page size holds once the file has a page.
    empty.exec('CREATE TABLE page_size_probe (x); DROP TABLE page_size_probe');
    empty.close();
    await (await openSqliteStore(dir)).close();
    const db = new Database(file);
    for (const p of ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = OFF', `cache_size = -${CHAIN_DB_CACHE_MIB * 1024}`, ...args.pragmas]) db.pragma(p);
    const pragmas = Object.fromEntries(['journal_mode', 'synchronous', 'page_size', 'wal_autocheckpoint', 'cache_size', 'journal_size_limit', 'mmap_size'].map((k) => [k, db.pragma(k, { simple: true })]));
    const names = Object.keys(WRITE_SQL);
    const rows = new Array<number>(names.length).fill(0);
    const us = new Array<number>(names.length).fill(0);
    const inner = statementSink(db);
    const timed: RowSink = {
      row(statement, ...params) {
        const t = cpuUs();
        inner.row(statement, ...params);
        if (!counting) return;
        us[statement] += cpuUs() - t;
        rows[statement]++;
      },
    };
    const rnd = seededRandom(11);
    let commitUs = 0;
    let buildUs = 0;
    let counting = false;
    for (let n = 1; n <= args.warmup + args.blocks; n++) {
      counting = n > args.warmup;
      const { commit, pool } = tokenBlock(n, args.txs, rnd);
      db.transaction(() => mempoolRows(pool, [], inner))();
      // The main thread's share first: building the rows (hex to bytes, log encoding, filters) into the byte
      // stream that goes to the writer thread, as the store does. Then the same rows run timed per statement.
      const t0 = cpuUs();
      blockRows(commit, new RowEncoder());
      if (counting) buildUs += cpuUs() - t0;
      const built: [number, WriteParam[]][] = [];
      blockRows(commit, { row: (statement, ...params) => built.push([statement, params]) });
      db.exec('BEGIN');
      for (const [statement, params] of built) timed.row(statement, ...params);
      const t = cpuUs();
      db.exec('COMMIT');
      if (counting) commitUs += cpuUs() - t;
    }
    db.close();
    const txs = args.blocks * args.txs;
    const parts = names.map((name, i) => ({ part: name, rowsPerTx: rows[i] / txs, cpuUs: us[i] })).filter((p) => p.rowsPerTx > 0);
    parts.push({ part: 'COMMIT (WAL, fsync, checkpoints)', rowsPerTx: 0, cpuUs: commitUs });
    parts.push({ part: 'building and encoding the rows (main thread)', rowsPerTx: 0, cpuUs: buildUs });
    const total = parts.reduce((a, p) => a + p.cpuUs, 0);
    const split = parts
      .map((p) => ({ part: p.part, rowsPerTx: round(p.rowsPerTx), cpuUsPerRow: p.rowsPerTx > 0 ? round(p.cpuUs / (p.rowsPerTx * txs)) : null, cpuUsPerTx: round(p.cpuUs / txs), share: Math.round((p.cpuUs / total) * 1000) / 1000 }))
      .sort((a, b) => b.cpuUsPerTx - a.cpuUsPerTx);
    const out = {
      benchmark: 'store-split',
      params: args,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, loadAvgStart: load, loadAvgEnd: loadavg()[0], node: process.version },
      pragmas,
      cpuUsPerTx: round(total / txs),
      split,
    };
    if (args.json) console.log(JSON.stringify(out, null, 2));
    else {
      console.log(`SQLite block write, ERC-20 shaped, ${args.blocks} blocks of ${args.txs}: ${out.cpuUsPerTx} CPU µs/tx; pragmas ${JSON.stringify(pragmas)}`);
      for (const s of split) console.log(`${s.part.padEnd(34)} ${String(s.cpuUsPerTx).padStart(7)} µs/tx ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.rowsPerTx} rows/tx, ${s.cpuUsPerRow ?? '-'} µs/row`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

await main();
