// Versioned schema migrations (kysely's Migrator) for both dialects. Migrations are append-only: a new
// schema change is a new entry; a database records which ones it has run (kysely_migration table).
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { moveTxRows } from './migrate-tx-rows.js';
import { META_HEAD, META_HISTORY_OLDEST } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** Column types and table options that differ between the dialects. */
interface Types {
  int: string;
  bytes: string;
  /** Suffix of tables keyed by their primary key only (SQLite stores them as a clustered B-tree). */
  clustered: string;
  /** The bytes of a 0x-prefixed hex TEXT column. */
  unhex: (column: string) => string;
}

const TYPES: Record<Dialect, Types> = {
  sqlite: { int: 'INTEGER', bytes: 'BLOB', clustered: 'WITHOUT ROWID', unhex: (c) => `unhex(substr(${c}, 3))` },
  postgres: { int: 'BIGINT', bytes: 'BYTEA', clustered: '', unhex: (c) => `decode(substr(${c}, 3), 'hex')` },
};

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

/** 001: blocks, transactions, receipts, logs, mempool, current state, L1 queue (the schema before migrations). */
function chainTables(t: Types): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS blocks (number ${t.int} PRIMARY KEY, hash TEXT NOT NULL UNIQUE, header ${t.bytes} NOT NULL, size ${t.int} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, block_number ${t.int} NOT NULL, block_hash TEXT NOT NULL, idx ${t.int} NOT NULL, sender TEXT NOT NULL, raw ${t.bytes} NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS txs_block ON txs (block_number, idx)`,
    `CREATE TABLE IF NOT EXISTS receipts (tx_hash TEXT PRIMARY KEY, block_number ${t.int} NOT NULL, block_hash TEXT NOT NULL, idx ${t.int} NOT NULL,
       status ${t.int} NOT NULL, gas_used TEXT NOT NULL, cumulative_gas_used TEXT NOT NULL, effective_gas_price TEXT NOT NULL,
       blob_gas_used TEXT NOT NULL, contract_address TEXT)`,
    `CREATE INDEX IF NOT EXISTS receipts_block ON receipts (block_number, idx)`,
    `CREATE TABLE IF NOT EXISTS logs (block_number ${t.int} NOT NULL, log_index ${t.int} NOT NULL, block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
       tx_index ${t.int} NOT NULL, address TEXT NOT NULL, topic0 TEXT, topic1 TEXT, topic2 TEXT, topic3 TEXT, topics ${t.int} NOT NULL, data ${t.bytes} NOT NULL,
       PRIMARY KEY (block_number, log_index)) ${t.clustered}`,
    `CREATE INDEX IF NOT EXISTS logs_address ON logs (address, block_number)`,
    `CREATE INDEX IF NOT EXISTS logs_topic0 ON logs (topic0, block_number)`,
    `CREATE INDEX IF NOT EXISTS logs_tx ON logs (tx_hash)`,
    `CREATE TABLE IF NOT EXISTS mempool (hash TEXT PRIMARY KEY, sender TEXT NOT NULL, nonce TEXT NOT NULL, raw ${t.bytes} NOT NULL, seq ${t.int} NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS accounts (address TEXT PRIMARY KEY, nonce TEXT NOT NULL, balance TEXT NOT NULL, code_hash TEXT NOT NULL) ${t.clustered}`,
    `CREATE TABLE IF NOT EXISTS code (hash TEXT PRIMARY KEY, code ${t.bytes} NOT NULL) ${t.clustered}`,
    `CREATE TABLE IF NOT EXISTS storage (address TEXT NOT NULL, slot TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (address, slot)) ${t.clustered}`,
    `CREATE TABLE IF NOT EXISTS l1_queue (queue_index ${t.int} PRIMARY KEY, item TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS block_queue (number ${t.int} PRIMARY KEY, queue_index_after ${t.int} NOT NULL)`,
  ];
}

/**
 * 002: per-key change history ("value at or before block n" is one index seek). A database that already
 * has blocks gets its current state as the history of its head block, which becomes the oldest kept.
 */
function historyTables(t: Types): string[] {
  return [
    `CREATE TABLE account_history (address TEXT NOT NULL, block ${t.int} NOT NULL, nonce TEXT, balance TEXT, code_hash TEXT,
       PRIMARY KEY (address, block)) ${t.clustered}`,
    `CREATE TABLE storage_history (address TEXT NOT NULL, slot TEXT NOT NULL, block ${t.int} NOT NULL, value TEXT NOT NULL,
       PRIMARY KEY (address, slot, block)) ${t.clustered}`,
    `CREATE TABLE storage_resets (address TEXT NOT NULL, block ${t.int} NOT NULL, PRIMARY KEY (address, block)) ${t.clustered}`,
    `INSERT INTO account_history (address, block, nonce, balance, code_hash)
       SELECT a.address, CAST(m.value AS ${t.int}), a.nonce, a.balance, a.code_hash FROM accounts a, meta m WHERE m.key = '${META_HEAD}'`,
    `INSERT INTO storage_history (address, slot, block, value)
       SELECT s.address, s.slot, CAST(m.value AS ${t.int}), s.value FROM storage s, meta m WHERE m.key = '${META_HEAD}'`,
    `INSERT INTO meta (key, value) SELECT '${META_HISTORY_OLDEST}', m.value FROM meta m WHERE m.key = '${META_HEAD}'`,
  ];
}

/** 003: the history rows of one block (what a replica applies to follow the chain) are found by block. */
function historyByBlock(): string[] {
  return [
    `CREATE INDEX account_history_block ON account_history (block)`,
    `CREATE INDEX storage_history_block ON storage_history (block)`,
    `CREATE INDEX storage_resets_block ON storage_resets (block)`,
  ];
}

/**
 * 004: a receipt's logs are found by (block, tx index), an index appended in block order, instead of by tx
 * hash, whose index took one random B-tree insert per log in every block commit.
 */
function logsByTxIndex(): string[] {
  return [`CREATE INDEX IF NOT EXISTS logs_block_tx ON logs (block_number, tx_index, log_index)`, `DROP INDEX IF EXISTS logs_tx`];
}

/**
 * 005: a block's transactions and receipts as one row each, appended in (block, index) order, the receipt's
 * logs encoded in its row, with a hash -> place table and a per-block log filter for eth_getLogs. Replaces
 * txs, receipts and logs (hex TEXT keys in random-order B-trees, one row per log and five secondary indexes
 * to keep up on every block commit). One transaction: a failed move changes nothing.
 */
async function txRows(db: Kysely<unknown>, t: Types): Promise<void> {
  // PostgreSQL's migrator already runs each migration in a transaction; SQLite's (no transactional DDL in kysely) does not.
  if (!db.isTransaction) return db.transaction().execute((trx) => txRows(trx, t));
  await run(db, [
    `CREATE TABLE block_txs (block_number ${t.int} NOT NULL, idx ${t.int} NOT NULL, hash ${t.bytes} NOT NULL, sender ${t.bytes} NOT NULL, raw ${t.bytes} NOT NULL,
       status ${t.int}, gas_used TEXT, cumulative_gas_used TEXT, effective_gas_price TEXT, blob_gas_used TEXT, contract_address ${t.bytes}, logs ${t.bytes},
       PRIMARY KEY (block_number, idx)) ${t.clustered}`,
    `CREATE TABLE tx_hashes (hash ${t.bytes} PRIMARY KEY, block_number ${t.int} NOT NULL, idx ${t.int} NOT NULL) ${t.clustered}`,
    `CREATE TABLE log_filters (block_number ${t.int} PRIMARY KEY, filter ${t.bytes} NOT NULL)`,
  ]);
  await moveTxRows(db);
  await run(db, [`DROP TABLE logs`, `DROP TABLE receipts`, `DROP TABLE txs`]);
}

/**
 * 006: the current state is the latest history row of each key (a restart reads it from there), so the
 * accounts and storage tables, two random-order B-tree writes per changed key in every block, go. Pruning
 * keeps each key's latest row, so the current state survives it.
 */
function historyIsState(): string[] {
  return [`DROP TABLE accounts`, `DROP TABLE storage`];
}

/**
 * 007: the history tables keyed by bytes (address 20, slot 32) instead of hex TEXT (42 and 66 characters):
 * half the key bytes in B-trees written in random key order every block, so fewer pages to dirty, log and
 * checkpoint per changed key.
 */
function historyByteKeys(t: Types): string[] {
  const moves: [table: string, columns: string, keyed: string[], primary: string][] = [
    ['account_history', `address ${t.bytes} NOT NULL, block ${t.int} NOT NULL, nonce TEXT, balance TEXT, code_hash TEXT`, ['address'], 'address, block'],
    ['storage_history', `address ${t.bytes} NOT NULL, slot ${t.bytes} NOT NULL, block ${t.int} NOT NULL, value TEXT NOT NULL`, ['address', 'slot'], 'address, slot, block'],
    ['storage_resets', `address ${t.bytes} NOT NULL, block ${t.int} NOT NULL`, ['address'], 'address, block'],
  ];
  return moves.flatMap(([table, columns, keyed, primary]) => {
    const names = columns.split(', ').map((c) => c.split(' ')[0]);
    const selected = names.map((n) => (keyed.includes(n) ? t.unhex(n) : n)).join(', ');
    return [
      `CREATE TABLE ${table}_bytes (${columns}, PRIMARY KEY (${primary})) ${t.clustered}`,
      `INSERT INTO ${table}_bytes (${names.join(', ')}) SELECT ${selected} FROM ${table}`,
      `DROP TABLE ${table}`,
      `ALTER TABLE ${table}_bytes RENAME TO ${table}`,
      `CREATE INDEX ${table}_block ON ${table} (block)`,
    ];
  });
}

function migrations(dialect: Dialect): Record<string, Migration> {
  const t = TYPES[dialect];
  return {
    '001_chain': { up: (db) => run(db, chainTables(t)) },
    '002_state_history': { up: (db) => run(db, historyTables(t)) },
    '003_history_by_block': { up: (db) => run(db, historyByBlock()) },
    '004_logs_by_tx_index': { up: (db) => run(db, logsByTxIndex()) },
    '005_tx_rows': { up: (db) => txRows(db, t) },
    '006_history_is_state': { up: (db) => run(db, historyIsState()) },
    '007_history_byte_keys': { up: (db) => run(db, historyByteKeys(t)) },
  };
}

/** Brings the database's schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await migrateWith(db, dialect, (m) => m.migrateToLatest());
}

/** Brings the database's schema up to migration `last` (tests build databases of older versions with it). */
export async function migrateUpTo(db: Kysely<unknown>, dialect: Dialect, last: string): Promise<void> {
  await migrateWith(db, dialect, (m) => m.migrateTo(last));
}

async function migrateWith(db: Kysely<unknown>, dialect: Dialect, step: (m: Migrator) => ReturnType<Migrator['migrateToLatest']>): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const { error, results } = await step(new Migrator({ db, provider }));
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`schema migration ${failed} failed (${dialect}): ${(error as Error).message ?? error}`, { cause: error });
  }
}
