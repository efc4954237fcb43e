// The campaign loop: batches of sequences (fresh, or mutants of corpus sequences) go to the runner; each
// batch's results feed the corpus and the checks; broken checks are shrunk at the end. Batch k+1 runs while
// batch k's results are processed and batch k+2 is generated (and handed to the runner chunk by chunk), in a
// fixed order (results of k processed → k+2 generated from the corpus as of k), so a campaign is a function
// of its seed and budget alone, however fast the runner is.
import { ComparisonFeedback } from './cmp-feedback.js';
import { buildDictionary } from './dictionary.js';
import { campaignChecks, findFailure, type Check, type Failure } from './checks.js';
import { Corpus } from './corpus.js';
import { CallGenerator } from './generate.js';
import { Mutator } from './mutate.js';
import { Optimizations, type OptimizationOutcome } from './optimize.js';
import { Rng } from './rng.js';
import { shrink } from './shrink.js';
import type { FuzzSnapshot } from './snapshot.js';
import type { FuzzTargets } from './targets.js';
import { callsOf, type BatchSequence, type FreshSequences, type FuzzCall, type RunOptions, type SequenceResult, type SequenceRunner } from './types.js';

export interface CampaignOptions {
  seed: number;
  /** Budget in calls (the properties checked after each are not counted). */
  maxExecs: number;
  /** Wall-clock budget of the fuzzing phase in seconds (0: none). */
  timeoutSeconds: number;
  /** Calls per fresh sequence (and the longest a mutant may grow). */
  depth: number;
  /** Sequences per runner.run. */
  batch: number;
  checkArithmetic: boolean;
  /** Comparison feedback: operands into the dictionary, input-to-state candidates (cmp-feedback.ts). */
  cmpFeedback: boolean;
  /** Stop at the first broken check instead of when every property is broken (or at the budget). */
  stopOnFail: boolean;
  /** Candidate sequences the shrinker may run per broken check. */
  shrinkLimit: number;
  /**
   * Sequences run first, before anything is generated (a saved corpus), in batches of REPLAY_BATCH (one for
   * any corpus of ordinary size); outside maxExecs.
   */
  replay?: readonly (readonly FuzzCall[])[];
  /** Told every sequence that joins the corpus (corpus-dir.ts saves it). */
  onCorpusEntry?: (calls: readonly FuzzCall[]) => void;
  onProgress?: (p: Progress) => void;
  /** Ends the fuzzing phase early (Ctrl-C); what was found is still shrunk and reported. */
  signal?: AbortSignal;
}

export interface Progress {
  phase: 'fuzzing' | 'shrinking';
  executions: number;
  seconds: number;
  coverage: number;
  corpus: number;
  broken: number;
  checks: number;
}

export interface CheckOutcome {
  check: Check;
  /** The shrunk failure, when the check broke. */
  failure?: Failure;
  /** Calls executed up to and including the sequence that broke it (in batch order). */
  foundAfter?: number;
  /** Length of the failing sequence before shrinking. */
  originalLength?: number;
  shrinkRuns?: number;
}

export interface CampaignResult {
  seed: number;
  backend: string;
  executions: number;
  /** Seconds of the fuzzing phase (shrinking excluded). */
  seconds: number;
  shrinkSeconds: number;
  coverage: number;
  corpus: number;
  /** The corpus sequences (what the coverage report replays). */
  corpusSequences: readonly (readonly FuzzCall[])[];
  /** Sequences replayed before generation, and the coverage right after them. */
  replayed: number;
  replayCoverage: number;
  outcomes: CheckOutcome[];
  /** Per optimization target (echidna_opt_*, optimize_*): the best value found and the calls reaching it. */
  optimizations: OptimizationOutcome[];
}

const MUTATION_SHARE = 0.7;
/** Sequences per replay batch: one batch for a corpus of ordinary size, bounded buffers for a huge one. */
export const REPLAY_BATCH = 8192;
/** At most this share of a batch goes to input-to-state candidates (the rest keeps exploring). */
const CANDIDATE_SHARE = 0.5;

