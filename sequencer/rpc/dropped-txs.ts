// Acknowledged transactions that left the pool without being included (evicted by higher-tip ones when the
// pool is full, or made stale by their sender's nonce), remembered so that eth_getTransactionByHash and
// eth_getTransactionReceipt can say so instead of answering null forever (a wallet would wait forever).
// The answer is a JSON-RPC error (-32000, data.dropped = true): viem's waitForTransactionReceipt and ethers'
// wait() then fail with the reason rather than polling, which is what a wallet needs to re-send.
import type { EventEmitter } from 'node:events';
import type { SequencerEvents } from '../node/node.js';
import type { Address, Hex } from '../primitives/types.js';
import { ErrorCode, RpcError } from './errors.js';

export interface DroppedTx {
  hash: Hex;
  sender: Address;
  nonce: bigint;
  reason: string;
}

/** Most dropped hashes remembered (oldest forgotten first): bounded whatever the eviction rate. */
export const DROPPED_TXS_KEPT = 10_000;

export class DroppedTransactions {
  private readonly byHash = new Map<Hex, DroppedTx>();
  private readonly off: () => void;

  constructor(events: EventEmitter<SequencerEvents>, private readonly capacity = DROPPED_TXS_KEPT) {
    const onDropped = (d: DroppedTx) => this.add(d);
    // Sent again and accepted: it is pending, not dropped.
    const onPending = (h: Hex) => void this.byHash.delete(h);
    events.on('dropped', onDropped);
    events.on('acceptedTransaction', onPending);
    this.off = () => {
      events.off('dropped', onDropped);
      events.off('acceptedTransaction', onPending);
    };
  }

  add(d: DroppedTx): void {
    this.byHash.delete(d.hash);
    this.byHash.set(d.hash, d);
    if (this.byHash.size > this.capacity) this.byHash.delete(this.byHash.keys().next().value as Hex);
  }

  get(hash: Hex): DroppedTx | undefined {
    return this.byHash.get(hash);
  }

  close(): void {
    this.off();
  }
}

export function droppedError(d: DroppedTx): RpcError {
  return new RpcError(ErrorCode.SERVER, `transaction ${d.hash} was dropped from the pool: ${d.reason}`, {
    hash: d.hash,
    dropped: true,
    reason: d.reason,
    sender: d.sender,
    nonce: `0x${d.nonce.toString(16)}`,
  });
}
