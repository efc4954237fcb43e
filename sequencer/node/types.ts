// Public data shapes of the sequencer node: what the JSON-RPC server, the CLI and tests read.
// Quantities are bigint, hashes/addresses 0x-lowercase hex, byte payloads Uint8Array.
import type { Address, Hex } from '../primitives/types.js';
import type { BlockEnv, ExecTx } from '../executor/types.js';

/** A transaction as the node stores and serves it (decoded from its raw bytes): the executor's view plus its signature. */
export interface TxView extends ExecTx {
  /** Signature: v as encoded (legacy: 27/28 or EIP-155 value; typed: 0/1 = yParity). */
  v: bigint;
  r: bigint;
  s: bigint;
  /** The signed transaction as sent (typed: type byte || rlp). */
  raw: Uint8Array;
}

/** Where a mined transaction sits. */
export interface TxLocation {
  blockNumber: bigint;
  blockHash: Hex;
  index: number;
}

/** getTransaction's answer: mined (with location and effective gas price) or pending (no location). */
export interface TxLookup {
  tx: TxView;
  location?: TxLocation;
  /** Mined transactions: the price actually paid per gas (baseFee + effective tip, or gasPrice). */
  effectiveGasPrice?: bigint;
}

export interface BlockHeaderView {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  uncleHash: Hex;
  coinbase: Address;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  difficulty: bigint;
  gasLimit: bigint;
  gasUsed: bigint;
  timestamp: bigint;
  extraData: Hex;
  /** Also known as prevRandao after the merge. */
  mixHash: Hex;
  nonce: Hex;
  baseFeePerGas: bigint;
  withdrawalsRoot: Hex;
  blobGasUsed: bigint;
  excessBlobGas: bigint;
  parentBeaconBlockRoot: Hex;
  /** Size of the RLP-encoded block (header, txs, empty uncles, empty withdrawals) in bytes. */
  size: number;
}

export interface BlockView {
  header: BlockHeaderView;
  /** Transaction hashes in block order. */
  txHashes: Hex[];
  /** Full transactions in block order, when asked for (`full = true`). */
  txs?: TxView[];
}

export interface LogView {
  address: Address;
  topics: Hex[];
  data: Uint8Array;
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  txIndex: number;
  /** Index of the log in its block. */
  logIndex: number;
  removed: false;
}

export interface ReceiptView {
  txHash: Hex;
  txIndex: number;
  blockNumber: bigint;
  blockHash: Hex;
  from: Address;
  to: Address | null;
  type: 0 | 1 | 2 | 3 | 4;
  /** 1 success, 0 revert/halt. */
  status: 0 | 1;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  blobGasUsed?: bigint;
  blobGasPrice?: bigint;
  contractAddress: Address | null;
  logs: LogView[];
  logsBloom: Hex;
}

export interface LogFilter {
  /** Inclusive; default: head. */
  fromBlock?: bigint;
  /** Inclusive; default: head. */
  toBlock?: bigint;
  /** Restricts to one block (then from/to are ignored). */
  blockHash?: Hex;
  /** Any of these addresses (empty / absent: any). */
  addresses?: Address[];
  /** Per position: null = any, else any of the listed topics. */
  topics?: (Hex[] | null)[];
}

/** The environment the next block will be built with (eth_call / estimateGas "pending"). */
export interface NextBlockEnv extends Pick<BlockEnv, 'number' | 'timestamp' | 'coinbase' | 'gasLimit' | 'baseFee' | 'prevRandao' | 'excessBlobGas'> {
  parentHash: Hex;
}

/**
 * Per-block statistics of the scheduler and of the production pipeline (sequencer/producer/block-stats.ts).
 * Stage times are this block's own; its execution overlaps the previous block's root/build/persist
 * (overlapMs), so summing stages over blocks overstates wall time by the summed overlap.
 */
export interface BlockStats {
  number: bigint;
  txs: number;
  rounds: number;
  /** Transaction executions in all rounds (executed + rejected outcomes). */
  executions: number;
  /** Executions discarded because their reads met an earlier accepted write (or coinbase read). */
  conflicts: number;
  /** conflicts / executions (0 when nothing ran). */
  conflictRate: number;
  /** Executions beyond the first of the same transaction within this block. */
  reExecutions: number;
  /** Executions that may have read BLOCKHASH(parent) before the parent's hash was known: re-run with it. */
  heldForParentHash: number;
  /** Transactions dropped from the mempool while building (e.g. insufficient funds at execution). */
  dropped: number;
  gasUsed: bigint;
  /** In the executor (all rounds). */
  execMs: number;
  /** Scheduling beyond the executor: candidates, validation, overlay commits, L1 queue items. */
  scheduleMs: number;
  /** Waiting for the parent's state root before committing (the world state must not change under it). */
  commitWaitMs: number;
  /** Applying the block to the world state (and the undo layer). */
  commitMs: number;
  /** Waiting for the parent to be durable before this block's seal stage starts. */
  sealWaitMs: number;
  rootMs: number;
  /** Header, tries, receipts. */
  buildMs: number;
  /** The store transaction. */
  persistMs: number;
  /** Wall time this block's execution ran while the previous block was in its seal stage. */
  overlapMs: number;
  /** From the start of execution to durable and announced. */
  totalMs: number;
  /** Keys whose earlier accepted writes made other transactions conflict, most conflicts first (top 10). */
  hotKeys?: { key: string; conflicts: number }[];
}

/** Fee history data of one block (eth_feeHistory). */
export interface FeeHistoryEntry {
  number: bigint;
  baseFeePerGas: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  blobGasUsed: bigint;
  excessBlobGas: bigint;
  /** The effective tips of the block's transactions with their gas used, sorted by tip ascending. */
  tips: { tip: bigint; gasUsed: bigint }[];
}
