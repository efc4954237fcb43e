// The queued part of the pool: transactions whose nonce is ahead of their sender's next executable nonce
// (geth's "queue"). They wait here, invisible to the scheduler, until the gap below them fills. Bounded per
// sender and in total; when the total is reached the oldest sender's highest nonce goes first (as geth's
// truncateQueue: the account that has waited longest without progress loses its most distant nonce).
import type { Address, Hex } from '../primitives/types.js';
import type { PoolEntry } from './entry.js';

export class QueuedSet {
  private readonly bySender = new Map<Address, Map<bigint, PoolEntry>>();
  private total = 0;

  get size(): number {
    return this.total;
  }

  senders(): IterableIterator<Address> {
    return this.bySender.keys();
  }

  countOf(sender: Address): number {
    return this.bySender.get(sender)?.size ?? 0;
  }

  get(sender: Address, nonce: bigint): PoolEntry | undefined {
    return this.bySender.get(sender)?.get(nonce);
  }

  /** The sender's queued entries, ascending nonce. */
  of(sender: Address): PoolEntry[] {
    const m = this.bySender.get(sender);
    if (!m) return [];
    return [...m.values()].sort((a, b) => (a.tx.exec.nonce < b.tx.exec.nonce ? -1 : 1));
  }

  highestNonce(sender: Address): bigint | undefined {
    let max: bigint | undefined;
    for (const n of this.bySender.get(sender)?.keys() ?? []) if (max === undefined || n > max) max = n;
    return max;
  }

  /** Adds (or replaces, at the same nonce) an entry. */
  put(entry: PoolEntry): void {
    const { from, nonce } = entry.tx.exec;
    let m = this.bySender.get(from);
    if (!m) this.bySender.set(from, (m = new Map()));
    if (!m.has(nonce)) this.total++;
    m.set(nonce, entry);
  }

  delete(entry: PoolEntry): boolean {
    const { from, nonce } = entry.tx.exec;
    const m = this.bySender.get(from);
    if (m?.get(nonce) !== entry) return false;
    m.delete(nonce);
    this.total--;
    if (m.size === 0) this.bySender.delete(from);
    return true;
  }

  /** Takes the entry at (sender, nonce) out, if any (promotion). */
  take(sender: Address, nonce: bigint): PoolEntry | undefined {
    const e = this.get(sender, nonce);
    if (e) this.delete(e);
    return e;
  }

  /** The eviction victim under the global cap: the highest nonce of the sender whose oldest entry is oldest. */
  victim(): PoolEntry | undefined {
    let oldestSender: Address | undefined;
    let oldestSeq = Infinity;
    for (const [sender, m] of this.bySender) {
      for (const e of m.values()) {
        if (e.seq < oldestSeq) {
          oldestSeq = e.seq;
          oldestSender = sender;
        }
      }
    }
    if (oldestSender === undefined) return undefined;
    return this.get(oldestSender, this.highestNonce(oldestSender)!);
  }

  hashes(): Hex[] {
    const out: Hex[] = [];
    for (const m of this.bySender.values()) for (const e of m.values()) out.push(e.tx.exec.hash);
    return out;
  }
}
