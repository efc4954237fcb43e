// ChainStore on kysely + better-sqlite3: WAL journal, synchronous=FULL by default, one SQLite transaction per
// sealed block (so a block is all there or not at all), group-committed mempool writes.
import { ensurePrivateDir, ensurePrivateFile } from '../util/private-files.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';
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

interface DB {
  meta: { key: string; value: string };
  blocks: { number: number; hash: string; header: Buffer; size: number };
  txs: { hash: string; block_number: number; block_hash: string; idx: number; sender: string; raw: Buffer };
  receipts: {
    tx_hash: string;
    block_number: number;
    block_hash: string;
    idx: number;
    status: number;
    gas_used: string;
    cumulative_gas_used: string;
    effective_gas_price: string;
    blob_gas_used: string;
    contract_address: string | null;
  };
  logs: {
    block_number: number;
    log_index: number;
    block_hash: string;
    tx_hash: string;
    tx_index: number;
    address: string;
    topic0: string | null;
    topic1: string | null;
    topic2: string | null;
    topic3: string | null;
    topics: number;
    data: Buffer;
  };
  mempool: { hash: string; sender: string; nonce: string; raw: Buffer; seq: number };
  accounts: { address: string; nonce: string; balance: string; code_hash: string };
  code: { hash: string; code: Buffer };
  storage: { address: string; slot: string; value: string };
  l1_queue: { queue_index: number; item: string };
  block_queue: { number: number; queue_index_after: number };
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, header BLOB NOT NULL, size INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS txs (hash TEXT PRIMARY KEY, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, idx INTEGER NOT NULL, sender TEXT NOT NULL, raw BLOB NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS txs_block ON txs (block_number, idx)`,
  `CREATE TABLE IF NOT EXISTS receipts (tx_hash TEXT PRIMARY KEY, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, idx INTEGER NOT NULL,
     status INTEGER NOT NULL, gas_used TEXT NOT NULL, cumulative_gas_used TEXT NOT NULL, effective_gas_price TEXT NOT NULL,
     blob_gas_used TEXT NOT NULL, contract_address TEXT)`,
  `CREATE INDEX IF NOT EXISTS receipts_block ON receipts (block_number, idx)`,
  `CREATE TABLE IF NOT EXISTS logs (block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
     tx_index INTEGER NOT NULL, address TEXT NOT NULL, topic0 TEXT, topic1 TEXT, topic2 TEXT, topic3 TEXT, topics INTEGER NOT NULL, data BLOB NOT NULL,
     PRIMARY KEY (block_number, log_index)) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS logs_address ON logs (address, block_number)`,
  `CREATE INDEX IF NOT EXISTS logs_topic0 ON logs (topic0, block_number)`,
  `CREATE INDEX IF NOT EXISTS logs_tx ON logs (tx_hash)`,
  `CREATE TABLE IF NOT EXISTS mempool (hash TEXT PRIMARY KEY, sender TEXT NOT NULL, nonce TEXT NOT NULL, raw BLOB NOT NULL, seq INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS accounts (address TEXT PRIMARY KEY, nonce TEXT NOT NULL, balance TEXT NOT NULL, code_hash TEXT NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS code (hash TEXT PRIMARY KEY, code BLOB NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS storage (address TEXT NOT NULL, slot TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (address, slot)) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS l1_queue (queue_index INTEGER PRIMARY KEY, item TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS block_queue (number INTEGER PRIMARY KEY, queue_index_after INTEGER NOT NULL)`,
];

const CHUNK = 400;
function chunks<T>(xs: T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export interface SqliteStoreOptions {
  /** 'FULL' (default): durable across power loss; 'NORMAL': across process crashes only (faster). */
  synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteStore implements ChainStore {
  private constructor(
    private readonly db: Kysely<DB>,
    private readonly raw: Database.Database,
  ) {}

  /** Opens `<dataDir>/chain.sqlite` (created if missing) or an in-memory database for ':memory:'. */
  static open(dataDir: string, opts: SqliteStoreOptions = {}): SqliteStore {
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
    for (const stmt of SCHEMA) raw.exec(stmt);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
    return new SqliteStore(db, raw);
  }

  async head(): Promise<StoredBlock | null> {
    const n = await this.meta('head');
    return n === null ? null : this.blockByNumber(BigInt(n));
  }

  async meta(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  async commitGenesis(block: StoredBlock, state: StateDiff): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await insertBlock(trx, block);
      await writeState(trx, state);
      await trx.insertInto('meta').values({ key: 'head', value: block.number.toString() }).onConflict((oc) => oc.column('key').doUpdateSet({ value: block.number.toString() })).execute();
    });
  }

  async commitBlock(c: BlockCommit): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await insertBlock(trx, c.block);
      for (const part of chunks(c.txs, 150)) {
        await trx
          .insertInto('txs')
          .values(part.map((t) => ({ hash: t.hash, block_number: Number(t.blockNumber), block_hash: t.blockHash, idx: t.index, sender: t.sender, raw: buf(t.raw) })))
          .execute();
      }
      for (const part of chunks(c.receipts, 80)) {
        await trx
          .insertInto('receipts')
          .values(
            part.map((r) => ({
              tx_hash: r.txHash,
              block_number: Number(r.blockNumber),
              block_hash: r.blockHash,
              idx: r.index,
              status: r.status,
              gas_used: r.gasUsed.toString(),
              cumulative_gas_used: r.cumulativeGasUsed.toString(),
              effective_gas_price: r.effectiveGasPrice.toString(),
              blob_gas_used: r.blobGasUsed.toString(),
              contract_address: r.contractAddress,
            })),
          )
          .execute();
      }
      const logs = c.receipts.flatMap((r) =>
        r.logs.map((l) => ({
          block_number: Number(r.blockNumber),
          log_index: l.logIndex,
          block_hash: r.blockHash,
          tx_hash: r.txHash,
          tx_index: r.index,
          address: l.address,
          topic0: l.topics[0] ?? null,
          topic1: l.topics[1] ?? null,
          topic2: l.topics[2] ?? null,
          topic3: l.topics[3] ?? null,
          topics: l.topics.length,
          data: buf(l.data),
        })),
      );
      for (const part of chunks(logs, 60)) await trx.insertInto('logs').values(part).execute();
      await writeState(trx, c.state);
      for (const part of chunks(c.removeFromMempool, 500)) await trx.deleteFrom('mempool').where('hash', 'in', part).execute();
      if (c.queueIndexAfter !== undefined) {
        await trx.insertInto('block_queue').values({ number: Number(c.block.number), queue_index_after: Number(c.queueIndexAfter) }).execute();
      }
      await trx.insertInto('meta').values({ key: 'head', value: c.block.number.toString() }).onConflict((oc) => oc.column('key').doUpdateSet({ value: c.block.number.toString() })).execute();
    });
  }

  async updateMempool(add: PendingRow[], remove: Hex[]): Promise<void> {
    if (add.length === 0 && remove.length === 0) return;
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

  async loadState(): Promise<{ account: StoredAccount; code: Uint8Array; storage: Map<Hex, bigint> }[]> {
    const accounts = await this.db.selectFrom('accounts').selectAll().execute();
    const code = new Map((await this.db.selectFrom('code').selectAll().execute()).map((r) => [r.hash, u8(r.code)]));
    const storage = new Map<string, Map<Hex, bigint>>();
    for (const s of await this.db.selectFrom('storage').selectAll().execute()) {
      let m = storage.get(s.address);
      if (!m) storage.set(s.address, (m = new Map()));
      m.set(s.slot as Hex, BigInt(s.value));
    }
    return accounts.map((a) => ({
      account: { address: a.address as Address, nonce: BigInt(a.nonce), balance: BigInt(a.balance), codeHash: a.code_hash as Hex },
      code: code.get(a.code_hash) ?? new Uint8Array(0),
      storage: storage.get(a.address) ?? new Map(),
    }));
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

  async txsOfBlock(n: bigint): Promise<StoredTx[]> {
    const rows = await this.db.selectFrom('txs').selectAll().where('block_number', '=', Number(n)).orderBy('idx').execute();
    return rows.map(toTx);
  }

  async tx(hash: Hex): Promise<StoredTx | null> {
    const r = await this.db.selectFrom('txs').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r ? toTx(r) : null;
  }

  async receipt(hash: Hex): Promise<StoredReceipt | null> {
    const r = await this.db.selectFrom('receipts').selectAll().where('tx_hash', '=', hash).executeTakeFirst();
    if (!r) return null;
    const logs = await this.db.selectFrom('logs').selectAll().where('tx_hash', '=', hash).orderBy('log_index').execute();
    return toReceipt(r, logs);
  }

  async receiptsOfBlock(n: bigint): Promise<StoredReceipt[]> {
    const rs = await this.db.selectFrom('receipts').selectAll().where('block_number', '=', Number(n)).orderBy('idx').execute();
    const logs = await this.db.selectFrom('logs').selectAll().where('block_number', '=', Number(n)).orderBy('log_index').execute();
    const byTx = new Map<string, DB['logs'][]>();
    for (const l of logs) {
      let a = byTx.get(l.tx_hash);
      if (!a) byTx.set(l.tx_hash, (a = []));
      a.push(l);
    }
    return rs.map((r) => toReceipt(r, byTx.get(r.tx_hash) ?? []));
  }

  async logs(q: LogQuery): Promise<LogRow[]> {
    let query = this.db.selectFrom('logs').selectAll();
    if (q.blockHash) query = query.where('block_hash', '=', q.blockHash);
    else query = query.where('block_number', '>=', Number(q.fromBlock)).where('block_number', '<=', Number(q.toBlock));
    if (q.addresses && q.addresses.length > 0) query = query.where('address', 'in', q.addresses);
    const cols = ['topic0', 'topic1', 'topic2', 'topic3'] as const;
    (q.topics ?? []).slice(0, 4).forEach((alts, i) => {
      if (alts && alts.length > 0) query = query.where(cols[i], 'in', alts);
    });
    if ((q.topics?.length ?? 0) > 4) query = query.where(sql<boolean>`0`);
    query = query.orderBy('block_number').orderBy('log_index');
    if (q.limit) query = query.limit(q.limit);
    const rows = await query.execute();
    return rows.map((l) => ({ ...toLog(l), blockNumber: BigInt(l.block_number), blockHash: l.block_hash as Hex, txHash: l.tx_hash as Hex, txIndex: l.tx_index }));
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
    await this.db.destroy();
  }

  /** For tests: direct SQL on the underlying database. */
  rawDatabase(): Database.Database {
    return this.raw;
  }
}

async function insertBlock(trx: Transaction<DB>, b: StoredBlock): Promise<void> {
  await trx.insertInto('blocks').values({ number: Number(b.number), hash: b.hash, header: buf(b.header), size: b.size }).execute();
}

async function writeState(trx: Transaction<DB>, s: StateDiff): Promise<void> {
  const resets = [...s.storageResets, ...[...s.accounts].filter(([, a]) => a === null).map(([k]) => k)];
  for (const part of chunks([...new Set(resets)], 500)) await trx.deleteFrom('storage').where('address', 'in', part).execute();
  const deleted = [...s.accounts].filter(([, a]) => a === null).map(([k]) => k);
  for (const part of chunks(deleted, 500)) await trx.deleteFrom('accounts').where('address', 'in', part).execute();
  const live = [...s.accounts.values()].filter((a): a is StoredAccount => a !== null);
  for (const part of chunks(live, 200)) {
    await trx
      .insertInto('accounts')
      .values(part.map((a) => ({ address: a.address, nonce: a.nonce.toString(), balance: a.balance.toString(), code_hash: a.codeHash })))
      .onConflict((oc) =>
        oc.column('address').doUpdateSet((eb) => ({ nonce: eb.ref('excluded.nonce'), balance: eb.ref('excluded.balance'), code_hash: eb.ref('excluded.code_hash') })),
      )
      .execute();
  }
  const code = [...s.code].map(([hash, c]) => ({ hash, code: buf(c) }));
  for (const part of chunks(code, 50)) await trx.insertInto('code').values(part).onConflict((oc) => oc.column('hash').doNothing()).execute();
  const puts: DB['storage'][] = [];
  const dels: [string, string][] = [];
  for (const [address, slots] of s.slots) {
    for (const [slot, value] of slots) {
      if (value === 0n) dels.push([address, slot]);
      else puts.push({ address, slot, value: value.toString() });
    }
  }
  for (const part of chunks(puts, 300)) {
    await trx
      .insertInto('storage')
      .values(part)
      .onConflict((oc) => oc.columns(['address', 'slot']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
      .execute();
  }
  for (const [address, slot] of dels) await trx.deleteFrom('storage').where('address', '=', address).where('slot', '=', slot).execute();
}

function toBlock(r: DB['blocks']): StoredBlock {
  return { number: BigInt(r.number), hash: r.hash as Hex, header: u8(r.header), size: r.size };
}

function toTx(r: DB['txs']): StoredTx {
  return { hash: r.hash as Hex, blockNumber: BigInt(r.block_number), blockHash: r.block_hash as Hex, index: r.idx, sender: r.sender as Address, raw: u8(r.raw) };
}

function toLog(l: DB['logs']) {
  const topics = [l.topic0, l.topic1, l.topic2, l.topic3].slice(0, l.topics) as Hex[];
  return { address: l.address as Address, topics, data: u8(l.data), logIndex: l.log_index };
}

function toReceipt(r: DB['receipts'], logs: DB['logs'][]): StoredReceipt {
  return {
    txHash: r.tx_hash as Hex,
    blockNumber: BigInt(r.block_number),
    blockHash: r.block_hash as Hex,
    index: r.idx,
    status: r.status as 0 | 1,
    gasUsed: BigInt(r.gas_used),
    cumulativeGasUsed: BigInt(r.cumulative_gas_used),
    effectiveGasPrice: BigInt(r.effective_gas_price),
    blobGasUsed: BigInt(r.blob_gas_used),
    contractAddress: r.contract_address as Address | null,
    logs: logs.map(toLog),
  };
}

export { bytesToHex };
