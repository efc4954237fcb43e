// Chains of a round (DESIGN.md, "Conflict detection and batching"): transactions predicted to conflict
// (their predicted reads meet a key an earlier transaction of the round is predicted to write) go into that
// transaction's chain, which the executor runs in order, each seeing the earlier ones' writes
// (Executor.executeChains). Independent chains run in parallel. Validation still decides: a transaction is
// accepted when its reads meet no write accepted earlier in the round from another chain, and only while
// every earlier transaction of its chain was accepted (it saw their writes).
import type { AccessKey } from '../executor/types.js';

/** A key written by transactions of more than one chain. */
const SEVERAL = -1;

/** Picks each candidate's chain from predicted access sets. */
export class ChainPlanner {
  private readonly writer = new Map<AccessKey, number>();
  private next = 0;

  /**
   * The chain a transaction joins: the one chain whose predicted writes its predicted reads meet, or a new
   * chain when they meet none; undefined when they meet two or more (it waits for a later round: chains
   * are not merged). `joinChains` false: it may only start a new chain (each transaction alone).
   */
  place(reads: Iterable<AccessKey> | undefined, joinChains: boolean): number | undefined {
    let chain: number | undefined;
    if (reads !== undefined && this.writer.size > 0) {
      for (const k of reads) {
        const w = this.writer.get(k);
        if (w === undefined || w === chain) continue;
        if (chain !== undefined || w === SEVERAL || !joinChains) return undefined;
        chain = w;
      }
    }
    return chain ?? this.next++;
  }

  /** A placed transaction's predicted writes. */
  predictWrites(chain: number, writes: Iterable<AccessKey>): void {
    for (const k of writes) {
      const w = this.writer.get(k);
      this.writer.set(k, w === undefined || w === chain ? chain : SEVERAL);
    }
  }
}

/** The round's accepted writes, by chain, and the chains that lost a transaction. */
export class RoundWrites {
  private readonly writer = new Map<AccessKey, number>();
  private readonly broken = new Set<number>();

  get size(): number {
    return this.writer.size;
  }

  /** Whether these reads meet a write accepted from another chain than `chain`. */
  meets(reads: Iterable<AccessKey>, chain: number): boolean {
    if (this.writer.size === 0) return false;
    for (const k of reads) {
      const w = this.writer.get(k);
      if (w !== undefined && w !== chain) return true;
    }
    return false;
  }

  /** The keys of `reads` written from another chain (for the hot-key report). */
  *met(reads: Iterable<AccessKey>, chain: number): IterableIterator<AccessKey> {
    for (const k of reads) {
      const w = this.writer.get(k);
      if (w !== undefined && w !== chain) yield k;
    }
  }

  accept(writes: Iterable<AccessKey>, chain: number): void {
    for (const k of writes) {
      const w = this.writer.get(k);
      this.writer.set(k, w === undefined || w === chain ? chain : SEVERAL);
    }
  }

  /** A transaction of the chain that changed state was not accepted: the chain's later ones saw its writes. */
  breakChain(chain: number): void {
    this.broken.add(chain);
  }

  isBroken(chain: number): boolean {
    return this.broken.has(chain);
  }
}
