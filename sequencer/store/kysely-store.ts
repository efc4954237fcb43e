// ChainStore on kysely, one implementation for SQLite and PostgreSQL: one database transaction per sealed
// block (block, transactions with receipts and logs, state history, mempool deletions, head: all there or none),
// group-committed mempool writes, and optional pruning of the state history (--history N).
import { KECCAK256_NULL_S } from '@ethereumjs/util';
import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Address, Hex } from '../primitives/types.js';
import { SqlStateHistoryReads, type StateHistoryReads, type SyncQueryRunner } from './history-reads.js';
import { migrateToLatest, type Dialect } from './migrations.js';
import { decodeLogs } from './log-codec.js';
import { LogMatcher } from './log-matcher.js';
import { META_HEAD, META_HISTORY_OLDEST, type StoreTables as DB } from './schema.js';
import { bytesHex, hexBytes } from './hex-bytes.js';
import { blockTxEntries, toStoredReceipt, toStoredTx, txTableRow, type TxRow } from './tx-rows.js';
import type {
  BlockCommit,
  ChainStore,
  LogQuery,
  LogRow,
  PendingRow,
  StateDiff,
  StoredAccount,
  StoredBlock,
  StoredReceipt,
  StoredTx,
} from './store.js';

const CHUNK = 400;
function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** A dialect's own path for the hot writes (SQLite: statements prepared once); each call is one transaction. */
export interface HotWrites {
  commitBlock(c: BlockCommit): Promise<void>;
  updateMempool(add: readonly PendingRow[], remove: readonly Hex[]): Promise<void>;
  /** Other statements in one transaction, ordered with the writes above; `what` names it in errors. */
  execute(what: string, queries: readonly CompiledQuery[]): Promise<void>;
  /** Waits for the writes in flight, then releases what the path holds. */
  close(): Promise<void>;
}

export interface HistoryOptions {
  /** Keep the post-state of this many recent blocks (older history is pruned); undefined: every block (archive). */
  historyBlocks?: number;
}

/** PostgreSQL channel notified with the block number when a block commits (sequencer/replica follows it). */
export const HEAD_CHANNEL = 'chain_head';

/** eth_getLogs reads the filters of this many blocks per query. */
const LOG_SCAN_BLOCKS = 2000;

/** Pruning runs once every this many blocks (one pass over the history tables). */
const PRUNE_EVERY = 64n;

export class KyselyChainStore implements ChainStore {
  private oldest = 0n;
  private pruning: Promise<void> = Promise.resolve();
  private pruneFailure: unknown;
  private readonly reads: StateHistoryReads;
  private hotWrites: HotWrites | undefined;

  private constructor(
    readonly db: Kysely<DB>,
    readonly dialect: Dialect,
    runner: SyncQueryRunner,
    private readonly opts: HistoryOptions,
    private readonly onClose: () => Promise<void>,
  ) {
    if (opts.historyBlocks !== undefined && !(Number.isInteger(opts.historyBlocks) && opts.historyBlocks >= 0)) {
      throw new RangeError(`history must be a non-negative number of blocks, got ${opts.historyBlocks}`);
    }
    this.reads = new SqlStateHistoryReads(db as Kysely<unknown>, runner);
  }

  /**
   * Migrates the schema to the latest version and loads the history bounds. `onClose` runs after kysely is
   * destroyed. `hotWrites` (SQLite), made once the schema is migrated, writes blocks and mempool rows
   * instead of the dialect-neutral queries.
   */
  static async create(
    db: Kysely<DB>,
    dialect: Dialect,
    runner: SyncQueryRunner,
    opts: HistoryOptions,
    onClose: () => Promise<void> = async () => {},
    hotWrites?: () => Promise<HotWrites>,
  ): Promise<KyselyChainStore> {
    const store = new KyselyChainStore(db, dialect, runner, opts, onClose);
    try {
      await migrateToLatest(db as Kysely<unknown>, dialect);
      // Statements are prepared against the migrated tables.
      store.hotWrites = await hotWrites?.();
      store.oldest = BigInt((await store.meta(META_HISTORY_OLDEST)) ?? '0');
    } catch (e) {
      await store.close().catch(() => {});
      throw e;
    }
    return store;
  }

