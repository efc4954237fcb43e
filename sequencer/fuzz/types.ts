// The fuzzing seam: what the campaign (generation, corpus, shrinking) hands a sequence runner and what it
// gets back. Runners execute many independent call sequences, each from its own copy of the deployed
// snapshot: the native runner on kernels/evm (CPU threads or the CUDA device, with edge coverage), the
// serial runner through any sequencer Executor (the reference oracle in differential tests).
import type { Address } from '../primitives/types.js';
import type { Dictionary } from './dictionary.js';
import type { Rng } from './rng.js';
import type { FuzzTargets } from './targets.js';

/** One call of a sequence: a transaction from a fuzz sender, after an optional time/block jump. */
export interface FuzzCall {
  sender: Address;
  target: Address;
  value: bigint;
  /** Calldata: selector + ABI-encoded arguments. */
  data: Uint8Array;
  /** Seconds added to block.timestamp before this call (0: same time as the previous call). */
  timeDelta: bigint;
  /** Blocks added to block.number before this call. */
  blockDelta: bigint;
}

/**
 * A fresh sequence a runner's native generator wrote as program bytes (native-generator.ts): its FuzzCall
 * objects are built on first read only (the corpus, a failure, input-to-state), as most sequences are never read.
 */
export interface GeneratedSequence {
  readonly length: number;
  /** The calls in the native program layout (native/evm/fuzz_host.h), without the call count. */
  readonly program: Uint8Array;
  /** The calls as objects (built once, on first read). */
  readonly calls: readonly FuzzCall[];
  /** Calldata of call k, read from the program bytes without building the calls. */
  data(k: number): Uint8Array;
  /** Calls 0..k, call k with its calldata replaced by data (of the same length): an input-to-state candidate. */
  prefix(k: number, data: Uint8Array): GeneratedSequence;
}

/** A sequence of a batch: calls the campaign built (mutants, candidates, a saved corpus) or generated ones. */
export type BatchSequence = readonly FuzzCall[] | GeneratedSequence;

/** The calls of a batch sequence (built now for a generated one). */
export function callsOf(seq: BatchSequence): readonly FuzzCall[] {
  return Array.isArray(seq) ? seq : (seq as GeneratedSequence).calls;
}

/** Calldata of call k of a batch sequence, without building a generated sequence's calls. */
export function callDataOf(seq: BatchSequence, k: number): Uint8Array | undefined {
  if (Array.isArray(seq)) return (seq as readonly FuzzCall[])[k]?.data;
  return k < seq.length ? (seq as GeneratedSequence).data(k) : undefined;
}

/** Writes fresh sequences (CallGenerator.sequence in JS; a native runner's generator writes program bytes). */
export interface FreshSequences {
  sequence(length: number): BatchSequence;
}

export type CallStatus = 'success' | 'revert' | 'halt';

export interface CallResult {
  status: CallStatus;
  /** Why it did not succeed ('revert', 'out of gas', 'invalid opcode', ...). */
  error?: string;
  gasUsed: bigint;
  /** Return or revert data, cut to OUTPUT_CAP bytes. */
  output: Uint8Array;
  /** A SELFDESTRUCT ran in this call (and the call succeeded). */
  selfDestructed: boolean;
}

/** SequenceResult.tripwires: a call self-destructed; reverted with Panic(0x01); with Panic(0x11/0x12). */
export const TRIP_SELF_DESTRUCT = 1;
export const TRIP_ASSERT = 2;
export const TRIP_ARITHMETIC = 4;

/** Return/revert data kept per call (enough for Error(string) and Panic(uint256) reasons). */
export const OUTPUT_CAP = 256;

/**
 * A property: a function taking no arguments that returns bool (`echidna_*`, `invariant_*`). It is broken
 * when the call reverts or returns anything but ABI `true`.
 */
export interface PropertyCall {
  name: string;
  target: Address;
  data: Uint8Array;
  /**
   * An optimization target instead (`echidna_opt_*`, `optimize_*`: takes nothing, returns int256): never
   * broken, the campaign maximizes what it returns.
   */
  optimize?: boolean;
}

export interface SequenceResult {
  /** Per call (the native runner builds these on first access: the campaign reads most results only in summary). */
  calls: CallResult[];
  /** Calls that did not succeed (reverted, halted or rejected). */
  failedCalls: number;
  /** The call-level tripwires (TRIP_* bits) some call of the sequence hit: the oracles look closer only then. */
  tripwires: number;
  /**
   * Per property (in the runner's order): the first check that failed, or -1. Properties are checked on the
   * snapshot before the first call (index 0) and after every call k (index k, 1-based). For an optimization
   * target: the first check that returned its best value in this sequence (-1: it never returned one).
   */
  propertyFailedAt: number[];
  /** Per optimization target that returned a value: its best (largest, int256) value in this sequence. */
  optimized: OptimizedValue[];
  /** The first check point (same indexing) where the senders together hold more ETH than at the start. */
  ethLeakAt: number;
  /** Coverage edges this sequence reached first (0 for runners without coverage or when not merged). */
  newCoverage: number;
  /** Comparison sites (EQ) whose operands this sequence brought closer (more equal bytes) than any before. */
  closerComparisons: number;
  /** Comparison operand pairs no earlier sequence of the campaign reported (with RunOptions.comparisons). */
  comparisons: Comparison[];
}

export interface OptimizedValue {
  /** The target's index in the runner's property list. */
  property: number;
  value: bigint;
}

/**
 * Operands of a comparison the EVM executed (EQ, LT, GT, SLT, SGT, SUB, XOR; ISZERO as x against 0), or, with
 * opcode 0x20 (KECCAK256), one pair of differing input words of two compared hashes.
 */
export interface Comparison {
  opcode: number;
  /** Index of the sequence's call that ran it. */
  call: number;
  a: bigint;
  b: bigint;
}

export interface RunOptions {
  /** Merge the sequences' coverage into the campaign map (shrinking runs pass false). Default true. */
  coverage?: boolean;
  /** Log comparison operands and report the new ones (only when merging coverage). Default false. */
  comparisons?: boolean;
}

/** Block values of the snapshot the first call of every sequence sees (before its deltas). */
export interface FuzzEnv {
  chainId: bigint;
  number: bigint;
  timestamp: bigint;
  /** Gas limit of every call (and property check). */
  callGas: bigint;
}

export interface SequenceRunner {
  /** Where sequences run: 'cpu' (native threads), 'cuda', or the executor's name for the serial runner. */
  readonly backend: string;
  /**
   * Calls may overlap (the campaign hands over a batch in chunks): they run, and merge their coverage and
   * comparisons, in the order they were made.
   */
  run(sequences: readonly BatchSequence[], options?: RunOptions): Promise<SequenceResult[]>;
  /** Edges covered so far (0 for runners without coverage). */
  coveredEdges(): number;
  /**
   * A generator of fresh sequences that this runner reads without JS objects per call (the native runner's),
   * drawing from rng exactly as the JS CallGenerator would; undefined where the runner has none.
   */
  freshSequences?(targets: FuzzTargets, dict: Dictionary, rng: Rng): FreshSequences | undefined;
}

export class FuzzError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzError';
  }
}
