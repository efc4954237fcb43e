// A sealed block's rows on SQLite in one synchronous transaction with statements prepared once: the same
// rows, in the same order, as KyselyChainStore's dialect-neutral commitBlock, without building, compiling and
// preparing SQL text for every chunk of every block (most of the persist stage's CPU under load).
import type Database from 'better-sqlite3';
import { META_HEAD } from './schema.js';
import type { BlockCommit, StateDiff } from './store.js';

/** Writes one block commit; throws (and writes nothing) on any failure. */
export type SyncBlockWriter = (c: BlockCommit) => void;

const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export function sqliteBlockWriter(db: Database.Database): SyncBlockWriter {
  const st = {
    block: db.prepare('INSERT INTO blocks (number, hash, header, size) VALUES (?, ?, ?, ?)'),
    tx: db.prepare('INSERT INTO txs (hash, block_number, block_hash, idx, sender, raw) VALUES (?, ?, ?, ?, ?, ?)'),
    receipt: db.prepare(
      'INSERT INTO receipts (tx_hash, block_number, block_hash, idx, status, gas_used, cumulative_gas_used, effective_gas_price, blob_gas_used, contract_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    log: db.prepare(
      'INSERT INTO logs (block_number, log_index, block_hash, tx_hash, tx_index, address, topic0, topic1, topic2, topic3, topics, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    accountHistory: db.prepare('INSERT INTO account_history (address, block, nonce, balance, code_hash) VALUES (?, ?, ?, ?, ?)'),
    storageReset: db.prepare('INSERT INTO storage_resets (address, block) VALUES (?, ?)'),
    storageHistory: db.prepare('INSERT INTO storage_history (address, slot, block, value) VALUES (?, ?, ?, ?)'),
    clearStorage: db.prepare('DELETE FROM storage WHERE address = ?'),
    deleteAccount: db.prepare('DELETE FROM accounts WHERE address = ?'),
    putAccount: db.prepare(
      'INSERT INTO accounts (address, nonce, balance, code_hash) VALUES (?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash',
    ),
    putCode: db.prepare('INSERT INTO code (hash, code) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING'),
    putSlot: db.prepare('INSERT INTO storage (address, slot, value) VALUES (?, ?, ?) ON CONFLICT (address, slot) DO UPDATE SET value = excluded.value'),
    deleteSlot: db.prepare('DELETE FROM storage WHERE address = ? AND slot = ?'),
    unpool: db.prepare('DELETE FROM mempool WHERE hash = ?'),
    blockQueue: db.prepare('INSERT INTO block_queue (number, queue_index_after) VALUES (?, ?)'),
    putMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };

  const writeState = (s: StateDiff, block: number) => {
    // History first (as writeHistory), then the current-state tables.
    const wiped = new Set(s.storageResets);
    for (const [address, a] of s.accounts) {
      st.accountHistory.run(address, block, a?.nonce.toString() ?? null, a?.balance.toString() ?? null, a?.codeHash ?? null);
      if (a === null) wiped.add(address);
    }
    for (const address of wiped) st.storageReset.run(address, block);
    for (const [address, slots] of s.slots) for (const [slot, value] of slots) st.storageHistory.run(address, slot, block, value.toString());
    for (const address of wiped) st.clearStorage.run(address);
    for (const [address, a] of s.accounts) if (a === null) st.deleteAccount.run(address);
    for (const a of s.accounts.values()) if (a !== null) st.putAccount.run(a.address, a.nonce.toString(), a.balance.toString(), a.codeHash);
    for (const [hash, code] of s.code) st.putCode.run(hash, buf(code));
    for (const [address, slots] of s.slots) {
      for (const [slot, value] of slots) {
        if (value === 0n) st.deleteSlot.run(address, slot);
        else st.putSlot.run(address, slot, value.toString());
      }
    }
  };

  return db.transaction((c: BlockCommit) => {
    const number = Number(c.block.number);
    st.block.run(number, c.block.hash, buf(c.block.header), c.block.size);
    for (const t of c.txs) st.tx.run(t.hash, Number(t.blockNumber), t.blockHash, t.index, t.sender, buf(t.raw));
    for (const r of c.receipts) {
      const blockNumber = Number(r.blockNumber);
      st.receipt.run(r.txHash, blockNumber, r.blockHash, r.index, r.status, r.gasUsed.toString(), r.cumulativeGasUsed.toString(), r.effectiveGasPrice.toString(), r.blobGasUsed.toString(), r.contractAddress);
      for (const l of r.logs) {
        const t = l.topics;
        st.log.run(blockNumber, l.logIndex, r.blockHash, r.txHash, r.index, l.address, t[0] ?? null, t[1] ?? null, t[2] ?? null, t[3] ?? null, t.length, buf(l.data));
      }
    }
    writeState(c.state, number);
    for (const h of c.removeFromMempool) st.unpool.run(h);
    if (c.queueIndexAfter !== undefined) st.blockQueue.run(number, Number(c.queueIndexAfter));
    st.putMeta.run(META_HEAD, c.block.number.toString());
  });
}
