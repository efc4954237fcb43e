// Picks the store by its location: a postgres:// (or postgresql://) URL opens PostgreSQL, anything else
// is a data directory for the embedded SQLite store (':memory:' for a throwaway one).
import type { KyselyChainStore } from './kysely-store.js';
import { openPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
import { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

export type StoreOptions = SqliteStoreOptions & PostgresStoreOptions;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export function openChainStore(location: string, opts: StoreOptions = {}): Promise<KyselyChainStore> {
  return isPostgresUrl(location) ? openPostgresStore(location, opts) : openSqliteStore(location, opts);
}