export async function runCampaign(snapshot: FuzzSnapshot, targets: FuzzTargets, runner: SequenceRunner, o: CampaignOptions): Promise<CampaignResult> {
  const rng = new Rng(o.seed);
  const dict = buildDictionary(snapshot);
  const gen = new CallGenerator(targets, dict, snapshot.senders, rng);
  const mutator = new Mutator(gen, targets, dict, rng, o.depth);
  // The runner's own generator when it has one (the same sequences from the same stream, as program bytes).
  const fresh: FreshSequences = runner.freshSequences?.(targets, dict, rng) ?? gen;
  const corpus = new Corpus();
  const feedback = o.cmpFeedback ? new ComparisonFeedback(dict) : undefined;
  const checks = campaignChecks(targets.properties, targets.functions, o.checkArithmetic);
  const optimizations = new Optimizations(targets.properties);
  const found = new Map<Check, { failure: Failure; foundAfter: number }>();
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  let executions = 0;
  let planned = 0;
  let lastProgress = 0;
  let lastShown = '';

  /** About once a second; forced at phase ends unless the line would repeat the last one. */
  const progress = (phase: Progress['phase'], force = false): void => {
    const shown = `${phase}:${executions}`;
    if (o.onProgress === undefined || (force ? shown === lastShown : elapsed() - lastProgress < 1)) return;
    lastProgress = elapsed();
    lastShown = shown;
    o.onProgress({ phase, executions, seconds: elapsed(), coverage: runner.coveredEdges(), corpus: corpus.size, broken: found.size, checks: checks.length });
  };

  const runOptions = { comparisons: o.cmpFeedback };
  /** Generates the next batch, handing it to the runner chunk by chunk as it is written (see Submitted). */
  const nextBatch = (): Submitted | undefined => {
    const remaining = o.maxExecs - planned;
    if (remaining <= 0) return undefined;
    const size = Math.min(o.batch, Math.ceil(remaining / o.depth));
    const batch = new Submitted(runner, runOptions, chunkSize(o.depth));
    for (const seq of feedback?.take(Math.floor(size * CANDIDATE_SHARE)) ?? []) {
      planned += seq.length;
      batch.push(seq);
    }
    for (let i = size - batch.seqs.length; i > 0; i--) {
      const seq = corpus.size > 0 && rng.chance(MUTATION_SHARE) ? mutator.mutate(corpus.pick(rng), corpus.pick(rng).calls) : fresh.sequence(o.depth);
      planned += seq.length;
      batch.push(seq);
    }
    return batch.close();
  };

  // Generated sequences' calls are built only where a sequence is read: kept, failing, or compared.
  const absorb = (seqs: readonly BatchSequence[], results: readonly SequenceResult[]): void => {
    feedback?.absorb(seqs, results);
    results.forEach((r, i) => {
      const seq = seqs[i]!;
      executions += seq.length;
      if (corpus.offer(seq, r, optimizations.offer(seq, r, executions))) o.onCorpusEntry?.(callsOf(seq));
      for (const check of checks) {
        if (found.has(check)) continue;
        const failure = findFailure(check, seq, r);
        if (failure !== undefined) found.set(check, { failure, foundAfter: executions });
      }
    });
  };

  // Properties are what the user asked to break; the oracles only ride along (most never break).
  const properties = checks.filter((c) => c.kind === 'property');
  // With optimization targets there is always more to gain: only the budget (or a stop) ends the campaign.
  const finished = (): boolean =>
    (properties.length > 0 && optimizations.size === 0 && properties.every((c) => found.has(c))) ||
    (o.stopOnFail && found.size > 0) ||
    (o.timeoutSeconds > 0 && elapsed() >= o.timeoutSeconds) ||
    o.signal?.aborted === true;

  // Batch k+2 is generated from the corpus as of batch k while batch k+1 runs, and each batch goes to the
  // runner in chunks as it is generated, so the EVM threads start on a batch's first chunk while the rest
  // is written, and never wait for the main thread between batches. Runs merge in the order they were
  // submitted and results are absorbed in that order, so a campaign is still a function of its seed.
  const replay = o.replay?.map((seq) => [...seq]) ?? [];
  const replayBatches: FuzzCall[][][] = [];
  for (let i = 0; i < replay.length; i += REPLAY_BATCH) replayBatches.push(replay.slice(i, i + REPLAY_BATCH));
  let replayLeft = replayBatches.length;
  // Coverage grows only by merges: the replay's coverage is what the runner had plus what the replay added.
  let replayCoverage = replayLeft > 0 ? runner.coveredEdges() : 0;
  const next = (): Submitted | undefined => {
    const saved = replayBatches.shift();
    if (saved === undefined) return nextBatch();
    const batch = new Submitted(runner, runOptions, REPLAY_BATCH);
    for (const seq of saved) batch.push(seq);
    return batch.close();
  };
  const inFlight: Submitted[] = [];
  const submit = (): void => {
    const batch = next();
    if (batch !== undefined) inFlight.push(batch);
  };
  const absorbBatch = async (batch: Submitted): Promise<void> => {
    for (const chunk of batch.chunks) {
      const results = await chunk.results;
      if (replayLeft > 0) for (const r of results) replayCoverage += r.newCoverage;
      absorb(chunk.seqs, results);
    }
    if (replayLeft > 0) replayLeft--;
  };
  submit();
  submit();
  while (inFlight.length > 0) {
    await absorbBatch(inFlight.shift()!);
    progress('fuzzing');
    if (finished()) break;
    submit(); // generated (and started chunk by chunk) while the batch before it executes
  }
  for (const batch of inFlight) await absorbBatch(batch); // the batch in flight at a stop
  progress('fuzzing', true);
  const seconds = elapsed();

  const shrinkCtx = { runner, targets, gen, senders: snapshot.senders };
  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    const hit = found.get(check);
    if (hit === undefined) {
      outcomes.push({ check });
      continue;
    }
    progress('shrinking', true);
    const shrunk = await shrink(shrinkCtx, hit.failure, o.shrinkLimit);
    outcomes.push({ check, failure: shrunk.failure, foundAfter: hit.foundAfter, originalLength: hit.failure.calls.length, shrinkRuns: shrunk.runs });
  }
  if (optimizations.size > 0) {
    progress('shrinking', true);
    await optimizations.shrink(shrinkCtx, o.shrinkLimit);
  }
  return {
    seed: o.seed,
    backend: runner.backend,
    executions,
    seconds,
    shrinkSeconds: elapsed() - seconds,
    coverage: runner.coveredEdges(),
    corpus: corpus.size,
    corpusSequences: corpus.sequences(),
    replayed: replay.length,
    replayCoverage,
    outcomes,
    optimizations: optimizations.outcomes(),
  };
}

/** Calls per chunk handed to the runner: enough to keep its threads busy, small enough to start early. */
const CHUNK_CALLS = 8192;

function chunkSize(depth: number): number {
  return Math.max(8, Math.ceil(CHUNK_CALLS / depth));
}

/** A batch handed to the runner in chunks of `chunk` sequences while it is being generated. */
class Submitted {
  readonly seqs: BatchSequence[] = [];
  readonly chunks: { seqs: BatchSequence[]; results: Promise<SequenceResult[]> }[] = [];
  private sent = 0;

  constructor(
    private readonly runner: SequenceRunner,
    private readonly options: RunOptions,
    private readonly chunk: number,
  ) {}

  push(seq: BatchSequence): void {
    this.seqs.push(seq);
    if (this.seqs.length - this.sent >= this.chunk) this.send();
  }

  /** Sends what is left; the batch is complete. */
  close(): this {
    if (this.sent < this.seqs.length) this.send();
    return this;
  }

  private send(): void {
    const seqs = this.seqs.slice(this.sent);
    this.sent = this.seqs.length;
    this.chunks.push({ seqs, results: this.runner.run(seqs, this.options) });
  }
}
