// Learned across blocks: which contended keys a kind of call (target contract + selector) touches, so a
// transaction that has not run yet in this block can be placed in the chain of the others that touch them
// (chains.ts) instead of running alone first and conflicting. A key is contended when many transactions of a
// block wrote it (a pool's reserves), not when two happened to (two transfers to one holder): chaining on the
// latter would serialise calls that nearly never conflict. Validation still decides; a wrong guess costs
// parallelism or an execution, never correctness.
import type { AccessKey, ExecTx } from '../executor/types.js';

/** What the hints learn from: an included transaction and its access sets. */
export interface ExecutedAccess {
  tx: ExecTx;
  reads: ReadonlySet<AccessKey>;
  writes: ReadonlySet<AccessKey>;
}

export class HotKeyHints {
  private readonly byCall = new Map<string, ReadonlySet<AccessKey>>();

  constructor(
    /** Included transactions of one block that must write a key for it to count as contended. */
    private readonly minWriters = 8,
    /** Kinds of call remembered (least recently learned dropped first). */
    private readonly capacity = 4096,
  ) {}

  /** The contended keys this transaction's kind of call touched in the last block it appeared in. */
  predicted(tx: ExecTx): ReadonlySet<AccessKey> | undefined {
    // Asked for every candidate of every round: most blocks have no contended keys, and the call's name is a string.
    if (this.byCall.size === 0) return undefined;
    const call = callOf(tx);
    return call === undefined ? undefined : this.byCall.get(call);
  }

  /** Learns from one block's included transactions (replacing what it knew of the calls in it). */
  learnBlock(included: readonly ExecutedAccess[]): void {
    const writers = new Map<AccessKey, number>();
    for (const t of included) for (const k of t.writes) writers.set(k, (writers.get(k) ?? 0) + 1);
    const hot = new Set<AccessKey>();
    for (const [k, n] of writers) if (n >= this.minWriters) hot.add(k);
    // Nothing contended now and nothing known: there is nothing to replace (no call strings for every transaction).
    if (hot.size === 0 && this.byCall.size === 0) return;
    const learned = new Map<string, Set<AccessKey>>();
    for (const t of included) {
      const call = callOf(t.tx);
      if (call === undefined) continue;
      let keys = learned.get(call);
      if (keys === undefined) learned.set(call, (keys = new Set()));
      if (hot.size === 0) continue;
      for (const k of t.reads) if (hot.has(k)) keys.add(k);
      for (const k of t.writes) if (hot.has(k)) keys.add(k);
    }
    for (const [call, keys] of learned) {
      this.byCall.delete(call);
      if (keys.size > 0) this.byCall.set(call, keys);
    }
    while (this.byCall.size > this.capacity) this.byCall.delete(this.byCall.keys().next().value as string);
  }
}

/** Target contract and 4-byte selector (undefined for a creation). */
function callOf(tx: ExecTx): string | undefined {
  if (tx.to === null) return undefined;
  const d = tx.data;
  return d.length < 4 ? tx.to : `${tx.to}:${(((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0).toString(16)}`;
}
