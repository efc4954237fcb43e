// The corpus: sequences that reached coverage no earlier sequence had, or brought an EQ's operands closer
// (more equal bytes) than any before (comparison feedback's secondary signal). They are the mutation parents, later
// entries picked more often (the later of two uniform draws): they tend to build on earlier ones and reach
// deeper states, while the first random sequences, which found many easy edges at once, stay reachable.
import type { Rng } from './rng.js';
import { callsOf, type BatchSequence, type FuzzCall, type SequenceResult } from './types.js';

export interface CorpusEntry {
  calls: readonly FuzzCall[];
  /** The calls that succeeded: their arguments are the ones worth reusing (the deposit a claim must match). */
  succeeded: readonly FuzzCall[];
}

export class Corpus {
  private readonly entries: CorpusEntry[] = [];

  get size(): number {
    return this.entries.length;
  }

  /**
   * Keeps the sequence when it reached new coverage or a closer comparison, or raised an optimization
   * target's best (`raisedBest`); returns whether it was kept.
   */
  offer(seq: BatchSequence, result: SequenceResult, raisedBest = false): boolean {
    if (!raisedBest && result.newCoverage <= 0 && result.closerComparisons <= 0) return false;
    const calls = callsOf(seq);
    this.entries.push({ calls, succeeded: calls.filter((_c, i) => result.calls[i]?.status === 'success') });
    return true;
  }

  /** Every kept sequence, oldest first. */
  sequences(): (readonly FuzzCall[])[] {
    return this.entries.map((e) => e.calls);
  }

  /** A parent for mutation (the corpus must not be empty). */
  pick(rng: Rng): CorpusEntry {
    return this.entries[Math.max(rng.below(this.entries.length), rng.below(this.entries.length))]!;
  }
}
