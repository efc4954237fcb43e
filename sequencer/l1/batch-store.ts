// The batcher's durable queue: SQLite through kysely (its own file or a shared database). Every batch is
// written before it is signed, and every signed attempt before it is broadcast, so after a crash the batcher
// knows exactly what may be on L1 and never signs a second transaction for a batch with a new nonce.
import { createRequire } from 'node:module';
import { ensurePrivateFile } from '../util/private-files.js';
import { Kysely, SqliteDialect, sql, type Generated, type Selectable, type SqliteDatabase } from 'kysely';

// better-sqlite3 ships no types (and @types/better-sqlite3 is not installed): the little we use, typed here.
interface Sqlite extends SqliteDatabase {
  pragma(source: string): unknown;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => Sqlite;

/**
 * SQLite's page cache for the batch queue (better-sqlite3's default is 16 MiB, filled slowly as batches
 * accumulate: issue #18). Four MiB hold the largest batch (six blobs, ~0.75 MB) several times over.
 */
export const BATCH_DB_CACHE_MIB = 4;

export type BatchStatus = 'pending' | 'submitted' | 'confirmed';
export type DaMode = 'calldata' | 'blobs';

export interface BatchRow {
  batch_index: number;
  first_block: number;
  last_block: number;
  prev_state_root: string;
  new_state_root: string;
  queue_index_after: number;
  da: DaMode;
  data: Uint8Array;
  status: BatchStatus;
  nonce: number | null;
  created_at: number;
  confirmed_l1_block: number | null;
  confirmed_tx_hash: string | null;
}

export interface AttemptRow {
  id: Generated<number>;
  batch_index: number;
  nonce: number;
  tx_hash: string;
  raw_tx: Uint8Array;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  max_fee_per_blob_gas: string | null;
  sent_at: number;
}

interface Schema {
  l1_batches: BatchRow;
  l1_batch_attempts: AttemptRow;
}

export class BatchStore {
  readonly db: Kysely<Schema>;
  private readonly sqlite: Sqlite;

  constructor(path: string) {
    if (path !== ':memory:') ensurePrivateFile(path);
    this.sqlite = new Database(path);
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = FULL');
    this.sqlite.pragma(`cache_size = -${BATCH_DB_CACHE_MIB * 1024}`);
    this.db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: this.sqlite }) });
  }

  async init(): Promise<void> {
    await this.db.schema
      .createTable('l1_batches')
      .ifNotExists()
      .addColumn('batch_index', 'integer', (c) => c.primaryKey())
      .addColumn('first_block', 'integer', (c) => c.notNull())
      .addColumn('last_block', 'integer', (c) => c.notNull())
      .addColumn('prev_state_root', 'text', (c) => c.notNull())
      .addColumn('new_state_root', 'text', (c) => c.notNull())
      .addColumn('queue_index_after', 'integer', (c) => c.notNull())
      .addColumn('da', 'text', (c) => c.notNull())
      .addColumn('data', 'blob', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('nonce', 'integer')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('confirmed_l1_block', 'integer')
      .addColumn('confirmed_tx_hash', 'text')
      .execute();
    await this.db.schema
      .createTable('l1_batch_attempts')
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('batch_index', 'integer', (c) => c.notNull())
      .addColumn('nonce', 'integer', (c) => c.notNull())
      .addColumn('tx_hash', 'text', (c) => c.notNull())
      .addColumn('raw_tx', 'blob', (c) => c.notNull())
      .addColumn('max_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('max_priority_fee_per_gas', 'text', (c) => c.notNull())
      .addColumn('max_fee_per_blob_gas', 'text')
      .addColumn('sent_at', 'integer', (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX IF NOT EXISTS l1_batch_attempts_batch ON l1_batch_attempts(batch_index)`.execute(this.db);
  }

  lastBatch(): Promise<BatchRow | undefined> {
    return this.db.selectFrom('l1_batches').selectAll().orderBy('batch_index', 'desc').limit(1).executeTakeFirst();
  }

  oldestUnconfirmed(): Promise<BatchRow | undefined> {
    return this.db.selectFrom('l1_batches').selectAll().where('status', '!=', 'confirmed').orderBy('batch_index', 'asc').limit(1).executeTakeFirst();
  }

  /** Every batch not yet confirmed, oldest first. */
  unconfirmed(): Promise<BatchRow[]> {
    return this.db.selectFrom('l1_batches').selectAll().where('status', '!=', 'confirmed').orderBy('batch_index', 'asc').execute();
  }

  /**
   * L1 holds only the batches below `index`: confirmed ones from `index` up were lost (reorg, rollback, L1
   * state loss) and become unconfirmed again (their attempts stay: their nonces tell what may still land).
   * Returns their indexes.
   */
  async requeueFrom(index: number): Promise<number[]> {
    return this.db.transaction().execute(async (tx) => {
      const lost = await tx.selectFrom('l1_batches').select('batch_index').where('batch_index', '>=', index).where('status', '=', 'confirmed').orderBy('batch_index').execute();
      if (lost.length === 0) return [];
      const reset = (status: BatchStatus, signed: boolean) =>
        tx
          .updateTable('l1_batches')
          .set({ status, confirmed_l1_block: null, confirmed_tx_hash: null })
          .where('batch_index', '>=', index)
          .where('status', '=', 'confirmed')
          .where('nonce', signed ? 'is not' : 'is', null)
          .execute();
      await reset('submitted', true);
      await reset('pending', false);
      return lost.map((r) => r.batch_index);
    });
  }

  countUnconfirmed(): Promise<number> {
    return this.db
      .selectFrom('l1_batches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'confirmed')
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  }

  get(index: number): Promise<BatchRow | undefined> {
    return this.db.selectFrom('l1_batches').selectAll().where('batch_index', '=', index).executeTakeFirst();
  }

  all(): Promise<BatchRow[]> {
    return this.db.selectFrom('l1_batches').selectAll().orderBy('batch_index').execute();
  }

  async insertBatch(row: BatchRow): Promise<void> {
    await this.db.insertInto('l1_batches').values(row).execute();
  }

  /** Records a signed attempt (and the batch's nonce) in one transaction, before it is broadcast. */
  async recordAttempt(a: Omit<AttemptRow, 'id'>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('l1_batches').set({ status: 'submitted', nonce: a.nonce }).where('batch_index', '=', a.batch_index).execute();
      await tx.insertInto('l1_batch_attempts').values(a).execute();
    });
  }

  attempts(index: number): Promise<Selectable<AttemptRow>[]> {
    return this.db.selectFrom('l1_batch_attempts').selectAll().where('batch_index', '=', index).orderBy('id').execute();
  }

  async markConfirmed(index: number, l1Block: bigint | null, txHash: string | null): Promise<void> {
    await this.db
      .updateTable('l1_batches')
      .set({ status: 'confirmed', confirmed_l1_block: l1Block === null ? null : Number(l1Block), confirmed_tx_hash: txHash })
      .where('batch_index', '=', index)
      .execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
