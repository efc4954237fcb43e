// Decoded argument trees (viem-style values, see abi.ts): enumerating their nodes, replacing one node
// without touching the original (corpus sequences are shared), wrapping integers into their type's range,
// and printing them as Solidity-ish text for reproducers and reports.
import type { AbiType, AbiValue, IntType } from './abi.js';

export interface ValueNode {
  /** Argument index, then element/component indices down to this node. */
  path: readonly number[];
  type: AbiType;
  value: AbiValue;
}

/** Every node of the argument trees, parents before children. */
export function valueNodes(types: readonly AbiType[], values: readonly AbiValue[]): ValueNode[] {
  const out: ValueNode[] = [];
  const visit = (type: AbiType, value: AbiValue, path: number[]): void => {
    out.push({ path, type, value });
    if (type.kind === 'array' || type.kind === 'tuple') {
      (value as readonly AbiValue[]).forEach((v, i) => visit(type.kind === 'tuple' ? type.components[i]! : type.element, v, [...path, i]));
    }
  };
  types.forEach((t, i) => visit(t, values[i]!, [i]));
  return out;
}

/** The node at path, or undefined when the tree has no such node (a shorter array). */
export function valueAt(values: readonly AbiValue[], path: readonly number[]): AbiValue | undefined {
  let v: AbiValue | undefined = values;
  for (const i of path) v = Array.isArray(v) ? (v as readonly AbiValue[])[i] : undefined;
  return v;
}

/** A copy of values with the node at path replaced (siblings shared). */
export function replaceAt(values: readonly AbiValue[], path: readonly number[], value: AbiValue): AbiValue[] {
  const [i, ...rest] = path;
  const copy = [...values];
  copy[i!] = rest.length === 0 ? value : replaceAt(values[i!] as readonly AbiValue[], rest, value);
  return copy;
}

/** Wraps an integer into its type's range (two's complement for int), as the EVM would truncate it. */
export function fitInt(t: IntType, v: bigint): bigint {
  return t.kind === 'uint' ? BigInt.asUintN(t.bits, v) : BigInt.asIntN(t.bits, v);
}

export function intMax(t: IntType): bigint {
  return t.kind === 'uint' ? (1n << BigInt(t.bits)) - 1n : (1n << BigInt(t.bits - 1)) - 1n;
}

export function intMin(t: IntType): bigint {
  return t.kind === 'uint' ? 0n : -(1n << BigInt(t.bits - 1));
}

/** A value as Solidity-like text: numbers in decimal (hex when huge), strings quoted, arrays/tuples bracketed. */
export function formatValue(t: AbiType, v: AbiValue): string {
  switch (t.kind) {
    case 'uint':
    case 'int': {
      const n = v as bigint;
      const abs = n < 0n ? -n : n;
      return abs >= 1n << 64n ? `${n < 0n ? '-' : ''}0x${abs.toString(16)}` : n.toString();
    }
    case 'string':
      return JSON.stringify(v);
    case 'array':
      return `[${(v as readonly AbiValue[]).map((x) => formatValue(t.element, x)).join(', ')}]`;
    case 'tuple':
      return `(${(v as readonly AbiValue[]).map((x, i) => formatValue(t.components[i]!, x)).join(', ')})`;
    default:
      return String(v);
  }
}
