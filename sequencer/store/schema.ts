// The tables of the chain store, as kysely sees them: one definition for SQLite and PostgreSQL.
// Block numbers and counts are JS numbers (PostgreSQL's int8 is parsed to Number, postgres-store.ts);
// balances, nonces and slot values are decimal strings (they exceed 64 bits).

export interface StoreTables {
  meta: { key: string; value: string };
  blocks: { number: number; hash: string; header: Buffer; size: number };
  /** A block's transactions with their receipts, keyed (block, index): appended in block order. Receipt columns are null for a transaction stored without one. */
  block_txs: {
    block_number: number;
    idx: number;
    hash: Buffer;
    sender: Buffer;
    raw: Buffer;
    status: number | null;
    gas_used: string | null;
    cumulative_gas_used: string | null;
    effective_gas_price: string | null;
    blob_gas_used: string | null;
    contract_address: Buffer | null;
    /** The receipt's logs (log-codec.ts); null: none. */
    logs: Buffer | null;
  };
  /** Transaction hash -> its place (the one random-order insert per transaction). */
  tx_hashes: { hash: Buffer; block_number: number; idx: number };
  /** Membership filter over the addresses and topics of a block's logs (log-filter.ts); no row: the block has no logs. */
  log_filters: { block_number: number; filter: Buffer };
  mempool: { hash: string; sender: string; nonce: string; raw: Buffer; seq: number };
  code: { hash: string; code: Buffer };
  l1_queue: { queue_index: number; item: string };
  block_queue: { number: number; queue_index_after: number };
  /** Account header as set by block `block` (the latest row per key is the current state, what a restart loads); nonce/balance/code_hash all null = deleted in that block. */
  account_history: { address: Buffer; block: number; nonce: string | null; balance: string | null; code_hash: string | null };
  /** Slot value as set by block `block` ('0' = cleared). */
  storage_history: { address: Buffer; slot: Buffer; block: number; value: string };
  /** The account's storage was wiped in block `block`, before that block's slot writes. */
  storage_resets: { address: Buffer; block: number };
}

/** Meta key: oldest block whose post-state the history tables still hold. */
export const META_HISTORY_OLDEST = 'history_oldest';
/** Meta key: number of the latest sealed block. */
export const META_HEAD = 'head';