  oldestStateBlock(): bigint {
    return this.oldest;
  }

  async reloadHistoryBounds(): Promise<void> {
    const stored = BigInt((await this.meta(META_HISTORY_OLDEST)) ?? '0');
    if (stored > this.oldest) this.oldest = stored;
  }

  async blockStateDiff(n: bigint, haveCode: (hash: Hex) => boolean = () => false): Promise<StateDiff> {
    const block = Number(n);
    const diff: StateDiff = { accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() };
    for (const r of await this.db.selectFrom('account_history').selectAll().where('block', '=', block).execute()) {
      const address = bytesHex(r.address) as Address;
      diff.accounts.set(address, r.nonce === null ? null : { address, nonce: BigInt(r.nonce), balance: BigInt(r.balance!), codeHash: r.code_hash as Hex });
    }
    for (const r of await this.db.selectFrom('storage_resets').select('address').where('block', '=', block).execute()) diff.storageResets.add(bytesHex(r.address) as Address);
    for (const r of await this.db.selectFrom('storage_history').selectAll().where('block', '=', block).execute()) {
      const address = bytesHex(r.address) as Address;
      let m = diff.slots.get(address);
      if (m === undefined) diff.slots.set(address, (m = new Map()));
      m.set(bytesHex(r.slot) as Hex, BigInt(r.value));
    }
    const missing = [...new Set([...diff.accounts.values()].flatMap((a) => (a === null || a.codeHash === (KECCAK256_NULL_S as Hex) || haveCode(a.codeHash) ? [] : [a.codeHash])))];
    for (const part of chunks(missing, 100)) {
      for (const r of await this.db.selectFrom('code').selectAll().where('hash', 'in', part).execute()) diff.code.set(r.hash as Hex, u8(r.code));
    }
    const absent = missing.find((h) => !diff.code.has(h));
    if (absent !== undefined) throw new Error(`block ${n} sets code ${absent}, which is not in the store`);
    return diff;
  }

  history(): StateHistoryReads {
    return this.reads;
  }

  async head(): Promise<StoredBlock | null> {
    const n = await this.meta(META_HEAD);
    return n === null ? null : this.blockByNumber(BigInt(n));
  }

  async meta(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await putMeta(this.db, key, value);
  }

