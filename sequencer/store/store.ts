// The persistence seam: everything the node keeps across restarts. One implementation (kysely-store.ts)
// over two dialects: better-sqlite3 (sqlite-store.ts, the embedded default) and PostgreSQL (postgres-store.ts);
// open-store.ts picks one by URL.
import type { Address, Hex } from '../primitives/types.js';
import type { StateHistoryReads } from './history-reads.js';

export interface StoredBlock {
  number: bigint;
  hash: Hex;
  /** RLP of the header (decode with createBlockHeaderFromRLP). */
  header: Uint8Array;
  size: number;
}

export interface StoredTx {
  hash: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  index: number;
  sender: Address;
  raw: Uint8Array;
}

export interface StoredLog {
  address: Address;
  topics: Hex[];
  data: Uint8Array;
  logIndex: number;
}

export interface StoredReceipt {
  txHash: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  index: number;
  status: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  blobGasUsed: bigint;
  contractAddress: Address | null;
  logs: StoredLog[];
}

export interface StoredAccount {
  address: Address;
  nonce: bigint;
  balance: bigint;
  codeHash: Hex;
}

/** The state changes of one block: final values of touched accounts and slots. */
export interface StateDiff {
  /** Final account headers; null = account deleted (its storage rows go too). */
  accounts: Map<Address, StoredAccount | null>;
  /** Accounts whose storage was wiped (self-destruct / re-creation) before `slots` apply. */
  storageResets: Set<Address>;
  /** Final slot values (0n deletes the row). */
  slots: Map<Address, Map<Hex, bigint>>;
  /** New code by hash. */
  code: Map<Hex, Uint8Array>;
}

export interface BlockCommit {
  block: StoredBlock;
  txs: StoredTx[];
  receipts: StoredReceipt[];
  state: StateDiff;
  /** Mempool rows to delete (included or dropped). */
  removeFromMempool: Hex[];
  /** L1 queue items consumed after this block (monotonic; stored per block). */
  queueIndexAfter?: bigint;
}

export interface PendingRow {
  hash: Hex;
  sender: Address;
  nonce: bigint;
  raw: Uint8Array;
  seq: number;
}

export interface LogQuery {
  fromBlock: bigint;
  toBlock: bigint;
  blockHash?: Hex;
  addresses?: Address[];
  topics?: (Hex[] | null)[];
  limit?: number;
}

export interface LogRow extends StoredLog {
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  txIndex: number;
}

export interface ChainStore {
  /** Latest sealed block, or null for a new database. */
  head(): Promise<StoredBlock | null>;
  meta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;
  /** Writes block 0 and the genesis state in one transaction. */
  commitGenesis(block: StoredBlock, state: StateDiff): Promise<void>;
  /** One transaction: block, txs, receipts, logs, state diff, mempool deletions, head. */
  commitBlock(commit: BlockCommit): Promise<void>;
  /** Mempool inserts (and replaced-row deletes) in one transaction. */
  updateMempool(add: PendingRow[], remove: Hex[]): Promise<void>;
  loadMempool(): Promise<PendingRow[]>;
  /** Every account with its code and storage (restart). */
  loadState(): Promise<{ account: StoredAccount; code: Uint8Array; storage: Map<Hex, bigint> }[]>;
  blockByNumber(n: bigint): Promise<StoredBlock | null>;
  blockByHash(h: Hex): Promise<StoredBlock | null>;
  /** Hashes of the most recent blocks, newest first (BLOCKHASH). */
  recentBlockHashes(count: number): Promise<Hex[]>;
  txsOfBlock(n: bigint): Promise<StoredTx[]>;
  tx(hash: Hex): Promise<StoredTx | null>;
  receipt(hash: Hex): Promise<StoredReceipt | null>;
  receiptsOfBlock(n: bigint): Promise<StoredReceipt[]>;
  logs(q: LogQuery): Promise<LogRow[]>;
  /** Persists one L1 queue item (JSON with bigints as strings); its index is the key. */
  addQueueItem(queueIndex: bigint, json: string): Promise<void>;
  /** Queue items with index >= from, in order. */
  queueItems(from: bigint): Promise<string[]>;
  /** Number of stored queue items (= the next expected index). */
  queueLength(): Promise<bigint>;
  /** queueIndexAfter recorded with block n (null: none recorded, i.e. 0). */
  queueIndexAfter(n: bigint): Promise<bigint | null>;
  /** Oldest block whose post-state is kept (state history; older blocks' states are pruned). */
  oldestStateBlock(): bigint;
  /** Re-reads the oldest kept block, which another process writing this database (the sequencer) moves when it prunes. */
  reloadHistoryBounds(): Promise<void>;
  /**
   * The state changes block n made, from its history rows (what a replica applies to follow the chain).
   * `code` holds the code of every code hash the block set for which `haveCode` says no.
   */
  blockStateDiff(n: bigint, haveCode?: (hash: Hex) => boolean): Promise<StateDiff>;
  /** Synchronous reads of the state after any kept block (check oldestStateBlock() first). */
  history(): StateHistoryReads;
  close(): Promise<void>;
}
