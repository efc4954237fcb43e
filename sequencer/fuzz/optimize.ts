// Optimization mode (Echidna's echidna_opt_*, Medusa's optimize_*): functions that take nothing and return
// an int256 the campaign tries to maximize. The runners report each target's best value per sequence and
// the check point that first reached it; this keeps the campaign's best per target with the calls that led
// there, and tells the campaign when a sequence raised a best (such a sequence joins the corpus, so
// mutation climbs from it). At the end each best sequence is shrunk (shrink.ts) to the shortest, simplest
// one that still reaches the best value, as Echidna and forge report theirs.
import { minimize, type ShrinkContext } from './shrink.js';
import { callsOf, type BatchSequence, type FuzzCall, type PropertyCall, type SequenceResult } from './types.js';

export interface OptimizationOutcome {
  name: string;
  /** The largest value returned so far; undefined when the target never returned one (it always reverted). */
  best?: bigint;
  /** The calls (a prefix of a fuzzed sequence) after which it returned `best`. */
  calls: readonly FuzzCall[];
  /** Calls executed up to and including the sequence that reached `best` (in batch order). */
  foundAfter?: number;
  /** Length of the sequence before shrinking, and the candidate sequences the shrinker ran. */
  originalLength?: number;
  shrinkRuns?: number;
}

export class Optimizations {
  private readonly best = new Map<number, Best>();

  constructor(private readonly properties: readonly PropertyCall[]) {}

  get size(): number {
    return this.properties.filter((p) => p.optimize === true).length;
  }

  /** Takes one sequence's values; true when it raised some target's best. */
  offer(seq: BatchSequence, result: SequenceResult, executions: number): boolean {
    let raised = false;
    for (const { property, value } of result.optimized) {
      const now = this.best.get(property);
      if (now !== undefined && value <= now.best) continue;
      const name = this.properties[property]!.name;
      this.best.set(property, { name, best: value, calls: callsOf(seq).slice(0, result.propertyFailedAt[property]!), foundAfter: executions });
      raised = true;
    }
    return raised;
  }

  /** Shrinks every best sequence (budget: candidate runs per target) to the shortest that reaches at least its value. */
  async shrink(ctx: ShrinkContext, budget: number): Promise<void> {
    for (const [property, now] of this.best) {
      const reaches = (seq: readonly FuzzCall[], r: SequenceResult): { calls: readonly FuzzCall[]; value: bigint } | undefined => {
        const value = r.optimized.find((o) => o.property === property)?.value;
        return value !== undefined && value >= now.best ? { calls: seq.slice(0, r.propertyFailedAt[property]!), value } : undefined;
      };
      const { kept, runs } = await minimize(ctx, { calls: now.calls, value: now.best }, reaches, budget);
      this.best.set(property, { ...now, best: kept.value, calls: kept.calls, originalLength: now.calls.length, shrinkRuns: runs });
    }
  }

  outcomes(): OptimizationOutcome[] {
    const out: OptimizationOutcome[] = [];
    this.properties.forEach((p, i) => {
      if (p.optimize === true) out.push(this.best.get(i) ?? { name: p.name, calls: [] });
    });
    return out;
  }
}

type Best = Required<Pick<OptimizationOutcome, 'name' | 'best' | 'calls' | 'foundAfter'>> & Pick<OptimizationOutcome, 'originalLength' | 'shrinkRuns'>;