  async commitGenesis(block: StoredBlock, state: StateDiff): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await insertBlock(trx, block);
      await writeState(trx, state, block.number);
      await putMeta(trx, META_HISTORY_OLDEST, block.number.toString());
      await putMeta(trx, META_HEAD, block.number.toString());
    });
    this.oldest = block.number;
  }

  async commitBlock(c: BlockCommit): Promise<void> {
    if (this.hotWrites) {
      await this.hotWrites.commitBlock(c);
      this.schedulePrune(c.block.number);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await insertBlock(trx, c.block);
      const number = Number(c.block.number);
      const { entries, filter } = blockTxEntries(number, c.txs, c.receipts);
      for (const part of chunks(entries.map((e) => txTableRow(number, e)), 80)) {
        await trx.insertInto('block_txs').values(part).execute();
        await trx.insertInto('tx_hashes').values(part.map((r) => ({ hash: r.hash, block_number: number, idx: r.idx }))).execute();
      }
      if (filter !== null) await trx.insertInto('log_filters').values({ block_number: number, filter }).execute();
      await writeState(trx, c.state, c.block.number);
      for (const part of chunks(c.removeFromMempool, 500)) await trx.deleteFrom('mempool').where('hash', 'in', part).execute();
      if (c.queueIndexAfter !== undefined) {
        await trx.insertInto('block_queue').values({ number: Number(c.block.number), queue_index_after: Number(c.queueIndexAfter) }).execute();
      }
      await putMeta(trx, META_HEAD, c.block.number.toString());
      // Delivered to listeners (replicas) when, and only if, this transaction commits.
      if (this.dialect === 'postgres') await sql`SELECT pg_notify(${HEAD_CHANNEL}, ${c.block.number.toString()})`.execute(trx);
    });
    this.schedulePrune(c.block.number);
  }

  /**
   * Drops history that no kept block needs, once every PRUNE_EVERY blocks, in the background: the block is
   * durable without waiting for it. Readers are refused below the new bound before any row goes, and every
   * row a block >= the bound reads stays, so reads are exact while it runs. A failed pass leaves rows that
   * the next pass removes.
   */
  private schedulePrune(head: bigint): void {
    const keep = this.opts.historyBlocks;
    if (keep === undefined || head % PRUNE_EVERY !== 0n) return;
    const oldest = head - BigInt(keep);
    if (oldest <= this.oldest) return;
    this.oldest = oldest;
    // On the hot-write path when there is one: SQLite has one writer at a time, and it is that path's.
    const queries = [...pruneQueries(Number(oldest)).map((q) => q.compile(this.db)), putMetaQuery(this.db, META_HISTORY_OLDEST, oldest.toString()).compile()];
    const run = () =>
      this.hotWrites
        ? this.hotWrites.execute(`state history pruning below block ${oldest}`, queries)
        : this.db.transaction().execute(async (trx) => {
            for (const q of queries) await trx.executeQuery(q);
          });
    this.pruning = this.pruning.then(run).catch((e: unknown) => {
      this.pruneFailure = e;
    });
  }

  /** Waits for the pruning pass in progress; throws what the last pass failed with, if it did. */
  async pruned(): Promise<void> {
    await this.pruning;
    if (this.pruneFailure !== undefined) throw new Error(`state history pruning failed: ${(this.pruneFailure as Error).message ?? this.pruneFailure}`, { cause: this.pruneFailure });
  }

  async updateMempool(add: PendingRow[], remove: Hex[]): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
    if (this.hotWrites) return this.hotWrites.updateMempool(add, remove);
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks(remove, 500)) await trx.deleteFrom('mempool').where('hash', 'in', part).execute();
      for (const part of chunks(add, 150)) {
        await trx
          .insertInto('mempool')
          .values(part.map((p) => ({ hash: p.hash, sender: p.sender, nonce: p.nonce.toString(), raw: buf(p.raw), seq: p.seq })))
          .onConflict((oc) => oc.column('hash').doNothing())
          .execute();
      }
    });
  }

  async loadMempool(): Promise<PendingRow[]> {
    const rows = await this.db.selectFrom('mempool').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({ hash: r.hash as Hex, sender: r.sender as Address, nonce: BigInt(r.nonce), raw: u8(r.raw), seq: r.seq }));
  }

  /** The state after the head block: its latest history row per key (migration 006 dropped the current-state copy). */
  async loadState(): Promise<{ account: StoredAccount; code: Uint8Array; storage: Map<Hex, bigint> }[]> {
    const head = await this.meta(META_HEAD);
    if (head === null) return [];
    const state = this.reads.dump(BigInt(head));
    const hashes = [...new Set(state.map((r) => r.account.codeHash).filter((h) => h !== (KECCAK256_NULL_S as Hex)))];
    const code = new Map<string, Uint8Array>();
    for (const part of chunks(hashes, 100)) for (const r of await this.db.selectFrom('code').selectAll().where('hash', 'in', part).execute()) code.set(r.hash, u8(r.code));
    return state.map(({ account, storage }) => ({ account, code: code.get(account.codeHash) ?? new Uint8Array(0), storage }));
  }

  async blockByNumber(n: bigint): Promise<StoredBlock | null> {
    const r = await this.db.selectFrom('blocks').selectAll().where('number', '=', Number(n)).executeTakeFirst();
    return r ? toBlock(r) : null;
  }

  async blockByHash(h: Hex): Promise<StoredBlock | null> {
    const r = await this.db.selectFrom('blocks').selectAll().where('hash', '=', h).executeTakeFirst();
    return r ? toBlock(r) : null;
  }

  async recentBlockHashes(count: number): Promise<Hex[]> {
    const rows = await this.db.selectFrom('blocks').select('hash').orderBy('number', 'desc').limit(count).execute();
    return rows.map((r) => r.hash as Hex);
  }

  /** A block's transaction rows (with receipts) in index order, and its hash. */
  private async txRowsOfBlock(n: bigint): Promise<{ blockHash: string; rows: TxRow[] }> {
    const block = await this.db.selectFrom('blocks').select('hash').where('number', '=', Number(n)).executeTakeFirst();
    if (block === undefined) return { blockHash: '', rows: [] };
    return { blockHash: block.hash, rows: await this.db.selectFrom('block_txs').selectAll().where('block_number', '=', Number(n)).orderBy('idx').execute() };
  }

  /** The row of the transaction with this hash, and its block's hash. */
  private async txRowByHash(hash: Hex): Promise<{ row: TxRow; blockHash: string } | null> {
    const r = await this.db
      .selectFrom('tx_hashes as h')
      .innerJoin('block_txs as t', (j) => j.onRef('t.block_number', '=', 'h.block_number').onRef('t.idx', '=', 'h.idx'))
      .innerJoin('blocks as b', 'b.number', 't.block_number')
      .selectAll('t')
      .select('b.hash as block_hash')
      .where('h.hash', '=', hexBytes(hash))
      .executeTakeFirst();
    if (r === undefined) return null;
    const { block_hash, ...row } = r;
    return { row, blockHash: block_hash };
  }

  async txsOfBlock(n: bigint): Promise<StoredTx[]> {
    const { blockHash, rows } = await this.txRowsOfBlock(n);
    return rows.map((r) => toStoredTx(r, blockHash));
  }

  async tx(hash: Hex): Promise<StoredTx | null> {
    const found = await this.txRowByHash(hash);
    return found && toStoredTx(found.row, found.blockHash);
  }

  async receipt(hash: Hex): Promise<StoredReceipt | null> {
    const found = await this.txRowByHash(hash);
    return found && toStoredReceipt(found.row, found.blockHash);
  }

  async receiptsOfBlock(n: bigint): Promise<StoredReceipt[]> {
    const { blockHash, rows } = await this.txRowsOfBlock(n);
    return rows.map((r) => toStoredReceipt(r, blockHash)).filter((r): r is StoredReceipt => r !== null);
  }

  /**
   * eth_getLogs: the range's per-block filters say which blocks may hold a match; those blocks' encoded logs
   * are decoded and matched exactly, in (block, log index) order, up to the limit.
   */
  async logs(q: LogQuery): Promise<LogRow[]> {
    if ((q.topics?.length ?? 0) > 4) return [];
    let from = Number(q.fromBlock);
    let to = Number(q.toBlock);
    if (q.blockHash) {
      const b = await this.db.selectFrom('blocks').select('number').where('hash', '=', q.blockHash).executeTakeFirst();
      if (b === undefined) return [];
      from = to = b.number;
    }
    const match = new LogMatcher(q.addresses, q.topics);
    const out: LogRow[] = [];
    const limit = q.limit ?? Infinity;
    // Filters a range at a time: a wide range does not load every filter at once.
    for (let start = from; start <= to && out.length < limit; start += LOG_SCAN_BLOCKS) {
      const end = Math.min(to, start + LOG_SCAN_BLOCKS - 1);
      const filters = await this.db.selectFrom('log_filters').selectAll().where('block_number', '>=', start).where('block_number', '<=', end).orderBy('block_number').execute();
      const candidates = filters.filter((f) => match.filter.matchesAll || match.filter.mayMatch(f.filter)).map((f) => f.block_number);
      for (const number of candidates) {
        if (out.length >= limit) break;
        const block = await this.db.selectFrom('blocks').select('hash').where('number', '=', number).executeTakeFirstOrThrow();
        const blockHash = block.hash;
        const rows = await this.db.selectFrom('block_txs').select(['idx', 'hash', 'logs']).where('block_number', '=', number).where('logs', 'is not', null).orderBy('idx').execute();
        for (const r of rows) {
          for (const l of decodeLogs(r.logs)) {
            if (!match.matches(l)) continue;
            out.push({ ...l, blockNumber: BigInt(number), blockHash: blockHash as Hex, txHash: bytesHex(r.hash) as Hex, txIndex: r.idx });
            if (out.length >= limit) break;
          }
          if (out.length >= limit) break;
        }
      }
    }
    return out;
  }

  async addQueueItem(queueIndex: bigint, json: string): Promise<void> {
    await this.db.insertInto('l1_queue').values({ queue_index: Number(queueIndex), item: json }).execute();
  }

  async queueItems(from: bigint): Promise<string[]> {
    const rows = await this.db.selectFrom('l1_queue').select('item').where('queue_index', '>=', Number(from)).orderBy('queue_index').execute();
    return rows.map((r) => r.item);
  }

  async queueLength(): Promise<bigint> {
    const r = await this.db.selectFrom('l1_queue').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return BigInt(r?.n ?? 0);
  }

  async queueIndexAfter(n: bigint): Promise<bigint | null> {
    const r = await this.db.selectFrom('block_queue').select('queue_index_after').where('number', '<=', Number(n)).orderBy('number', 'desc').limit(1).executeTakeFirst();
    return r ? BigInt(r.queue_index_after) : null;
  }

  async close(): Promise<void> {
    await this.pruning;
    await this.hotWrites?.close();
    await this.db.destroy();
    await this.onClose();
  }
}

