// Minimizes a failing sequence for the same failure (same check; same culprit function for call-level
// oracles), or any sequence for what a caller asks to keep (optimize.ts: the same best value). Every round is one runner.run of many candidates (coverage off): first dropping chunks of calls
// (delta debugging at every chunk size at once, jumps in time kept), then simplifying calls (senders to the
// first sender, values, time/block jumps and arguments toward zero/small), where the single edits that keep
// the failure are then tried combined, in order. Deterministic: candidates and choices depend on the
// failure only.
import type { Address } from '../primitives/types.js';
import { decodeCall, type AbiType, type AbiValue } from './abi.js';
import { replaceAt, valueAt, valueNodes } from './abi-values.js';
import { findFailure, type Failure } from './checks.js';
import type { CallGenerator } from './generate.js';
import type { FuzzTargets } from './targets.js';
import type { FuzzCall, SequenceResult, SequenceRunner } from './types.js';

export interface ShrinkContext {
  runner: SequenceRunner;
  targets: FuzzTargets;
  /** Encodes edited arguments. */
  gen: CallGenerator;
  senders: readonly Address[];
}

export interface ShrinkResult {
  failure: Failure;
  /** Candidate sequences run. */
  runs: number;
}

/** One simplification of one field of one call: key names the field, so edits of one field never combine. */
interface Edit {
  key: string;
  apply(seq: FuzzCall[]): void;
}

export async function shrink(ctx: ShrinkContext, failure: Failure, budget: number): Promise<ShrinkResult> {
  const { kept, runs } = await minimize(ctx, failure, (seq, r) => findFailure(failure.check, seq, r, failure.culprit), budget);
  return { failure: kept, runs };
}

/** What a shrink keeps, found in a candidate's run: T, whose calls are the part of the candidate showing it. */
export type Keeps<T extends { calls: readonly FuzzCall[] }> = (seq: readonly FuzzCall[], result: SequenceResult) => T | undefined;

/** The shortest, simplest sequence found (within budget candidate runs) that still keeps what `keeps` looks for. */
export async function minimize<T extends { calls: readonly FuzzCall[] }>(ctx: ShrinkContext, start: T, keeps: Keeps<T>, budget: number): Promise<{ kept: T; runs: number }> {
  const s = new Shrinker(ctx, keeps, budget);
  let best = start;
  for (let changed = true; changed; ) {
    const fewer = await s.dropCalls(best);
    const simpler = await s.simplify(fewer);
    changed = simpler !== best;
    best = simpler;
  }
  return { kept: best, runs: s.runs };
}

class Shrinker<T extends { calls: readonly FuzzCall[] }> {
  runs = 0;

  constructor(
    private readonly ctx: ShrinkContext,
    private readonly keeps: Keeps<T>,
    private readonly budget: number,
  ) {}

  /** Runs candidates (as many as the budget still allows) and returns what each keeps, if anything. */
  private async attempt(candidates: readonly FuzzCall[][]): Promise<(T | undefined)[]> {
    const batch = candidates.slice(0, Math.max(0, this.budget - this.runs));
    if (batch.length === 0) return [];
    this.runs += batch.length;
    const results = await this.ctx.runner.run(batch, { coverage: false });
    return results.map((r, i) => this.keeps(batch[i]!, r));
  }

