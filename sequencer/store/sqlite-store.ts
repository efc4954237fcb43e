// The embedded store: kysely on better-sqlite3 in `<dataDir>/chain.sqlite` (or in memory), WAL journal,
// synchronous=FULL by default. Blocks and mempool group commits are written by a thread that owns its own
// connection (sqlite-writer.ts), so their inserts and fsyncs do not hold the event loop; reads, history reads
// and the rare other writes (genesis, meta, L1 queue items, pruning) use kysely's connection, which sees a
// block once its commit has resolved (WAL). History reads are synchronous: they only read blocks at or below
// the durable head, which a block transaction in progress never writes. An in-memory database cannot be
// shared with a thread: it writes on kysely's connection (directWrites).
import { ensurePrivateDir, ensurePrivateFile } from '../util/private-files.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SyncQueryRunner } from './history-reads.js';
import { KyselyChainStore, type HistoryOptions, type HotWrites } from './kysely-store.js';
import { SqliteWriter } from './sqlite-writer.js';
import { blockRows, directWrites, mempoolRows } from './sqlite-writes.js';
import type { StoreTables } from './schema.js';

export interface SqliteStoreOptions extends HistoryOptions {
  /** 'FULL' (default): durable across power loss; 'NORMAL': across process crashes only (faster). */
  synchronous?: 'FULL' | 'NORMAL';
  /** true (default for files): blocks and mempool rows are written by the writer thread; false: on the main thread. */
  writeThread?: boolean;
}

/**
 * SQLite's own page cache for the chain database (one connection). better-sqlite3 builds SQLite with 16 MiB,
 * which a growing chain fills only over its first tens of minutes: most of a soak's RSS growth after warm-up
 * (issue #18). Pages beyond it are read again from the OS file cache, which is not the node's memory.
 */
export const CHAIN_DB_CACHE_MIB = 8;

/** Prepared statements cached by text (the history reads are a handful of fixed statements). */
function sqliteRunner(db: Database.Database): SyncQueryRunner {
  const prepared = new Map<string, Database.Statement>();
  return {
    all(sqlText, parameters) {
      let st = prepared.get(sqlText);
      if (st === undefined) prepared.set(sqlText, (st = db.prepare(sqlText)));
      return st.all(...parameters) as Record<string, unknown>[];
    },
  };
}

/** Opens `<dataDir>/chain.sqlite` (created if missing) or an in-memory database for ':memory:'; migrates it. */
export async function openSqliteStore(dataDir: string, opts: SqliteStoreOptions = {}): Promise<KyselyChainStore> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    ensurePrivateDir(dataDir);
    file = join(dataDir, 'chain.sqlite');
    ensurePrivateFile(file);
  }
  const pragmas = ['journal_mode = WAL', `synchronous = ${opts.synchronous ?? 'FULL'}`, 'foreign_keys = OFF', `cache_size = -${CHAIN_DB_CACHE_MIB * 1024}`];
  const raw = new Database(file);
  for (const p of pragmas) raw.pragma(p);
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: raw }) });
  const onThread = file !== ':memory:' && opts.writeThread !== false;
  const hotWrites = onThread ? () => threadWrites(file, pragmas) : async () => lockedWrites(db, raw);
  return KyselyChainStore.create(db, 'sqlite', sqliteRunner(raw), opts, undefined, hotWrites);
}

/** Block and mempool writes on the writer thread. */
async function threadWrites(file: string, pragmas: readonly string[]): Promise<HotWrites> {
  const writer = await SqliteWriter.open(file, pragmas);
  return {
    commitBlock: (c) => writer.write(`block ${c.block.number}`, (out) => blockRows(c, out)),
    updateMempool: (add, remove) => writer.write(`mempool group commit (+${add.length} -${remove.length})`, (out) => mempoolRows(add, remove, out)),
    execute: (what, queries) => writer.execute(what, queries),
    close: () => writer.close(),
  };
}

/** Block and mempool writes on kysely's connection, holding it so that no other query lands inside the transaction. */
function lockedWrites(db: Kysely<StoreTables>, raw: Database.Database): HotWrites {
  const sync = directWrites(raw);
  return {
    commitBlock: (c) => db.connection().execute(async () => sync.commitBlock(c)),
    updateMempool: (add, remove) => db.connection().execute(async () => sync.updateMempool(add, remove)),
    execute: (_what, queries) =>
      db.transaction().execute(async (trx) => {
        for (const q of queries) await trx.executeQuery(q);
      }),
    close: async () => {},
  };
}
