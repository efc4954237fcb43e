// The transaction pool: per-sender nonce queues (contiguous from the sender's account nonce: nonce gaps are
// refused at ingress), priority by effective tip, replacement with a price bump, size limits with eviction
// of the cheapest queue tail. Pure in-memory bookkeeping; the node persists every change through the store
// before it acknowledges it.
import type { ExecTx } from '../executor/types.js';
import type { IngressTx } from '../ingress/decode.js';
import { IngressError } from '../ingress/errors.js';
import type { Address, Hex } from '../primitives/types.js';

export interface PoolEntry {
  tx: IngressTx;
  /** Arrival order (FIFO among equal tips); persisted. */
  seq: number;
  /** Persisted in the store: only durable entries are handed to the scheduler. */
  durable: boolean;
  /** Accepted into the block being built: cannot be replaced any more. */
  inBlock: boolean;
  /** Being executed in a scheduler round right now: not replaceable or evictable until the round ends. */
  busy?: boolean;
}

export interface MempoolLimits {
  /** Total transactions (default 16384). */
  maxSize: number;
  /** Per sender (default 256). */
  maxPerSender: number;
  /** Replacement must raise both fee cap and tip by this percentage (default 10). */
  priceBumpPercent: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxSize: 16384, maxPerSender: 256, priceBumpPercent: 10 };

export function feeCap(tx: ExecTx): bigint {
  return tx.maxFeePerGas ?? tx.gasPrice ?? 0n;
}

export function tipCap(tx: ExecTx): bigint {
  return tx.maxPriorityFeePerGas ?? tx.gasPrice ?? 0n;
}

/** The tip per gas the fee recipient gets at this base fee (negative when the fee cap is below it). */
export function effectiveTip(tx: ExecTx, baseFee: bigint): bigint {
  const cap = feeCap(tx);
  const tip = tipCap(tx);
  return cap - baseFee < tip ? cap - baseFee : tip;
}

export interface AddResult {
  replaced?: PoolEntry;
  evicted: PoolEntry[];
}

export class Mempool {
  private readonly bySender = new Map<Address, PoolEntry[]>();
  private readonly byHash = new Map<Hex, PoolEntry>();
  private nextSeq = 0;
  readonly limits: MempoolLimits;

  constructor(limits: Partial<MempoolLimits> = {}) {
    this.limits = { ...DEFAULT_MEMPOOL_LIMITS, ...limits };
  }

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  get(hash: Hex): PoolEntry | undefined {
    return this.byHash.get(hash);
  }

  /** The sender's queue (ascending nonces, contiguous). */
  queue(sender: Address): readonly PoolEntry[] {
    return this.bySender.get(sender) ?? [];
  }

  senders(): IterableIterator<Address> {
    return this.bySender.keys();
  }

  /** Next nonce for `sender` counting its queued transactions. */
  pendingNonce(sender: Address, stateNonce: bigint): bigint {
    const q = this.bySender.get(sender);
    if (!q || q.length === 0) return stateNonce;
    const last = q[q.length - 1].tx.exec.nonce + 1n;
    return last > stateNonce ? last : stateNonce;
  }