  async dropCalls(from: T): Promise<T> {
    let best = from;
    for (;;) {
      const calls = best.calls;
      const candidates: FuzzCall[][] = [];
      for (let size = Math.ceil(calls.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
        for (let start = 0; start < calls.length; start += size) candidates.push(without(calls, start, size));
      }
      const shorter = shortest(await this.attempt(candidates));
      if (shorter === undefined || shorter.calls.length >= calls.length) return best;
      best = shorter;
    }
  }

  async simplify(from: T): Promise<T> {
    let best = from;
    for (;;) {
      const edits = simplifications(best.calls, this.ctx);
      const single = await this.attempt(edits.map((e) => applied(best.calls, [e])));
      // Per field, the first (most aggressive) simplification that keeps the failure.
      const kept: Edit[] = [];
      single.forEach((f, i) => {
        if (f !== undefined && !kept.some((e) => e.key === edits[i]!.key)) kept.push(edits[i]!);
      });
      if (kept.length === 0) return best;
      const combos = kept.map((_e, j) => applied(best.calls, kept.slice(0, j + 1)));
      const combined = kept.length === 1 ? [single[edits.indexOf(kept[0]!)]] : await this.attempt(combos);
      // The most edits that still fail together.
      const most = [...combined].reverse().find((f) => f !== undefined);
      if (most === undefined) return best;
      best = most;
    }
  }
}

/**
 * calls without calls[start..start+size), their time/block jumps moved onto the next call: the calls left
 * keep their times (a jump on a call that does not matter is often what the failure needs).
 */
function without(calls: readonly FuzzCall[], start: number, size: number): FuzzCall[] {
  const rest = [...calls.slice(0, start), ...calls.slice(start + size)];
  const next = rest[start];
  if (next !== undefined) {
    const dropped = calls.slice(start, start + size);
    rest[start] = {
      ...next,
      timeDelta: dropped.reduce((t, c) => t + c.timeDelta, next.timeDelta),
      blockDelta: dropped.reduce((b, c) => b + c.blockDelta, next.blockDelta),
    };
  }
  return rest;
}

function shortest<T extends { calls: readonly FuzzCall[] }>(kept: readonly (T | undefined)[]): T | undefined {
  let best: T | undefined;
  for (const f of kept) if (f !== undefined && (best === undefined || f.calls.length < best.calls.length)) best = f;
  return best;
}

function applied(calls: readonly FuzzCall[], edits: readonly Edit[]): FuzzCall[] {
  const seq = [...calls];
  for (const e of edits) e.apply(seq);
  return seq;
}

/** Every single-field simplification of the sequence, most aggressive first within a field. */
function simplifications(calls: readonly FuzzCall[], ctx: ShrinkContext): Edit[] {
  const edits: Edit[] = [];
  const set = (key: string, i: number, change: Partial<FuzzCall>): void => {
    edits.push({ key, apply: (seq) => void (seq[i] = { ...seq[i]!, ...change }) });
  };
  const first = ctx.senders[0]!;
  // One actor's calls moved to the first sender together (moving only some would split the actor).
  for (const sender of new Set(calls.map((c) => c.sender))) {
    if (sender === first) continue;
    edits.push({
      key: `sender:${sender}`,
      apply: (seq) => {
        for (let i = 0; i < seq.length; i++) if (seq[i]!.sender === sender) seq[i] = { ...seq[i]!, sender: first };
      },
    });
  }
  calls.forEach((call, i) => {
    if (call.sender !== first) set(`${i}:sender`, i, { sender: first });
    for (const v of smaller(call.value)) set(`${i}:value`, i, { value: v });
    for (const v of smaller(call.timeDelta)) set(`${i}:time`, i, { timeDelta: v });
    for (const v of smaller(call.blockDelta)) set(`${i}:block`, i, { blockDelta: v });
    const fn = ctx.targets.lookup(call.target, call.data);
    if (fn === undefined || fn.codec.params.length === 0) return;
    for (const node of valueNodes(fn.codec.params, decodeCall(fn.codec, call.data))) {
      for (const value of simpler(node.type, node.value)) {
        edits.push({
          key: `${i}:arg:${node.path.join('.')}`,
          apply: (seq) => {
            const args = decodeCall(fn.codec, seq[i]!.data);
            // An earlier edit may have shortened an array this node was in.
            if (valueAt(args, node.path) === undefined) return;
            seq[i] = { ...seq[i]!, data: ctx.gen.encode(fn, replaceAt(args, node.path, value)) };
          },
        });
      }
    }
  });
  return edits;
}

/** Simpler values of one argument node, most aggressive first. */
function simpler(t: AbiType, v: AbiValue): AbiValue[] {
  switch (t.kind) {
    case 'uint':
    case 'int': {
      const n = v as bigint;
      return n < 0n ? smaller(-n).map((m) => -m) : smaller(n);
    }
    case 'bool':
      return v === true ? [false] : [];
    case 'fixedBytes':
      return /^0x0*$/.test(v as string) ? [] : [`0x${'00'.repeat(t.size)}`];
    case 'bytes': {
      const hex = (v as string).slice(2);
      return hex.length === 0 ? [] : ['0x', `0x${hex.slice(0, Math.floor(hex.length / 4) * 2)}`];
    }
    case 'string': {
      const str = v as string;
      return str.length === 0 ? [] : ['', str.slice(0, Math.floor(str.length / 2))];
    }
    case 'array': {
      const items = v as readonly AbiValue[];
      return t.length !== null || items.length === 0 ? [] : [[], items.slice(0, Math.floor(items.length / 2)), items.slice(0, -1)];
    }
    default:
      return [];
  }
}

/**
 * Smaller non-negative values than n, most aggressive first: 0, n shifted right (toward small), then n minus a
 * shrinking fraction of itself (toward n, so repeated rounds home in on a threshold like a binary search).
 */
export function smaller(n: bigint): bigint[] {
  if (n <= 0n) return [];
  const out = [0n, n >> 64n, n >> 16n, n >> 4n, n >> 1n, n - (n >> 2n), n - (n >> 4n), n - (n >> 8n), n - 1n];
  return [...new Set(out)].filter((m) => m < n && m >= 0n);
}
