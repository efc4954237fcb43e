// What counts as a bug: the target's properties (a check after a call reverted or returned false), failed
// assertions (a call reverted with Panic(0x01)), ETH leaking to the senders, a SELFDESTRUCT, and, opt-in,
// arithmetic panics (Panic(0x11) overflow, Panic(0x12) division by zero: usually ordinary input validation
// under checked arithmetic, so off by default). A failure is the shortest prefix of a sequence that shows it.
import { bytesToHex } from '../primitives/types.js';
import type { CallResult, FuzzCall, PropertyCall, SequenceResult } from './types.js';

export type CheckKind = 'property' | 'assertion' | 'eth-leak' | 'self-destruct' | 'arithmetic';

export interface Check {
  /** Unique and identifier-safe (reproducer file and test names): the property's name, or the oracle's. */
  name: string;
  kind: CheckKind;
  description: string;
  /** The property's index in the runner's property list (-1 for oracles). */
  property: number;
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

export function campaignChecks(properties: readonly PropertyCall[], checkArithmetic: boolean): Check[] {
  const checks: Check[] = properties.map((p, i) => ({ name: p.name, kind: 'property', description: `property ${p.name}()`, property: i }));
  checks.push(
    { name: 'assertion', kind: 'assertion', description: 'assertion failure (Panic(0x01))', property: -1 },
    { name: 'eth_leak', kind: 'eth-leak', description: 'ETH leak: the senders end up with more ETH than they started with', property: -1 },
    { name: 'self_destruct', kind: 'self-destruct', description: 'SELFDESTRUCT reachable', property: -1 },
  );
  if (checkArithmetic) {
    checks.push({ name: 'arithmetic', kind: 'arithmetic', description: 'arithmetic panic (Panic(0x11) overflow / Panic(0x12) division by zero)', property: -1 });
  }
  return checks;
}

/** The failure of check in this run of seq (with the given culprit, when one is given), or undefined. */
export function findFailure(check: Check, seq: readonly FuzzCall[], result: SequenceResult, culprit?: string): Failure | undefined {
  switch (check.kind) {
    case 'property':
      return prefixFailure(check, seq, result.propertyFailedAt[check.property]!);
    case 'eth-leak':
      return prefixFailure(check, seq, result.ethLeakAt);
    default: {
      const trips = tripwire(check.kind);
      const k = result.calls.findIndex((c, i) => trips(c) && (culprit === undefined || culpritOf(seq[i]!) === culprit));
      return k === -1 ? undefined : { check, calls: seq.slice(0, k + 1), culprit: culpritOf(seq[k]!) };
    }
  }
}

function prefixFailure(check: Check, seq: readonly FuzzCall[], at: number): Failure | undefined {
  return at === -1 ? undefined : { check, calls: seq.slice(0, at) };
}

function tripwire(kind: 'assertion' | 'self-destruct' | 'arithmetic'): (c: CallResult) => boolean {
  if (kind === 'self-destruct') return (c) => c.selfDestructed;
  if (kind === 'assertion') return (c) => panicCode(c) === PANIC_ASSERT;
  return (c) => ARITHMETIC_PANICS.includes(panicCode(c));
}

/** The code of a Panic(uint256) revert (small codes only, as the compiler emits), or -1. */
function panicCode(c: CallResult): number {
  const out = c.output;
  if (c.status !== 'revert' || out.length !== 36 || PANIC_SELECTOR.some((b, i) => out[i] !== b)) return -1;
  for (let i = 4; i < 35; i++) if (out[i] !== 0) return -1;
  return out[35]!;
}

function culpritOf(call: FuzzCall): string {
  return `${call.target}:${bytesToHex(call.data.subarray(0, 4))}`;
}
