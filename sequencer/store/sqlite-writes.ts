// SQLite's hot writes (a sealed block's rows, a mempool group commit) as rows of statements prepared once:
// the same rows, in the same order, as KyselyChainStore's dialect-neutral queries, without building and
// compiling SQL text for every chunk of every write. `blockRows`/`mempoolRows` say what a write is; a
// RowSink runs them here (`directWrites`, one synchronous transaction) or encodes them for the writer thread
// (sqlite-writer.ts), which commits them off the event loop.
import type Database from 'better-sqlite3';
import type { Hex } from '../primitives/types.js';
import { META_HEAD } from './schema.js';
import { WRITE_ID as S, WRITE_SQL_LIST, type RowSink, type WriteParam } from './sqlite-statements.js';
import type { BlockCommit, PendingRow, StateDiff } from './store.js';
import { blockTxEntries } from './tx-rows.js';

/** Each write is one transaction: it throws (and writes nothing) on any failure. */
export interface SyncWrites {
  commitBlock(c: BlockCommit): void;
  updateMempool(add: readonly PendingRow[], remove: readonly Hex[]): void;
}

/** The state history rows of block `block` and its new code (the history is the state: no current-state tables). */
function stateRows(s: StateDiff, block: number, out: RowSink): void {
  const wiped = new Set(s.storageResets);
  for (const [address, a] of s.accounts) {
    out.row(S.accountHistory, address, block, a?.nonce.toString() ?? null, a?.balance.toString() ?? null, a?.codeHash ?? null);
    if (a === null) wiped.add(address);
  }
  for (const address of wiped) out.row(S.storageReset, address, block);
  for (const [address, slots] of s.slots) for (const [slot, value] of slots) out.row(S.storageHistory, address, slot, block, value.toString());
  for (const [hash, code] of s.code) out.row(S.putCode, hash, code);
}

/** A sealed block's rows: block, transactions with their receipts and logs, the block's log filter, state history and code, mempool deletions, queue index, head. */
export function blockRows(c: BlockCommit, out: RowSink): void {
  const number = Number(c.block.number);
  out.row(S.block, number, c.block.hash, c.block.header, c.block.size);
  const { entries, filter } = blockTxEntries(number, c.txs, c.receipts);
  for (const { tx: t, receipt: r, logs } of entries) {
    out.row(S.tx, number, t.index, t.hash, t.sender, t.raw, r?.status ?? null, r?.gasUsed.toString() ?? null, r?.cumulativeGasUsed.toString() ?? null,
      r?.effectiveGasPrice.toString() ?? null, r?.blobGasUsed.toString() ?? null, r?.contractAddress ?? null, logs);
    out.row(S.txHash, t.hash, number, t.index);
  }
  if (filter !== null) out.row(S.logFilter, number, filter);
  stateRows(c.state, number, out);
  for (const h of c.removeFromMempool) out.row(S.unpool, h);
  if (c.queueIndexAfter !== undefined) out.row(S.blockQueue, number, Number(c.queueIndexAfter));
  out.row(S.putMeta, META_HEAD, c.block.number.toString());
}

/** A mempool group commit's rows: replaced rows out, new rows in (a hash already stored is kept). */
export function mempoolRows(add: readonly PendingRow[], remove: readonly Hex[], out: RowSink): void {
  for (const h of remove) out.row(S.unpool, h);
  for (const p of add) out.row(S.pool, p.hash, p.sender, p.nonce.toString(), p.raw, p.seq);
}

/** better-sqlite3 binds Buffers as BLOBs; other Uint8Arrays are viewed as one without a copy. */
const bindable = (p: WriteParam): unknown => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p);

/** Runs rows on `db` as they come (the caller holds a transaction). */
export function statementSink(db: Database.Database): RowSink {
  const prepared = WRITE_SQL_LIST.map((text) => db.prepare(text));
  return {
    row(statement, ...params) {
      prepared[statement].run(...params.map(bindable));
    },
  };
}

/** The writes on the caller's connection, each one synchronous transaction (in-memory databases, which no other thread can open). */
export function directWrites(db: Database.Database): SyncWrites {
  const sink = statementSink(db);
  return {
    commitBlock: db.transaction((c: BlockCommit) => blockRows(c, sink)),
    updateMempool: db.transaction((add: readonly PendingRow[], remove: readonly Hex[]) => mempoolRows(add, remove, sink)),
  };
}
