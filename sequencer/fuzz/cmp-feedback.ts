// Comparison feedback (the kernels' comparison log, kernels/evm/cmp_log.h): what a program compared its
// inputs with becomes reachable. Input-to-state: an argument word of the comparing call equal to one operand
// is replaced by the other (±1 for orderings, to land on both sides of a bound); for EQ, SUB, XOR and ISZERO,
// an argument that one operand is a fixed offset from (x + c == K) is shifted by the operands' difference. Two
// compared hashes arrive as their differing input words (OP_PREIMAGES): besides one candidate per word, the
// call gets one with all of them replaced at once (a hashed tuple matches only whole). The operands that
// candidates aim for also join the dictionary (a ring of learnt values), so generation and mutation reuse
// them in other calls and sequences.
import { readBigWord, writeBigWord } from './abi.js';
import { setLearntValues, type Dictionary } from './dictionary.js';
import { callDataOf, type BatchSequence, type Comparison, type FuzzCall, type GeneratedSequence, type SequenceResult } from './types.js';

const WORD = 1n << 256n;
const MASK = WORD - 1n;
const OP_SUB = 0x03;
const OP_EQ = 0x14;
const OP_ISZERO = 0x15;
const OP_XOR = 0x18;
/** Input words of two compared KECCAK256 outputs (kernels/evm/cmp_log.h OP_PREIMAGES). */
export const OP_PREIMAGES = 0x20;
/** Equality tests (solc compiles x == C as EQ, ISZERO(SUB) or XOR) whose operand may be an argument moved by an offset. */
const OFFSET_OPS = new Set([OP_SUB, OP_EQ, OP_ISZERO, OP_XOR, OP_PREIMAGES]);
const ORDERINGS = new Set([0x10, 0x11, 0x12, 0x13]);
/** Argument words of a call looked at (the head of its calldata). */
const MAX_WORDS = 8;
/** Candidates kept per sequence and waiting in all. */
const PER_SEQUENCE = 16;
const QUEUE_CAP = 4096;
/** Learnt dictionary values (a ring: the newest replace the oldest). */
const LEARNT_CAP = 512;

export class ComparisonFeedback {
  private readonly queue: BatchSequence[] = [];
  private readonly learnt = new Set<bigint>();
  private readonly known: Set<bigint>;