function putMetaQuery(db: Kysely<DB> | Transaction<DB>, key: string, value: string) {
  return db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value }));
}

async function putMeta(db: Kysely<DB> | Transaction<DB>, key: string, value: string): Promise<void> {
  await putMetaQuery(db, key, value).execute();
}

async function insertBlock(trx: Transaction<DB>, b: StoredBlock): Promise<void> {
  await trx.insertInto('blocks').values({ number: Number(b.number), hash: b.hash, header: buf(b.header), size: b.size }).execute();
}

/** The history rows of block `number` and its new code, in the caller's transaction. */
async function writeState(trx: Transaction<DB>, s: StateDiff, number: bigint): Promise<void> {
  await writeHistory(trx, s, Number(number));
  const code = [...s.code].map(([hash, c]) => ({ hash, code: buf(c) }));
  for (const part of chunks(code, 50)) await trx.insertInto('code').values(part).onConflict((oc) => oc.column('hash').doNothing()).execute();
}

async function writeHistory(trx: Transaction<DB>, s: StateDiff, block: number): Promise<void> {
  const accounts = [...s.accounts].map(([address, a]) => ({
    address: hexBytes(address),
    block,
    nonce: a?.nonce.toString() ?? null,
    balance: a?.balance.toString() ?? null,
    code_hash: a?.codeHash ?? null,
  }));
  for (const part of chunks(accounts, 150)) await trx.insertInto('account_history').values(part).execute();
  const resets = new Set([...s.storageResets, ...[...s.accounts].filter(([, a]) => a === null).map(([k]) => k)]);
  const resetRows = [...resets].map((address) => ({ address: hexBytes(address), block }));
  for (const part of chunks(resetRows, 300)) await trx.insertInto('storage_resets').values(part).execute();
  const slots = [...s.slots].flatMap(([address, m]) => [...m].map(([slot, value]) => ({ address: hexBytes(address), slot: hexBytes(slot), block, value: value.toString() })));
  for (const part of chunks(slots, 200)) await trx.insertInto('storage_history').values(part).execute();
}

/**
 * Deletes history rows that no block >= oldest can read: a key's rows older than its latest row at or
 * before `oldest`, slot rows older than a wipe at or before `oldest`, and wipes older than `oldest` (no
 * slot row before them is left).
 */
function pruneQueries(oldest: number) {
  return [
    sql`DELETE FROM account_history WHERE block < ${oldest} AND EXISTS (SELECT 1 FROM account_history n
          WHERE n.address = account_history.address AND n.block > account_history.block AND n.block <= ${oldest})`,
    sql`DELETE FROM storage_history WHERE block < ${oldest} AND EXISTS (SELECT 1 FROM storage_history n
          WHERE n.address = storage_history.address AND n.slot = storage_history.slot AND n.block > storage_history.block AND n.block <= ${oldest})`,
    sql`DELETE FROM storage_history WHERE block < ${oldest} AND EXISTS (SELECT 1 FROM storage_resets r
          WHERE r.address = storage_history.address AND r.block > storage_history.block AND r.block <= ${oldest})`,
    sql`DELETE FROM storage_resets WHERE block < ${oldest}`,
  ];
}

function toBlock(r: DB['blocks']): StoredBlock {
  return { number: BigInt(r.number), hash: r.hash as Hex, header: u8(r.header), size: r.size };
}
