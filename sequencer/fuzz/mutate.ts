// Mutants of corpus sequences: a few stacked edits of the calls (argument values toward dictionary constants,
// bit flips, small steps, type extremes, values other calls of the sequence used; senders, values, time
// jumps) and of the sequence (insert, delete, duplicate, swap, splice with another corpus sequence, fresh
// calls after a prefix). Parents are shared with the corpus: edits copy the call they change and never
// write into an existing one.
import { decodeCall, type AbiType, type AbiValue } from './abi.js';
import { fitInt, intMax, intMin, replaceAt, valueAt, valueNodes, type ValueNode } from './abi-values.js';
import type { CorpusEntry } from './corpus.js';
import type { Dictionary } from './dictionary.js';
import type { CallGenerator } from './generate.js';
import type { Rng } from './rng.js';
import type { FuzzFunction, FuzzTargets } from './targets.js';
import type { FuzzCall } from './types.js';

export class Mutator {
  constructor(
    private readonly gen: CallGenerator,
    private readonly targets: FuzzTargets,
    private readonly dict: Dictionary,
    private readonly rng: Rng,
    private readonly maxLength: number,
  ) {}

  /** parent with 1–3 edits (new calls reuse its successful calls' arguments); other: a sequence to splice with. */
  mutate(parent: CorpusEntry, other: readonly FuzzCall[]): FuzzCall[] {
    this.gen.prime(parent.succeeded);
    let seq = [...parent.calls];
    for (let edits = 1 + this.rng.below(3); edits > 0; edits--) seq = this.edit(seq, other);
    return seq.length === 0 ? [this.gen.call()] : seq.slice(0, this.maxLength);
  }

  private edit(seq: FuzzCall[], other: readonly FuzzCall[]): FuzzCall[] {
    if (seq.length === 0) return [this.gen.call()];
    // Late positions a little more often: a continuation from there keeps more of the state reached.
    const i = Math.max(this.rng.below(seq.length), this.rng.below(seq.length));
    const call = seq[i]!;
    switch (this.rng.below(13)) {
      case 0:
      case 1:
      case 2:
      case 3:
        return with_(seq, i, this.mutateArguments(call, seq));
      case 4:
        return with_(seq, i, { ...call, sender: this.gen.sender() });
      case 5: {
        const fn = this.targets.lookup(call.target, call.data);
        return fn?.payable ? with_(seq, i, { ...call, value: this.gen.value() }) : with_(seq, i, this.mutateArguments(call, seq));
      }
      case 6: {
        const jump = this.rng.chance(0.5);
        return with_(seq, i, { ...call, timeDelta: jump ? this.gen.timeDelta() : 0n, blockDelta: jump ? this.gen.blockDelta() : 0n });
      }
      case 7:
        return [...seq.slice(0, i), this.gen.call(), ...seq.slice(i)];
      case 8:
        return [...seq.slice(0, i), ...seq.slice(i + 1)];
      case 9:
        return [...seq.slice(0, i + 1), call, ...seq.slice(i + 1)];
      case 10: {
        const j = this.rng.below(seq.length);
        const swapped = with_(seq, i, seq[j]!);
        swapped[j] = call;
        return swapped;
      }
      case 11:
        return [...seq.slice(0, i), ...other.slice(this.rng.below(other.length + 1))];
      default:
        // Keep the state the prefix reached and explore fresh continuations from it.
        return [...seq.slice(0, i + 1), ...this.gen.calls(Math.max(0, this.maxLength - i - 1))];
    }
  }

  /** The call with one argument node changed (or, for calls without arguments, a fresh call to the same function). */
  private mutateArguments(call: FuzzCall, seq: readonly FuzzCall[]): FuzzCall {
    const fn = this.targets.lookup(call.target, call.data);
    if (fn === undefined || fn.codec.params.length === 0) return fn === undefined ? this.gen.call() : this.gen.callTo(fn);
    const args = decodeCall(fn.codec, call.data);
    const node = this.rng.pick(valueNodes(fn.codec.params, args));
    const reused = this.rng.chance(0.15) ? this.reuse(node, this.rng.pick(seq)) : undefined;
    const { path, value } = reused === undefined ? this.mutateValue(fn, node) : { path: node.path, value: reused };
    return { ...call, data: this.gen.encode(fn, replaceAt(args, path, value)) };
  }

  private mutateValue(fn: FuzzFunction, node: ValueNode): { path: readonly number[]; value: AbiValue } {
    const t = node.type;
    const v = node.value;
    const op = this.rng.below(6);
    switch (t.kind) {
      case 'uint':
      case 'int': {
        const n = v as bigint;
        if (op === 0) return { path: node.path, value: fitInt(t, this.rng.pick(this.dict.values)) };
        if (op === 1) return { path: node.path, value: fitInt(t, n ^ (1n << BigInt(this.rng.below(t.bits)))) };
        if (op === 2) return { path: node.path, value: fitInt(t, n + BigInt(this.rng.below(33) - 16)) };
        if (op === 3) return { path: node.path, value: this.rng.pick([0n, 1n, intMax(t), intMin(t), fitInt(t, -1n), intMax(t) - 1n]) };
        if (op === 4) return { path: node.path, value: fitInt(t, this.rng.chance(0.5) ? n * 2n : n / 2n) };
        break;
      }
      case 'address':
        if (op < 4) return { path: node.path, value: this.rng.pick(this.dict.addresses) };
        break;
      case 'bool':
        return { path: node.path, value: !(v as boolean) };
      case 'array':
        if (t.length === null && (v as AbiValue[]).length > 0 && op < 4) {
          const items = v as readonly AbiValue[];
          const k = this.rng.below(items.length);
          const edited = op < 2 ? [...items.slice(0, k), ...items.slice(k + 1)] : [...items, items[k]!];
          return { path: node.path, value: edited };
        }
        break;
    }
    return this.freshValue(fn, node.path);
  }

  /**
   * A value of the same kind from another call's arguments (integers converted into this node's range):
   * sequences often need one value twice, as in deposit(x) then claim(x).
   */
  private reuse(node: ValueNode, other: FuzzCall): AbiValue | undefined {
    const fn = this.targets.lookup(other.target, other.data);
    if (fn === undefined) return undefined;
    const t = node.type;
    const isInt = (x: AbiType): boolean => x.kind === 'uint' || x.kind === 'int';
    const candidates = valueNodes(fn.codec.params, decodeCall(fn.codec, other.data)).filter((n) => n.type.canonical === t.canonical || (isInt(n.type) && isInt(t)));
    if (candidates.length === 0) return undefined;
    const v = this.rng.pick(candidates).value;
    return t.kind === 'uint' || t.kind === 'int' ? fitInt(t, v as bigint) : v;
  }

  /** A newly generated value for the node at path (or its whole argument when the new tree lacks that path). */
  private freshValue(fn: FuzzFunction, path: readonly number[]): { path: readonly number[]; value: AbiValue } {
    const fresh = decodeCall(fn.codec, this.gen.calldata(fn));
    const value = valueAt(fresh, path);
    return value === undefined ? { path: [path[0]!], value: fresh[path[0]!]! } : { path, value };
  }
}

function with_(seq: readonly FuzzCall[], i: number, call: FuzzCall): FuzzCall[] {
  const copy = [...seq];
  copy[i] = call;
  return copy;
}
