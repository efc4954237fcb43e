// The statements of SQLite's hot writes, by id: a write is a list of (statement id, parameters) rows, which
// either runs at once on the caller's connection or travels to the writer thread (sqlite-writer.ts) as a
// byte stream; both prepare the same texts from this one list, in this order.

// Keys and hashes are stored as bytes and bound as their 0x-hex text: UNHEX(SUBSTR(?, 3)) converts them inside SQLite, without a
// buffer per value on the JS side.
export const WRITE_SQL = {
  block: 'INSERT INTO blocks (number, hash, header, size) VALUES (?, ?, ?, ?)',
  tx:
    'INSERT INTO block_txs (block_number, idx, hash, sender, raw, status, gas_used, cumulative_gas_used, effective_gas_price, blob_gas_used, contract_address, logs) VALUES (?, ?, UNHEX(SUBSTR(?, 3)), UNHEX(SUBSTR(?, 3)), ?, ?, ?, ?, ?, ?, UNHEX(SUBSTR(?, 3)), ?)',
  txHash: 'INSERT INTO tx_hashes (hash, block_number, idx) VALUES (UNHEX(SUBSTR(?, 3)), ?, ?)',
  logFilter: 'INSERT INTO log_filters (block_number, filter) VALUES (?, ?)',
  accountHistory: 'INSERT INTO account_history (address, block, nonce, balance, code_hash) VALUES (UNHEX(SUBSTR(?, 3)), ?, ?, ?, ?)',
  storageReset: 'INSERT INTO storage_resets (address, block) VALUES (UNHEX(SUBSTR(?, 3)), ?)',
  storageHistory: 'INSERT INTO storage_history (address, slot, block, value) VALUES (UNHEX(SUBSTR(?, 3)), UNHEX(SUBSTR(?, 3)), ?, ?)',
  putCode: 'INSERT INTO code (hash, code) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING',
  unpool: 'DELETE FROM mempool WHERE hash = ?',
  pool: 'INSERT INTO mempool (hash, sender, nonce, raw, seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
  blockQueue: 'INSERT INTO block_queue (number, queue_index_after) VALUES (?, ?)',
  putMeta: 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
} as const;

export type WriteStatement = keyof typeof WRITE_SQL;

/** Statement texts in id order (what the writer thread prepares). */
export const WRITE_SQL_LIST: readonly string[] = Object.values(WRITE_SQL);

/** Statement name -> id (its index in WRITE_SQL_LIST). */
export const WRITE_ID = Object.fromEntries(Object.keys(WRITE_SQL).map((k, i) => [k, i])) as Record<WriteStatement, number>;

/** A bound parameter: SQLite INTEGER (JS number), TEXT (hex and decimal strings are ASCII), BLOB or NULL. */
export type WriteParam = number | string | Uint8Array | null;

/** Where a write's rows go, in order. */
export interface RowSink {
  row(statement: number, ...params: WriteParam[]): void;
}
