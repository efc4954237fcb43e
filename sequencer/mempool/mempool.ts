// The transaction pool, as geth's: per sender a pending part (nonces contiguous from the account nonce:
// executable, what the scheduler sees) and a queued part (future nonces waiting for the gap below them to
// fill). Priority by effective tip, replacement with a price bump, caps on both parts with eviction and a
// reason. Pure in-memory bookkeeping; the node persists every change through the store before it
// acknowledges it, and calls reconcile() after each block so queued entries move up when nonces advance.
import type { IngressTx } from '../ingress/decode.js';
import { IngressError } from '../ingress/errors.js';
import type { Address, Hex } from '../primitives/types.js';
import { comparePriority, effectiveTip, feeCap, outbids, tipCap, type PoolEntry } from './entry.js';
import { QueuedSet } from './queued.js';

export { comparePriority, effectiveTip, feeCap, tipCap, type PoolEntry };

export interface MempoolLimits {
  /** Pending (executable) transactions in total (default 16384). */
  maxSize: number;
  /** Pending transactions per sender (default 256). */
  maxPerSender: number;
  /** Queued (future-nonce) transactions in total (default 1024, geth's GlobalQueue). */
  maxQueued: number;
  /** Queued transactions per sender (default 64, geth's AccountQueue). */
  maxQueuedPerSender: number;
  /** Replacement must raise both fee cap and tip by this percentage (default 10). */
  priceBumpPercent: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxSize: 16384, maxPerSender: 256, maxQueued: 1024, maxQueuedPerSender: 64, priceBumpPercent: 10 };

/** An entry that left the pool without being mined, and why. */
export interface Eviction {
  entry: PoolEntry;
  reason: string;
}

export interface AddResult {
  replaced?: PoolEntry;
  evicted: Eviction[];
  /** The transaction waits in the queued part (its nonce is ahead of the sender's next pending nonce). */
  queued: boolean;
  /** Queued transactions of the sender that this one's arrival made executable (moved to the pending part). */
  promoted: PoolEntry[];
}

export class Mempool {
  /** Pending part: per sender, ascending contiguous nonces. */
  private readonly bySender = new Map<Address, PoolEntry[]>();
  private readonly queued = new QueuedSet();
  private readonly byHash = new Map<Hex, PoolEntry>();
  /** Senders whose pending part may no longer start at their account nonce (see reconcile). */
  private readonly unsettled = new Set<Address>();
  private pending = 0;
  private nextSeq = 0;
  readonly limits: MempoolLimits;

  constructor(limits: Partial<MempoolLimits> = {}) {
    this.limits = { ...DEFAULT_MEMPOOL_LIMITS, ...limits };
  }

  /** Every transaction held, pending and queued. */
  get size(): number {
    return this.byHash.size;
  }

  get pendingCount(): number {
    return this.pending;
  }

