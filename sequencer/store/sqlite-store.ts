// The embedded store: kysely on better-sqlite3 in `<dataDir>/chain.sqlite` (or in memory), WAL journal,
// synchronous=FULL by default. History reads run synchronously on the same connection: they only read
// blocks at or below the durable head, which a block transaction in progress never writes.
import { ensurePrivateDir, ensurePrivateFile } from '../util/private-files.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { SyncQueryRunner } from './history-reads.js';
import { KyselyChainStore, type HistoryOptions } from './kysely-store.js';
import { sqliteBlockWriter } from './sqlite-block-writer.js';
import type { StoreTables } from './schema.js';

export interface SqliteStoreOptions extends HistoryOptions {
  /** 'FULL' (default): durable across power loss; 'NORMAL': across process crashes only (faster). */
  synchronous?: 'FULL' | 'NORMAL';
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
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  raw.pragma('foreign_keys = OFF');
  raw.pragma(`cache_size = -${CHAIN_DB_CACHE_MIB * 1024}`);
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database: raw }) });
  return KyselyChainStore.create(db, 'sqlite', sqliteRunner(raw), opts, undefined, () => sqliteBlockWriter(raw));
}
