// SQLite's page caches are bounded by the node, not left at better-sqlite3's 16 MiB per connection, which a
// growing chain fills slowly and which showed up as RSS growth after a soak's warm-up (issue #18).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { BATCH_DB_CACHE_MIB, BatchStore } from '../../sequencer/l1/batch-store.js';
import { CHAIN_DB_CACHE_MIB, openSqliteStore } from '../../sequencer/store/sqlite-store.js';

async function cacheKiB(db: Kysely<any>): Promise<number> {
  const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(db);
  // Negative: a size in KiB (positive would be a page count).
  return -rows[0].cache_size;
}

test('the chain database and the batch queue open with their own page-cache bounds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-cache-'));
  const chain = await openSqliteStore(dir);
  const batches = new BatchStore(join(dir, 'batches.sqlite'));
  try {
    assert.equal(await cacheKiB(chain.db), CHAIN_DB_CACHE_MIB * 1024);
    assert.equal(await cacheKiB(batches.db), BATCH_DB_CACHE_MIB * 1024);
  } finally {
    await chain.close();
    await batches.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
