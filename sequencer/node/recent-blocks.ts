// The last sealed blocks in memory, as the producer announced them (header, transaction views, receipts):
// wallets poll eth_getTransactionReceipt and eth_getBlockByNumber for exactly these, and answering them
// from here costs neither a store query nor a transaction decode. Older blocks are read from the store.
// Bounded by blocks and by transactions, so a burst of large blocks does not grow the node's memory.
import type { Hex } from '../primitives/types.js';
import type { StoredReceipt } from '../store/store.js';
import type { BlockView, TxView } from './types.js';

/** A mined transaction of a recent block with its receipt. */
export interface RecentTx {
  tx: TxView;
  receipt: StoredReceipt;
  block: BlockView;
}

export interface RecentBlocksLimits {
  /** Blocks kept (default 128). */
  maxBlocks: number;
  /** Transactions kept over all kept blocks (default 50,000); the newest block is kept whatever its size. */
  maxTxs: number;
}

export const DEFAULT_RECENT_BLOCKS_LIMITS: RecentBlocksLimits = { maxBlocks: 128, maxTxs: 50_000 };

export class RecentBlocks {
  private readonly blocks: BlockView[] = [];
  private readonly byNumber = new Map<bigint, BlockView>();
  private readonly byHash = new Map<Hex, BlockView>();
  private readonly txs = new Map<Hex, RecentTx>();

  constructor(private readonly limits: RecentBlocksLimits = DEFAULT_RECENT_BLOCKS_LIMITS) {}

  /** A block that just became durable; `view.txs` and `receipts` are in block order. */
  add(view: BlockView, receipts: readonly StoredReceipt[]): void {
    const txs = view.txs;
    if (!txs || txs.length !== receipts.length) {
      throw new Error(`recent block ${view.header.number}: ${txs?.length ?? 'no'} transaction views for ${receipts.length} receipts`);
    }
    this.blocks.push(view);
    this.byNumber.set(view.header.number, view);
    this.byHash.set(view.header.hash, view);
    txs.forEach((tx, i) => this.txs.set(tx.hash, { tx, receipt: receipts[i], block: view }));
    while (this.blocks.length > 1 && (this.blocks.length > this.limits.maxBlocks || this.txs.size > this.limits.maxTxs)) this.evictOldest();
  }

  block(n: bigint): BlockView | undefined {
    return this.byNumber.get(n);
  }

  blockByHash(hash: Hex): BlockView | undefined {
    return this.byHash.get(hash);
  }

  tx(hash: Hex): RecentTx | undefined {
    return this.txs.get(hash);
  }

  private evictOldest(): void {
    const old = this.blocks.shift()!;
    this.byNumber.delete(old.header.number);
    this.byHash.delete(old.header.hash);
    for (const h of old.txHashes) this.txs.delete(h);
  }
}
