// Adapts the L1 batcher (branch `l1`: sequencer/l1/batcher.ts Batcher + batch-store.ts BatchStore) to the
// console's L1StatusSource. Typed structurally so this branch compiles without the batcher; the CLI passes
// the real objects once both are merged:
//   con.setL1Source(batcherStatusSource({ batcher, store: batchStore, l1Url, l1Head: () => l1Client.getBlockNumber() }))
import type { L1BatchInfo, L1DepositInfo, L1Status, L1StatusSource, L1WithdrawalInfo } from './l1-status.js';
import type { L1QueueItem } from '../l1/types.js';
import { QUEUE_ETH_DEPOSIT } from '../l1/types.js';
import { queueItemFromJson } from '../node/l1-queue.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, type Hex } from '../primitives/types.js';

/** The part of sequencer/l1/batch-store.ts BatchRow the console shows. */
export interface BatchRowLike {
  batch_index: number;
  first_block: number;
  last_block: number;
  new_state_root: string;
  da: 'calldata' | 'blobs';
  data: Uint8Array;
  status: 'pending' | 'submitted' | 'confirmed';
  created_at: number;
  confirmed_l1_block: number | null;
  confirmed_tx_hash: string | null;
}

export interface BatcherLike {
  status(): { running: boolean; lastError?: string; blocked?: string };
  /** One step; `force` batches every sealed block now. */
  tick(force?: boolean): Promise<void>;
}

export interface BatchStoreLike {
  all(): Promise<BatchRowLike[]>;
}

export interface BatcherSourceOptions {
  batcher: BatcherLike;
  store: BatchStoreLike;
  l1Url?: string;
  l1ChainId?: bigint;
  /** Current L1 block number (e.g. viem publicClient.getBlockNumber). */
  l1Head?: () => Promise<bigint>;
  /** Recent L1 deposits / forced txs as the node or the deposit watcher records them (default: none listed). */
  deposits?: () => L1DepositInfo[] | Promise<L1DepositInfo[]>;
  /** Withdrawals started on L2 and their stages (default: none listed). */
  withdrawals?: () => Promise<L1WithdrawalInfo[]>;
  /** How many recent batches to list (default 50). */
  limit?: number;
}

function toInfo(b: BatchRowLike): L1BatchInfo {
  return {
    index: BigInt(b.batch_index),
    fromBlock: BigInt(b.first_block),
    toBlock: BigInt(b.last_block),
    bytes: b.data.length,
    kind: b.da === 'blobs' ? 'blob' : 'calldata',
    stateRoot: b.new_state_root,
    l1TxHash: b.confirmed_tx_hash ?? undefined,
    l1Block: b.confirmed_l1_block === null ? undefined : BigInt(b.confirmed_l1_block),
    status: b.status,
    postedAt: b.created_at,
  };
}

export function batcherStatusSource(opts: BatcherSourceOptions): L1StatusSource {
  const limit = opts.limit ?? 50;
  return {
    async status(): Promise<L1Status> {
      const st = opts.batcher.status();
      const rows = await opts.store.all();
      const batches = rows.slice(-limit).reverse().map(toInfo);
      const lastBatched = rows.filter((r) => r.status !== 'pending').reduce<bigint | undefined>((m, r) => (m === undefined || BigInt(r.last_block) > m ? BigInt(r.last_block) : m), undefined);
      let l1Head: bigint | undefined;
      let headError: string | undefined;
      try {
        l1Head = await opts.l1Head?.();
      } catch (e) {
        headError = `L1 unreachable: ${(e as Error).message}`;
      }
      const reason = st.blocked ? `batcher blocked (retrying): ${st.blocked}` : headError ?? (st.lastError ? `last batcher error: ${st.lastError}` : st.running ? undefined : 'batcher not running');
      const deposits = opts.deposits ? await opts.deposits() : [];
      let withdrawals: L1WithdrawalInfo[] = [];
      let withdrawalsError: string | undefined;
      try {
        withdrawals = opts.withdrawals ? await opts.withdrawals() : [];
      } catch (e) {
        withdrawalsError = `withdrawals unavailable: ${(e as Error).message}`;
      }
      return { connected: true, reason, l1Url: opts.l1Url, l1ChainId: opts.l1ChainId, l1Head, lastBatchedBlock: lastBatched, batches, deposits, withdrawals, withdrawalsError };
    },
    async postBatchNow() {
      const before = (await opts.store.all()).length;
      await opts.batcher.tick(true);
      const rows = await opts.store.all();
      const last = rows[rows.length - 1];
      return { batch: last ? toInfo(last) : undefined, message: rows.length > before ? `built ${rows.length - before} batch(es); latest #${last.batch_index} is ${last.status}` : 'no new sealed blocks to batch; advanced the pending batch' };
    },
  };
}

/** The node surface nodeQueueDeposits reads (SequencerNode satisfies it). */
export interface QueueNode {
  store: { queueLength(): Promise<bigint>; queueItems(from: bigint): Promise<string[]> };
  pendingQueueItems(): readonly L1QueueItem[];
}

/**
 * The last `limit` L1 queue items the node accepted (deposits and forced transactions), newest first, marked
 * applied or waiting: pass as `deposits` to batcherStatusSource.
 */
export function nodeQueueDeposits(node: QueueNode, limit = 20): () => Promise<L1DepositInfo[]> {
  return async () => {
    const total = await node.store.queueLength();
    const from = total > BigInt(limit) ? total - BigInt(limit) : 0n;
    const items = (await node.store.queueItems(from)).map(queueItemFromJson);
    const pending = new Set(node.pendingQueueItems().map((i) => i.queueIndex));
    return items.reverse().map((i) => ({
      queueIndex: i.queueIndex,
      kind: i.kind === QUEUE_ETH_DEPOSIT ? 'deposit' : 'forced-tx',
      applied: !pending.has(i.queueIndex),
      l1TxHash: i.l1TxHash,
      l1Block: i.l1BlockNumber,
      from: i.l1Sender,
      to: i.to,
      value: i.value,
      l2TxHash: i.kind === QUEUE_ETH_DEPOSIT ? undefined : (bytesToHex(keccak256(hexToU8(i.data as Hex))) as Hex),
    }));
  };
}
