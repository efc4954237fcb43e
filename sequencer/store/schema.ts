// The tables of the chain store, as kysely sees them: one definition for SQLite and PostgreSQL.
// Block numbers and counts are JS numbers (PostgreSQL's int8 is parsed to Number, postgres-store.ts);
// balances, nonces and slot values are decimal strings (they exceed 64 bits).

export interface StoreTables {
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
  /** Current state (what a restart loads). */
  accounts: { address: string; nonce: string; balance: string; code_hash: string };
  code: { hash: string; code: Buffer };
  storage: { address: string; slot: string; value: string };
  l1_queue: { queue_index: number; item: string };
  block_queue: { number: number; queue_index_after: number };
  /** Account header as set by block `block`; nonce/balance/code_hash all null = deleted in that block. */
  account_history: { address: string; block: number; nonce: string | null; balance: string | null; code_hash: string | null };
  /** Slot value as set by block `block` ('0' = cleared). */
  storage_history: { address: string; slot: string; block: number; value: string };
  /** The account's storage was wiped in block `block`, before that block's slot writes. */
  storage_resets: { address: string; block: number };
}

/** Meta key: oldest block whose post-state the history tables still hold. */
export const META_HISTORY_OLDEST = 'history_oldest';
/** Meta key: number of the latest sealed block. */
export const META_HEAD = 'head';
