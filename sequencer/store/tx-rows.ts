// A block's transactions and receipts as the rows the store keeps (block_txs, tx_hashes, log_filters): one
// row per transaction appended in (block, index) order, its receipt's logs encoded in it, and one filter per
// block for eth_getLogs. Shared by both dialects' writes and migration 005, and the inverse for reads.
import type { Address, Hex } from '../primitives/types.js';
import { bytesHex, hexBytes } from './hex-bytes.js';
import { decodeLogs, encodeLogs } from './log-codec.js';
import { LogFilterBuilder } from './log-filter.js';
import type { StoreTables } from './schema.js';
import type { StoredReceipt, StoredTx } from './store.js';

export type TxRow = StoreTables['block_txs'];

const view = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

/** A transaction, its receipt (null: stored without one) and the receipt's encoded logs. */
export interface TxEntry {
  tx: StoredTx;
  receipt: StoredReceipt | null;
  logs: Buffer | null;
}

/** Block `number`'s transactions with their receipts (matched by index) and logs encoded, and the block's log filter. */
export function blockTxEntries(number: number, txs: readonly StoredTx[], receipts: readonly StoredReceipt[]): { entries: TxEntry[]; filter: Buffer | null } {
  const byIndex = new Map<number, StoredReceipt>();
  for (const r of receipts) byIndex.set(r.index, r);
  const filter = new LogFilterBuilder();
  const entries = txs.map((tx): TxEntry => {
    const receipt = byIndex.get(tx.index) ?? null;
    byIndex.delete(tx.index);
    return { tx, receipt, logs: receipt === null ? null : encodeLogs(receipt.logs, filter) };
  });
  const orphan = byIndex.values().next().value;
  if (orphan !== undefined) throw new Error(`block ${number}: receipt of ${orphan.txHash} at index ${orphan.index} has no transaction at that index`);
  return { entries, filter: filter.finish() };
}

/** An entry as a block_txs row (the kysely path; SQLite's hot path binds the same values as statement parameters). */
export function txTableRow(number: number, { tx, receipt: r, logs }: TxEntry): TxRow {
  return {
    block_number: number,
    idx: tx.index,
    hash: hexBytes(tx.hash),
    sender: hexBytes(tx.sender),
    raw: view(tx.raw),
    status: r?.status ?? null,
    gas_used: r?.gasUsed.toString() ?? null,
    cumulative_gas_used: r?.cumulativeGasUsed.toString() ?? null,
    effective_gas_price: r?.effectiveGasPrice.toString() ?? null,
    blob_gas_used: r?.blobGasUsed.toString() ?? null,
    contract_address: r?.contractAddress ? hexBytes(r.contractAddress) : null,
    logs,
  };
}

export function toStoredTx(r: Pick<TxRow, 'block_number' | 'idx' | 'hash' | 'sender' | 'raw'>, blockHash: string): StoredTx {
  return {
    hash: bytesHex(r.hash) as Hex,
    blockNumber: BigInt(r.block_number),
    blockHash: blockHash as Hex,
    index: r.idx,
    sender: bytesHex(r.sender) as Address,
    raw: new Uint8Array(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength),
  };
}

/** The receipt of a row, or null when its transaction was stored without one. */
export function toStoredReceipt(r: TxRow, blockHash: string): StoredReceipt | null {
  if (r.status === null) return null;
  return {
    txHash: bytesHex(r.hash) as Hex,
    blockNumber: BigInt(r.block_number),
    blockHash: blockHash as Hex,
    index: r.idx,
    status: r.status as 0 | 1,
    gasUsed: BigInt(r.gas_used!),
    cumulativeGasUsed: BigInt(r.cumulative_gas_used!),
    effectiveGasPrice: BigInt(r.effective_gas_price!),
    blobGasUsed: BigInt(r.blob_gas_used!),
    contractAddress: r.contract_address === null ? null : (bytesHex(r.contract_address) as Address),
    logs: decodeLogs(r.logs),
  };
}
