// What counts as a bug: the target's properties (a check after a call reverted or returned false), failed
// assertions (a call reverted with Panic(0x01)), ETH leaking to the senders, a SELFDESTRUCT, and, opt-in,
// arithmetic panics (Panic(0x11) overflow, Panic(0x12) division by zero: usually ordinary input validation
// under checked arithmetic, so off by default). A failure is the shortest prefix of a sequence that shows it.
import { bytesToHex } from '../primitives/types.js';
import type { FuzzFunction } from './targets.js';
import { callsOf, TRIP_ARITHMETIC, TRIP_ASSERT, TRIP_SELF_DESTRUCT, type BatchSequence, type CallResult, type CallStatus, type FuzzCall, type PropertyCall, type SequenceResult } from './types.js';

export type CheckKind = 'property' | 'assertion' | 'eth-leak' | 'self-destruct' | 'arithmetic';

export interface Check {
  /** Unique and identifier-safe (reproducer file and test names): the property's name, or the oracle's. */
  name: string;
  kind: CheckKind;
  description: string;
  /** The property's index in the runner's property list (-1 for oracles). */
  property: number;
  /** Per-function assertion checks: the function (target:selector, as Failure.culprit) whose calls it watches. */
  function?: string;
}

export interface Failure {
  check: Check;
  /** The calls up to and including the one that broke the check (none: broken right after deployment). */
  calls: readonly FuzzCall[];
  /** Call-level oracles: the function (target:selector) whose call broke it; shrinking keeps it the same. */
  culprit?: string;
}

const PANIC_SELECTOR = [0x4e, 0x48, 0x7b, 0x71];
export const PANIC_ASSERT = 0x01;
const ARITHMETIC_PANICS = [0x11, 0x12];

/**
 * The checks of a campaign: each property (optimization targets are not checks), an assertion check per
 * target function (each function's Panic(0x01) is its own finding, as in Echidna's assertion mode), and the
 * oracles.
 */
export function campaignChecks(properties: readonly PropertyCall[], functions: readonly FuzzFunction[], checkArithmetic: boolean): Check[] {
  const checks: Check[] = [];
  properties.forEach((p, i) => {
    if (p.optimize !== true) checks.push({ name: p.name, kind: 'property', description: `property ${p.name}()`, property: i });
  });
  checks.push(...assertionChecks(functions));
  checks.push(
    { name: 'eth_leak', kind: 'eth-leak', description: 'ETH leak: the senders end up with more ETH than they started with', property: -1 },
    { name: 'self_destruct', kind: 'self-destruct', description: 'SELFDESTRUCT reachable', property: -1 },
  );
  if (checkArithmetic) {
    checks.push({ name: 'arithmetic', kind: 'arithmetic', description: 'arithmetic panic (Panic(0x11) overflow / Panic(0x12) division by zero)', property: -1 });
  }
  return checks;
}

/** The failure of check in this run of seq (with the given culprit, when one is given), or undefined. */
export function findFailure(check: Check, seq: BatchSequence, result: SequenceResult, culprit?: string): Failure | undefined {
  switch (check.kind) {
    case 'property':
      return prefixFailure(check, seq, result.propertyFailedAt[check.property]!);
    case 'eth-leak':
      return prefixFailure(check, seq, result.ethLeakAt);
    default: {
      if ((result.tripwires & TRIP_OF[check.kind]) === 0) return undefined;
      const trips = tripwire(check.kind);
      const watched = culprit ?? check.function;
      const calls = callsOf(seq);
      const k = result.calls.findIndex((c, i) => trips(c) && (watched === undefined || culpritOf(calls[i]!) === watched));
      return k === -1 ? undefined : { check, calls: calls.slice(0, k + 1), culprit: culpritOf(calls[k]!) };
    }
  }
}

/** One assertion check per function, named assert_<function> (with the contract, then a number, where that repeats). */
function assertionChecks(functions: readonly FuzzFunction[]): Check[] {
  const count = (key: (f: FuzzFunction) => string, f: FuzzFunction): number => functions.filter((g) => key(g) === key(f)).length;
  const taken = new Set<string>();
  return functions.map((f) => {
    let name = count((g) => g.codec.name, f) === 1 ? `assert_${f.codec.name}` : `assert_${f.contract}_${f.codec.name}`;
    for (let i = 2; taken.has(name); i++) name = `assert_${f.contract}_${f.codec.name}_${i}`;
    taken.add(name);
    return {
      name,
      kind: 'assertion',
      description: `assertion failure (Panic(0x01)) in ${f.contract}.${f.codec.signature}`,
      property: -1,
      function: functionKey(f.address, f.codec.selector),
    };
  });
}

function prefixFailure(check: Check, seq: BatchSequence, at: number): Failure | undefined {
  return at === -1 ? undefined : { check, calls: callsOf(seq).slice(0, at) };
}

function tripwire(kind: 'assertion' | 'self-destruct' | 'arithmetic'): (c: CallResult) => boolean {
  if (kind === 'self-destruct') return (c) => c.selfDestructed;
  if (kind === 'assertion') return (c) => panicCode(c) === PANIC_ASSERT;
  return (c) => ARITHMETIC_PANICS.includes(panicCode(c));
}

const TRIP_OF = { 'self-destruct': TRIP_SELF_DESTRUCT, assertion: TRIP_ASSERT, arithmetic: TRIP_ARITHMETIC } as const;

/** The tripwires (TRIP_* bits) one call hit, from its status, output and self-destruct flag. */
export function callTripwires(status: CallStatus, output: Uint8Array, selfDestructed: boolean): number {
  const code = panicCodeOf(status, output);
  return (selfDestructed ? TRIP_SELF_DESTRUCT : 0) | (code === PANIC_ASSERT ? TRIP_ASSERT : 0) | (ARITHMETIC_PANICS.includes(code) ? TRIP_ARITHMETIC : 0);
}

function panicCode(c: CallResult): number {
  return panicCodeOf(c.status, c.output);
}

/** The code of a Panic(uint256) revert (small codes only, as the compiler emits), or -1. */
export function panicCodeOf(status: CallStatus, out: Uint8Array): number {
  if (status !== 'revert' || out.length !== 36 || PANIC_SELECTOR.some((b, i) => out[i] !== b)) return -1;
  for (let i = 4; i < 35; i++) if (out[i] !== 0) return -1;
  return out[35]!;
}

function culpritOf(call: FuzzCall): string {
  return functionKey(call.target, call.data.subarray(0, 4));
}

function functionKey(target: string, selector: Uint8Array): string {
  return `${target}:${bytesToHex(selector)}`;
}
