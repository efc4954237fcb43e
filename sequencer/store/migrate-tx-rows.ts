// Migration 005's data move: the rows of the old txs, receipts and logs tables (hex TEXT keys, a random-order
// B-tree per table and five secondary indexes) become block_txs, tx_hashes and log_filters rows, through the
// same row builder as new blocks (tx-rows.ts), a range of blocks at a time.
import { sql, type Kysely } from 'kysely';
import type { Address, Hex } from '../primitives/types.js';
import type { StoreTables } from './schema.js';
import type { StoredLog, StoredReceipt, StoredTx } from './store.js';
import { blockTxEntries, txTableRow } from './tx-rows.js';

const BLOCKS_PER_PASS = 500;
const ROWS_PER_INSERT = 100;

interface OldTx { hash: string; block_number: number; block_hash: string; idx: number; sender: string; raw: Buffer }
interface OldReceipt {
  tx_hash: string; block_number: number; block_hash: string; idx: number; status: number; gas_used: string; cumulative_gas_used: string;
  effective_gas_price: string; blob_gas_used: string; contract_address: string | null;
}
interface OldLog { block_number: number; log_index: number; tx_index: number; address: string; topic0: string | null; topic1: string | null; topic2: string | null; topic3: string | null; topics: number; data: Buffer }

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function groupBy<T>(rows: T[], key: (r: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    let a = m.get(k);
    if (a === undefined) m.set(k, (a = []));
    a.push(r);
  }
  return m;
}

/** Moves every stored transaction, receipt and log into the new tables (which must exist and be empty). */
export async function moveTxRows(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as Kysely<StoreTables>;
  const top = (await sql<{ n: number | null }>`SELECT MAX(block_number) AS n FROM txs`.execute(db)).rows[0]?.n;
  if (top === null || top === undefined) return;
  for (let from = 0; from <= top; from += BLOCKS_PER_PASS) {
    const to = from + BLOCKS_PER_PASS - 1;
    const txs = groupBy((await sql<OldTx>`SELECT * FROM txs WHERE block_number BETWEEN ${from} AND ${to}`.execute(db)).rows, (r) => Number(r.block_number));
    const receipts = groupBy((await sql<OldReceipt>`SELECT * FROM receipts WHERE block_number BETWEEN ${from} AND ${to}`.execute(db)).rows, (r) => Number(r.block_number));
    const logs = groupBy((await sql<OldLog>`SELECT * FROM logs WHERE block_number BETWEEN ${from} AND ${to} ORDER BY block_number, log_index`.execute(db)).rows, (r) => Number(r.block_number) * 2 ** 20 + r.tx_index);
    for (const [number, blockTxs] of txs) {
      const stored: StoredTx[] = blockTxs.map((t) => ({ hash: t.hash as Hex, blockNumber: BigInt(number), blockHash: t.block_hash as Hex, index: t.idx, sender: t.sender as Address, raw: u8(t.raw) }));
      const storedReceipts: StoredReceipt[] = (receipts.get(number) ?? []).map((r) => ({
        txHash: r.tx_hash as Hex, blockNumber: BigInt(number), blockHash: r.block_hash as Hex, index: r.idx, status: r.status as 0 | 1,
        gasUsed: BigInt(r.gas_used), cumulativeGasUsed: BigInt(r.cumulative_gas_used), effectiveGasPrice: BigInt(r.effective_gas_price), blobGasUsed: BigInt(r.blob_gas_used),
        contractAddress: r.contract_address as Address | null,
        logs: (logs.get(number * 2 ** 20 + r.idx) ?? []).map((l): StoredLog => ({
          address: l.address as Address, topics: [l.topic0, l.topic1, l.topic2, l.topic3].slice(0, l.topics) as Hex[], data: u8(l.data), logIndex: l.log_index,
        })),
      }));
      const { entries, filter } = blockTxEntries(number, stored, storedReceipts);
      const rows = entries.map((e) => txTableRow(number, e));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        const part = rows.slice(i, i + ROWS_PER_INSERT);
        await db.insertInto('block_txs').values(part).execute();
        await db.insertInto('tx_hashes').values(part.map((r) => ({ hash: r.hash, block_number: r.block_number, idx: r.idx }))).execute();
      }
      if (filter !== null) await db.insertInto('log_filters').values({ block_number: number, filter }).execute();
    }
  }
}