  constructor(private readonly dict: Dictionary) {
    this.known = new Set(dict.values);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Takes a batch's comparisons: queues input-to-state candidates and learns their target values. */
  absorb(seqs: readonly BatchSequence[], results: readonly SequenceResult[]): void {
    let changed = false;
    results.forEach((r, i) => {
      if (r.comparisons.length === 0) return;
      const { candidates, targets } = inputToState(seqs[i]!, r.comparisons, Math.min(PER_SEQUENCE, QUEUE_CAP - this.queue.length));
      for (const c of candidates) this.queue.push(c);
      for (const v of targets) changed = this.learn(v) || changed;
    });
    if (changed) setLearntValues(this.dict, [...this.learnt]);
  }

  /** Up to n queued candidates, oldest first. */
  take(n: number): BatchSequence[] {
    return this.queue.splice(0, n);
  }

  private learn(v: bigint): boolean {
    if (this.known.has(v) || this.learnt.has(v)) return false;
    this.learnt.add(v);
    if (this.learnt.size > LEARNT_CAP) this.learnt.delete(this.learnt.values().next().value!);
    return true;
  }
}

/** A candidate before it is built: which call, which argument words, what each becomes. */
interface Rewrite {
  call: number;
  words: { off: number; target: bigint }[];
}

/**
 * Candidate sequences (the prefix up to the comparing call, that call's arguments rewritten) and the values
 * they aim for: whole hashed tuples first, then replacements of equal words, then the guesses that an operand
 * is an offset argument. Every target is returned; only the first `limit` candidates are built (the caller
 * keeps no more).
 */
export function inputToState(seq: readonly FuzzCall[], comparisons: readonly Comparison[], limit?: number): { candidates: FuzzCall[][]; targets: bigint[] };
export function inputToState(seq: BatchSequence, comparisons: readonly Comparison[], limit?: number): { candidates: BatchSequence[]; targets: bigint[] };
export function inputToState(seq: BatchSequence, comparisons: readonly Comparison[], limit = Infinity): { candidates: BatchSequence[]; targets: bigint[] } {
  const found = new WordRewrites(limit);
  const offsets = new WordRewrites(limit);
  const preimages = new Map<number, Map<number, bigint>>(); // per call: argument offset → the other hash's word
  const words = new Map<number, bigint>(); // argument words read once per call and offset
  for (const cmp of comparisons) {
    const data = callDataOf(seq, cmp.call);
    if (data === undefined) continue;
    for (let w = 0; w < MAX_WORDS && 4 + 32 * (w + 1) <= data.length; w++) {
      const off = 4 + 32 * w;
      const key = cmp.call * 32 + w;
      let word = words.get(key);
      if (word === undefined) words.set(key, (word = readBigWord(data, off)));
      const exact = equalReplacements(cmp, word);
      const into = exact.length > 0 ? found : offsets;
      for (const target of exact.length > 0 ? exact : offsetReplacements(cmp, word)) into.add(cmp.call, off, target);
      if (cmp.opcode === OP_PREIMAGES && exact.length > 0) {
        const byOff = preimages.get(cmp.call) ?? new Map<number, bigint>();
        if (!byOff.has(off)) byOff.set(off, exact[0]!);
        preimages.set(cmp.call, byOff);
      }
    }
  }
  const tuples: Rewrite[] = [];
  for (const [call, byOff] of preimages) {
    if (byOff.size > 1) tuples.push({ call, words: [...byOff].map(([off, target]) => ({ off, target })) });
  }
  const rewrites = [...tuples, ...found.kept, ...offsets.kept];
  const candidates = rewrites.slice(0, limit).map(({ call, words: edits }): BatchSequence => {
    const data = callDataOf(seq, call)!.slice();
    for (const { off, target } of edits) writeBigWord(data, off, target);
    if (!Array.isArray(seq)) return (seq as GeneratedSequence).prefix(call, data); // stays program bytes
    const calls = seq as readonly FuzzCall[];
    return [...calls.slice(0, call), { ...calls[call]!, data }];
  });
  return { candidates, targets: [...found.targets, ...offsets.targets] };
}

/**
 * One-word rewrites of one kind: every target (all are learnt), but only the first `keep` as rewrites, since
 * no later one can be among the first `keep` candidates (most sequences yield hundreds of offset guesses).
 */
class WordRewrites {
  readonly targets: bigint[] = [];
  readonly kept: Rewrite[] = [];

  constructor(private readonly keep: number) {}

  add(call: number, off: number, target: bigint): void {
    this.targets.push(target);
    if (this.kept.length < this.keep) this.kept.push({ call, words: [{ off, target }] });
  }
}

/** The other operand when the word is one of them (and, for orderings, both sides of it). */
function equalReplacements(cmp: Comparison, word: bigint): bigint[] {
  const { a, b } = cmp;
  const other = word === a ? b : word === b ? a : undefined;
  if (other === undefined) return [];
  return ORDERINGS.has(cmp.opcode) ? [other, (other + 1n) & MASK, (other - 1n) & MASK] : [other];
}

/** For an equality test, the word moved by the operands' difference (as if one operand were word + c). */
function offsetReplacements(cmp: Comparison, word: bigint): bigint[] {
  const { a, b } = cmp;
  if (!OFFSET_OPS.has(cmp.opcode)) return [];
  // The operand nearer the argument is taken as derived from it by a fixed offset.
  const derivedIsA = distance(a, word) <= distance(b, word);
  const [derived, goal] = derivedIsA ? [a, b] : [b, a];
  return [(word + goal - derived) & MASK];
}

function distance(x: bigint, y: bigint): bigint {
  const d = (x - y) & MASK;
  return d < WORD - d ? d : WORD - d;
}
