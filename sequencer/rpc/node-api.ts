// What the RPC layer needs from the node, in the RPC layer's own terms. sequencer/rpc/node-adapter.ts
// maps the SequencerNode facade onto it; tests can implement it directly. Quantities are bigint,
// hashes / addresses / byte strings are lowercase 0x-hex.
import type { DroppedTx } from './dropped-txs.js';
import type { BlockEnv, ExecTx, Log, TxOutcome } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import type { StateReader, WorldState } from '../state/world-state.js';
import type { FeeHistoryEntry } from '../node/types.js';

export interface RpcTransaction {
  hash: Hex;
  type: 0 | 1 | 2 | 3 | 4;
  from: Address;
  to: Address | null;
  nonce: bigint;
  gas: bigint;
  value: bigint;
  input: Hex;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes?: Hex[];
  accessList?: { address: Address; storageKeys: Hex[] }[];
  /** EIP-7702 (type 4): the signed tuples, as clients send them. */
  authorizationList?: { chainId: bigint; address: Address; nonce: bigint; yParity: bigint; r: bigint; s: bigint }[];
  chainId?: bigint;
  v: bigint;
  r: bigint;
  s: bigint;
  yParity?: bigint;
  /** Set when the transaction is in a block. */
  blockHash?: Hex;
  blockNumber?: bigint;
  blockTimestamp?: bigint;
  transactionIndex?: number;
}

export interface RpcHeader {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  timestamp: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  baseFeePerGas: bigint;
  miner: Address;
  extraData: Hex;
  mixHash: Hex;
  blobGasUsed: bigint;
  excessBlobGas: bigint;
  parentBeaconBlockRoot: Hex;
  withdrawalsRoot: Hex;
  /** RLP size of the block, bytes. */
  size: bigint;
}

export interface RpcBlock {
  header: RpcHeader;
  /** Built on first read: most readers (newHeads, mirrors, hash-only block reads) never look at them. */
  readonly transactions: RpcTransaction[];
  transactionHashes: readonly Hex[];
}

export interface RpcLog {
  address: Address;
  topics: Hex[];
  data: Hex;
  blockNumber: bigint;
  blockHash: Hex;
  blockTimestamp?: bigint;
  transactionHash: Hex;
  transactionIndex: number;
  /** Index in the block. */
  logIndex: number;
  removed: false;
}

export interface RpcReceipt {
  transactionHash: Hex;
  transactionIndex: number;
  blockHash: Hex;
  blockNumber: bigint;
  from: Address;
  to: Address | null;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  effectiveGasPrice: bigint;
  contractAddress: Address | null;
  logs: RpcLog[];
  logsBloom: Hex;
  status: 0 | 1;
  type: number;
  blobGasUsed?: bigint;
  blobGasPrice?: bigint;
}

export interface NodeEvents {
  /** A sealed (durable) block, with its transactions. */
  onBlock(fn: (block: RpcBlock) => void): () => void;
  /** The logs of a sealed block. */
  onLogs(fn: (logs: RpcLog[]) => void): () => void;
  /** A transaction accepted into the pool, told synchronously while the pool holds it. */
  onPendingTransaction(fn: (tx: PendingTransaction) => void): () => void;
}

/** A transaction just accepted; its RPC view is built on first use and shared by every listener of the event. */
export interface PendingTransaction {
  hash: Hex;
  view(): RpcTransaction | undefined;
}

export interface RpcNode extends NodeEvents {
  readonly chainId: bigint;
  readonly clientVersion?: string;
  /** Number of the latest sealed block. */
  headNumber(): bigint;
  getBlockByNumber(n: bigint): Promise<RpcBlock | undefined>;
  getBlockByHash(hash: Hex): Promise<RpcBlock | undefined>;
  /** A mined or pending transaction. */
  getTransaction(hash: Hex): Promise<RpcTransaction | undefined>;
  getReceipt(hash: Hex): Promise<RpcReceipt | undefined>;
  /**
   * True while the transaction waits in the pool, so it is in no block yet: wallets poll its receipt, which is
   * then answered null without a store lookup. Optional (a replica has no pool).
   */
  isPending?(hash: Hex): boolean;
  /** An acknowledged transaction the pool dropped without including it (absent: the node does not track it). */
  droppedTransaction?(hash: Hex): DroppedTx | undefined;
  getBlockReceipts(n: bigint): Promise<RpcReceipt[] | undefined>;
  /** Logs in [from, to] (inclusive, both <= head); the RPC layer filters by address / topics too. */
  getLogs(q: { fromBlock?: bigint; toBlock?: bigint; blockHash?: Hex; addresses?: Address[]; topics?: (Hex[] | null)[] }): Promise<RpcLog[]>;
  /** Hash of block n (BLOCKHASH); undefined if unknown. */
  blockHash(n: bigint): Promise<Hex | undefined>;
  feeHistory(count: number, newest: bigint): Promise<FeeHistoryEntry[]>;
  /** The committed state after the head block. */
  latestState(): WorldState;
  /** The state after block n, when the node still has it (undefined beyond the head; rejects with an RpcError below the oldest kept block). */
  stateAt(n: bigint): Promise<StateReader | undefined>;
  /** The whole state after kept block n with its tries, for proofs (undefined beyond the head). */
  provableStateAt?(n: bigint): Promise<WorldState | undefined>;
  /** Next nonce counting pending transactions (a replica asks the sequencer, whose pool it is). */
  pendingNonce(address: Address): bigint | Promise<bigint>;
  /** Validates and pools a signed transaction; throws an Error whose message says why it was rejected. */
  submitRawTransaction(raw: Uint8Array): Promise<Hex>;
  /** The environment the next block will execute with (eth_call on "pending"/"latest"); recentBlockHashes may be empty (see blockHash). */
  nextBlockEnv(): BlockEnv;
  /** The environment block n executed with (tracing, historical eth_call). */
  blockEnv(n: bigint): Promise<BlockEnv | undefined>;
  /** Hashes of pending transactions. */
  pendingTransactionHashes?(): Hex[];
  /** Runs transactions on the node's own executor (eth_simulateV1), each alone against `snapshot`. */
  executeBatch?(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv): Promise<TxOutcome[]>;
  /** The pool's transactions: pending (executable now) and queued (waiting for a lower nonce), per sender ascending nonce. */
  txpool?(): TxPoolContent;
  /** eth_syncing: where a node that follows another (a replica) stands; false (or absent) when it is at the head. */
  syncing?(): SyncStatus | false;
}

/** eth_syncing's object: blocks this node has, and the newest it knows of. */
export interface SyncStatus {
  startingBlock: bigint;
  currentBlock: bigint;
  highestBlock: bigint;
}

export interface TxPoolContent {
  pending: RpcTransaction[];
  queued: RpcTransaction[];
}

export type { Log, FeeHistoryEntry };