  /**
   * Checks the pool rules for `tx` (given the sender's account nonce) and adds it. Throws IngressError for
   * ALREADY_KNOWN, NONCE_TOO_LOW, NONCE_GAP, REPLACEMENT_UNDERPRICED, POOL_FULL. `baseFee` ranks evictions.
   */
  add(tx: IngressTx, stateNonce: bigint, baseFee: bigint, seq?: number): AddResult {
    const e = tx.exec;
    if (this.byHash.has(e.hash)) throw new IngressError('ALREADY_KNOWN', `already known: ${e.hash}`);
    if (e.nonce < stateNonce) throw new IngressError('NONCE_TOO_LOW', `nonce too low: next nonce ${stateNonce}, tx nonce ${e.nonce}`);
    const q = this.bySender.get(e.from) ?? [];
    const next = this.pendingNonce(e.from, stateNonce);
    const entry: PoolEntry = { tx, seq: seq ?? this.nextSeq++, durable: false, inBlock: false };
    if (seq !== undefined && seq >= this.nextSeq) this.nextSeq = seq + 1;
    if (e.nonce < next) {
      // Replacement of a queued transaction.
      const idx = q.findIndex((p) => p.tx.exec.nonce === e.nonce);
      const old = q[idx];
      if (old === undefined) throw new IngressError('NONCE_TOO_LOW', `nonce too low: next nonce ${next}, tx nonce ${e.nonce}`);
      if (old.inBlock) throw new IngressError('NONCE_TOO_LOW', `nonce too low: nonce ${e.nonce} is being included in a block`);
      if (old.busy) throw new IngressError('REPLACEMENT_UNDERPRICED', `replacement refused: nonce ${e.nonce} is executing in the block being built, retry`);
      const bump = BigInt(100 + this.limits.priceBumpPercent);
      if (feeCap(e) * 100n < feeCap(old.tx.exec) * bump || tipCap(e) * 100n < tipCap(old.tx.exec) * bump) {
        throw new IngressError(
          'REPLACEMENT_UNDERPRICED',
          `replacement transaction underpriced: needs fee cap and tip ${this.limits.priceBumpPercent}% above ${feeCap(old.tx.exec)}/${tipCap(old.tx.exec)}`,
        );
      }
      q[idx] = entry;
      this.byHash.delete(old.tx.exec.hash);
      this.byHash.set(e.hash, entry);
      return { replaced: old, evicted: [] };
    }
    if (e.nonce > next) throw new IngressError('NONCE_GAP', `nonce too high: next nonce ${next}, tx nonce ${e.nonce} (nonce gaps are not accepted)`);
    if (q.length >= this.limits.maxPerSender) throw new IngressError('POOL_FULL', `txpool is full: sender has ${q.length} pending transactions (limit ${this.limits.maxPerSender})`);
    const evicted: PoolEntry[] = [];
    if (this.byHash.size >= this.limits.maxSize) {
      const victim = this.cheapestTail(baseFee);
      if (!victim || victim.tx.exec.from === e.from || effectiveTip(victim.tx.exec, baseFee) >= effectiveTip(e, baseFee)) {
        throw new IngressError('POOL_FULL', `txpool is full (${this.limits.maxSize} transactions) and this transaction does not outbid the cheapest`);
      }
      this.removeEntry(victim);
      evicted.push(victim);
    }
    q.push(entry);
    this.bySender.set(e.from, q);
    this.byHash.set(e.hash, entry);
    return { evicted };
  }

  /** Reinserts a persisted entry at restart (no rule checks beyond contiguity, which the caller ensures). */
  restore(tx: IngressTx, seq: number): PoolEntry {
    const entry: PoolEntry = { tx, seq, durable: true, inBlock: false };
    const q = this.bySender.get(tx.exec.from) ?? [];
    q.push(entry);
    q.sort((a, b) => (a.tx.exec.nonce < b.tx.exec.nonce ? -1 : 1));
    this.bySender.set(tx.exec.from, q);
    this.byHash.set(tx.exec.hash, entry);
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
    return entry;
  }

  /** Removes one entry; when `withSuccessors`, also the sender's higher nonces (they would be gapped). */
  remove(hash: Hex, withSuccessors = false): PoolEntry[] {
    const entry = this.byHash.get(hash);
    if (!entry) return [];
    if (!withSuccessors) {
      this.removeEntry(entry);
      return [entry];
    }
    const q = this.bySender.get(entry.tx.exec.from)!;
    const gone = q.filter((p) => p.tx.exec.nonce >= entry.tx.exec.nonce);
    for (const g of gone) this.removeEntry(g);
    return gone;
  }

  /** Drops every entry of `sender` with nonce below `stateNonce` (mined). */
  pruneBelow(sender: Address, stateNonce: bigint): PoolEntry[] {
    const q = this.bySender.get(sender);
    if (!q) return [];
    const gone = q.filter((p) => p.tx.exec.nonce < stateNonce);
    for (const g of gone) this.removeEntry(g);
    return gone;
  }

  /** Pending hashes in priority order (highest effective tip first, then arrival). */
  ordered(baseFee: bigint): Hex[] {
    return [...this.byHash.values()].sort((a, b) => comparePriority(a, b, baseFee)).map((p) => p.tx.exec.hash);
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
    const q = this.bySender.get(from);
    if (q) {
      const idx = q.indexOf(entry);
      if (idx >= 0) q.splice(idx, 1);
      if (q.length === 0) this.bySender.delete(from);
    }
    this.byHash.delete(entry.tx.exec.hash);
  }
}

/** Negative when `a` goes first: higher effective tip, then earlier arrival. */
export function comparePriority(a: PoolEntry, b: PoolEntry, baseFee: bigint): number {
  const ta = effectiveTip(a.tx.exec, baseFee);
  const tb = effectiveTip(b.tx.exec, baseFee);
  if (ta !== tb) return ta > tb ? -1 : 1;
  return a.seq - b.seq;
}