  get queuedCount(): number {
    return this.queued.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  get(hash: Hex): PoolEntry | undefined {
    return this.byHash.get(hash);
  }

  /** The sender's pending transactions (ascending nonces, contiguous): what the scheduler runs. */
  queue(sender: Address): readonly PoolEntry[] {
    return this.bySender.get(sender) ?? [];
  }

  /** The sender's queued (future-nonce) transactions, ascending nonces. */
  queuedOf(sender: Address): PoolEntry[] {
    return this.queued.of(sender);
  }

  /** Senders with pending transactions. */
  senders(): IterableIterator<Address> {
    return this.bySender.keys();
  }

  /** Senders with queued transactions. */
  queuedSenders(): IterableIterator<Address> {
    return this.queued.senders();
  }

  isQueued(entry: PoolEntry): boolean {
    return this.queued.get(entry.tx.exec.from, entry.tx.exec.nonce) === entry;
  }

  /** Next nonce for `sender` after its pending transactions (queued ones do not count, as in geth). */
  pendingNonce(sender: Address, stateNonce: bigint): bigint {
    const q = this.bySender.get(sender);
    if (!q || q.length === 0) return stateNonce;
    const last = q[q.length - 1].tx.exec.nonce + 1n;
    return last > stateNonce ? last : stateNonce;
  }

  /**
   * Checks the pool rules for `tx` (given the sender's account nonce) and adds it: to the pending part when
   * its nonce is the sender's next (then queued successors move up), to the queued part when it is ahead.
   * Throws IngressError for ALREADY_KNOWN, NONCE_TOO_LOW, REPLACEMENT_UNDERPRICED, POOL_FULL. `baseFee`
   * ranks pending evictions.
   */
  add(tx: IngressTx, stateNonce: bigint, baseFee: bigint, seq?: number): AddResult {
    const e = tx.exec;
    if (this.byHash.has(e.hash)) throw new IngressError('ALREADY_KNOWN', `already known: ${e.hash}`);
    if (e.nonce < stateNonce) throw new IngressError('NONCE_TOO_LOW', `nonce too low: next nonce ${stateNonce}, tx nonce ${e.nonce}`);
    const next = this.pendingNonce(e.from, stateNonce);
    const entry: PoolEntry = { tx, seq: seq ?? this.nextSeq, durable: false, inBlock: false };
    let result: AddResult;
    if (e.nonce < next) result = this.replacePending(entry);
    else if (e.nonce === next) result = this.addPending(entry, baseFee);
    else result = this.addQueued(entry, next);
    this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
    return result;
  }

  private checkBump(entry: PoolEntry, old: PoolEntry): void {
    if (!outbids(entry.tx.exec, old.tx.exec, this.limits.priceBumpPercent)) {
      throw new IngressError(
        'REPLACEMENT_UNDERPRICED',
        `replacement transaction underpriced: needs fee cap and tip ${this.limits.priceBumpPercent}% above ${feeCap(old.tx.exec)}/${tipCap(old.tx.exec)}`,
      );
    }
  }

  private replacePending(entry: PoolEntry): AddResult {
    const e = entry.tx.exec;
    const q = this.bySender.get(e.from) ?? [];
    const idx = q.findIndex((p) => p.tx.exec.nonce === e.nonce);
    const old = q[idx];
    if (old === undefined) throw new IngressError('NONCE_TOO_LOW', `nonce too low: nonce ${e.nonce} of ${e.from} is not pending and below its next nonce`);
    if (old.inBlock) throw new IngressError('NONCE_TOO_LOW', `nonce too low: nonce ${e.nonce} is being included in a block`);
    if (old.busy) throw new IngressError('REPLACEMENT_UNDERPRICED', `replacement refused: nonce ${e.nonce} is executing in the block being built, retry`);
    this.checkBump(entry, old);
    q[idx] = entry;
    this.byHash.delete(old.tx.exec.hash);
    this.byHash.set(e.hash, entry);
    return { replaced: old, evicted: [], queued: false, promoted: [] };
  }

  private addPending(entry: PoolEntry, baseFee: bigint): AddResult {
    const e = entry.tx.exec;
    const q = this.bySender.get(e.from) ?? [];
    if (q.length >= this.limits.maxPerSender) {
      throw new IngressError('POOL_FULL', `txpool is full: sender has ${q.length} pending transactions (limit ${this.limits.maxPerSender})`);
    }
    const evicted: Eviction[] = [];
    if (this.pending >= this.limits.maxSize) {
      const victim = this.cheapestTail(baseFee);
      if (!victim || victim.tx.exec.from === e.from || effectiveTip(victim.tx.exec, baseFee) >= effectiveTip(e, baseFee)) {
        throw new IngressError('POOL_FULL', `txpool is full (${this.limits.maxSize} pending transactions) and this transaction does not outbid the cheapest`);
      }
      this.removeEntry(victim);
      evicted.push({ entry: victim, reason: `evicted: pending pool full (${this.limits.maxSize}), outbid by ${e.hash}` });
    }
    q.push(entry);
    this.bySender.set(e.from, q);
    this.byHash.set(e.hash, entry);
    this.pending++;
    return { evicted, queued: false, promoted: this.promote(e.from) };
  }

  private addQueued(entry: PoolEntry, next: bigint): AddResult {
    const e = entry.tx.exec;
    const old = this.queued.get(e.from, e.nonce);
    if (old) {
      this.checkBump(entry, old);
      this.queued.put(entry);
      this.byHash.delete(old.tx.exec.hash);
      this.byHash.set(e.hash, entry);
      return { replaced: old, evicted: [], queued: true, promoted: [] };
    }
    const mine = this.queued.countOf(e.from);
    if (mine >= this.limits.maxQueuedPerSender) {
      throw new IngressError(
        'POOL_FULL',
        `txpool is full: sender ${e.from} has ${mine} queued transactions waiting for lower nonces (limit ${this.limits.maxQueuedPerSender}); send the missing nonce ${next} first`,
      );
    }
    const evicted: Eviction[] = [];
    if (this.queued.size >= this.limits.maxQueued) {
      const victim = this.queued.victim()!;
      this.removeEntry(victim);
      evicted.push({ entry: victim, reason: `evicted: queued pool full (${this.limits.maxQueued} future-nonce transactions); the longest-waiting sender's highest nonce goes first` });
    }
    this.queued.put(entry);
    this.byHash.set(e.hash, entry);
    return { evicted, queued: true, promoted: [] };
  }

  /** Moves the sender's queued entries that now continue its pending run into the pending part; returns them. */
  private promote(sender: Address): PoolEntry[] {
    const q = this.bySender.get(sender);
    const moved: PoolEntry[] = [];
    if (!q || q.length === 0) return moved;
    let next = q[q.length - 1].tx.exec.nonce + 1n;
    while (q.length < this.limits.maxPerSender) {
      const e = this.queued.take(sender, next);
      if (!e) break;
      q.push(e);
      moved.push(e);
      this.pending++;
      next++;
    }
    return moved;
  }

  /**
   * Reinserts a persisted entry at restart: pending when it continues the sender's run from `stateNonce`,
   * queued when ahead, null (stale, to delete) when its nonce is already used. Call in ascending nonce order
   * per sender.
   */
  restore(tx: IngressTx, seq: number, stateNonce: bigint): PoolEntry | null {
    const e = tx.exec;
    if (e.nonce < stateNonce) return null;
    const entry: PoolEntry = { tx, seq, durable: true, inBlock: false };
    const next = this.pendingNonce(e.from, stateNonce);
    const q = this.bySender.get(e.from) ?? [];
    if (e.nonce === next && q.length < this.limits.maxPerSender) {
      q.push(entry);
      this.bySender.set(e.from, q);
      this.pending++;
    } else {
      this.queued.put(entry);
    }
    this.byHash.set(e.hash, entry);
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
    return entry;
  }

  /**
   * Removes one entry (mined, stale, or withdrawn). A pending entry removed from the middle of its run
   * leaves a gap: its sender is settled again at the next reconcile().
   */
  remove(hash: Hex): PoolEntry[] {
    const entry = this.byHash.get(hash);
    if (!entry) return [];
    this.removeEntry(entry);
    return [entry];
  }

  /** Removes every entry of `sender` except those executing or being included now. */
  removeSender(sender: Address): PoolEntry[] {
    const gone = [...this.queue(sender), ...this.queued.of(sender)].filter((e) => !e.inBlock && !e.busy);
    for (const g of gone) this.removeEntry(g);
    return gone;
  }

  /**
   * Settles senders after their account nonces moved (a block) or their pending run was cut: entries below
   * the account nonce leave (returned as stale, to delete from the store), a pending run that no longer
   * starts at the account nonce goes back to the queued part, and queued entries that now continue a run
   * move up (each one that was not pending before is passed to `onPromoted`). Entries executing right now are
   * left alone (settled at the next call).
   */
  reconcile(nonceOf: (sender: Address) => bigint, onPromoted?: (entry: PoolEntry) => void): Eviction[] {
    const senders = new Set<Address>([...this.queued.senders(), ...this.unsettled]);
    this.unsettled.clear();
    const stale: Eviction[] = [];
    for (const sender of senders) {
      const stateNonce = nonceOf(sender);
      const q = this.bySender.get(sender) ?? [];
      if (q.some((e) => e.busy || e.inBlock)) {
        this.unsettled.add(sender);
        continue;
      }
      for (const e of [...q, ...this.queued.of(sender)]) {
        if (e.tx.exec.nonce < stateNonce) {
          this.removeEntry(e);
          stale.push({ entry: e, reason: `dropped: nonce ${e.tx.exec.nonce} of ${sender} was used by another transaction (account nonce ${stateNonce})` });
        }
      }
      const run = this.bySender.get(sender) ?? [];
      const wasPending = new Set(run);
      if (run.length > 0 && run[0].tx.exec.nonce !== stateNonce) {
        for (const e of run) this.queued.put(e);
        this.pending -= run.length;
        this.bySender.delete(sender);
      }
      const promoted: PoolEntry[] = [];
      if (!this.bySender.has(sender)) {
        const head = this.queued.take(sender, stateNonce);
        if (!head) continue;
        this.bySender.set(sender, [head]);
        this.pending++;
        promoted.push(head);
      }
      promoted.push(...this.promote(sender));
      if (onPromoted) for (const e of promoted) if (!wasPending.has(e)) onPromoted(e);
    }
    return stale;
  }

  /** Pending hashes in priority order (highest effective tip first, then arrival). */
  ordered(baseFee: bigint): Hex[] {
    const all: PoolEntry[] = [];
    for (const q of this.bySender.values()) all.push(...q);
    return all.sort((a, b) => comparePriority(a, b, baseFee)).map((p) => p.tx.exec.hash);
  }

  private cheapestTail(baseFee: bigint): PoolEntry | undefined {
    let worst: PoolEntry | undefined;
    for (const q of this.bySender.values()) {
      const tail = q[q.length - 1];
      if (!tail || tail.inBlock || tail.busy) continue;
      if (!worst || comparePriority(tail, worst, baseFee) > 0) worst = tail;
    }
    return worst;
  }

  private removeEntry(entry: PoolEntry): void {
    const from = entry.tx.exec.from;
    this.byHash.delete(entry.tx.exec.hash);
    if (this.queued.delete(entry)) return;
    const q = this.bySender.get(from);
    if (!q) return;
    const idx = q.indexOf(entry);
    if (idx < 0) return;
    q.splice(idx, 1);
    this.pending--;
    if (idx < q.length) this.unsettled.add(from);
    if (q.length === 0) this.bySender.delete(from);
  }
}
