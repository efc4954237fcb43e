// The seams between the L1 side and the sequencer node. The node implements SealedBatchSource (its sealed,
// durable L2 blocks) and DepositSink (L1 queue items to apply); everything here is plain data.
import type { Address, Hex } from '../primitives/types.js';

/**
 * A sealed L2 block as the batcher posts it and the verifier re-derives it. Execution rules (what the
 * verifier checks, so what the node's block builder must do):
 *  1. at the start of the block, the L1 queue items [previous block's queueIndexAfter, queueIndexAfter)
 *     are applied in order: an ETH deposit credits `to` with `value` (minted); a forced L2 transaction
 *     (signed raw bytes) is executed like any transaction, or skipped without effect when it cannot be
 *     (undecodable, wrong chain id, blob type, bad nonce or balance: the executor rejects it);
 *  2. then `txs` (raw signed EIP-2718 bytes, none of them rejected) execute in order;
 *  3. the fee recipient (coinbase) gets each transaction's priority fee; the base fee is burnt;
 *  4. `stateRoot` is the Merkle-Patricia root after the block.
 */
export interface SealedL2Block {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  stateRoot: Hex;
  timestamp: bigint;
  coinbase: Address;
  gasLimit: bigint;
  baseFee: bigint;
  prevRandao: Hex;
  /** Total L1 queue items consumed after this block (monotonic). */
  queueIndexAfter: bigint;
  /** Raw signed L2 transactions, in block order (queue items are not repeated here). */
  txs: Hex[];
}

/** Sealed (durable) L2 blocks, in order: what the node gives the batcher. */
export interface SealedBatchSource {
  /** The highest sealed block number (0 when only genesis exists). */
  latestSealedBlockNumber(): Promise<bigint>;
  /** Sealed blocks from..to inclusive, in order (to ≤ latestSealedBlockNumber()). */
  getSealedBlocks(from: bigint, to: bigint): Promise<SealedL2Block[]>;
}

export const QUEUE_ETH_DEPOSIT = 0;
export const QUEUE_L2_TX = 1;

/** One item of the L1 queue (the Rollup contract's QueueItemAdded event). */
export interface L1QueueItem {
  queueIndex: bigint;
  kind: typeof QUEUE_ETH_DEPOSIT | typeof QUEUE_L2_TX;
  l1Sender: Address;
  /** ETH deposits: the L2 recipient. */
  to: Address;
  /** ETH deposits: wei minted on L2. */
  value: bigint;
  /** Forced transactions: the raw signed L2 transaction. */
  data: Hex;
  l1Timestamp: bigint;
  /** The contract's hash chain after this item. */
  accumulator: Hex;
  /** The L1 block and transaction that enqueued it. */
  l1BlockNumber: bigint;
  l1TxHash: Hex;
}

/**
 * Where L1 queue items go (the node's mempool/block builder). Items arrive exactly once each, in queue
 * order, starting at nextQueueIndex(); the sink must persist them before resolving, since the watcher's
 * restart position is nextQueueIndex().
 */
export interface DepositSink {
  nextQueueIndex(): Promise<bigint>;
  accept(item: L1QueueItem): Promise<void>;
}
