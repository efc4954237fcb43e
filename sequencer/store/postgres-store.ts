// The store past one machine: kysely's PostgresDialect over a pg pool, same schema (migrations.ts) and
// semantics as SQLite: one database transaction per sealed block; history reads through PgSyncRunner.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { KyselyChainStore, type HistoryOptions } from './kysely-store.js';
import { PgSyncRunner } from './pg-sync.js';
import { pgTypes } from './pg-types.js';
import type { StoreTables } from './schema.js';

export interface PostgresStoreOptions extends HistoryOptions {
  /** Connections in the pool (default 8). */
  poolSize?: number;
}

/** Connects to `url` (postgres://user@host:port/db), migrates the schema. */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<KyselyChainStore> {
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 8, types: pgTypes });
  // Fail fast with the URL in the message rather than on the first query.
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL at ${redact(url)}: ${(e as Error).message}`, { cause: e });
  }
  const db = new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
  const runner = new PgSyncRunner(url);
  return KyselyChainStore.create(db, 'postgres', runner, opts, () => runner.close());
}

/** The URL without its password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
