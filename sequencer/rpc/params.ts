// Parameter validation: every JSON-RPC parameter goes through one of these, which throw -32602 with a
// message naming the parameter. Strictness follows geth: quantities are 0x-prefixed hex without leading
// zeros ("0x0" for zero), data is 0x-prefixed even-length hex, addresses are 20 bytes, hashes 32 bytes.
import { invalidParams } from './errors.js';
import type { Address, Hex } from '../primitives/types.js';

const MAX_U256 = (1n << 256n) - 1n;

export function quantity(v: unknown, name: string, max: bigint = MAX_U256): bigint {
  if (typeof v !== 'string') throw invalidParams(`${name}: expected hex quantity string, got ${typeName(v)}`);
  if (!/^0x[0-9a-fA-F]+$/.test(v)) throw invalidParams(`${name}: hex string without 0x prefix or with invalid digits: ${clip(v)}`);
  if (v.length > 3 && v[2] === '0') throw invalidParams(`${name}: hex number with leading zero digits: ${clip(v)}`);
  if (v.length > 66) throw invalidParams(`${name}: hex number > 256 bits`);
  const n = BigInt(v);
  if (n > max) throw invalidParams(`${name}: hex number too large`);
  return n;
}

export function optQuantity(v: unknown, name: string, max?: bigint): bigint | undefined {
  return v === undefined || v === null ? undefined : quantity(v, name, max);
}

/** Arbitrary-length byte data. */
export function data(v: unknown, name: string, maxBytes = Infinity): Hex {
  if (typeof v !== 'string') throw invalidParams(`${name}: expected hex data string, got ${typeName(v)}`);
  if (!/^0x([0-9a-fA-F]{2})*$/.test(v)) {
    if (!v.startsWith('0x')) throw invalidParams(`${name}: hex string without 0x prefix`);
    if (v.length % 2 === 1) throw invalidParams(`${name}: hex string of odd length`);
    throw invalidParams(`${name}: invalid hex string`);
  }
  if ((v.length - 2) / 2 > maxBytes) throw invalidParams(`${name}: data longer than ${maxBytes} bytes`);
  return v.toLowerCase() as Hex;
}

/**
 * Arbitrary-length byte data as bytes, decoded in one pass (eth_sendRawTransaction's hot path): the same rule
 * and messages as data(). The bytes own their buffer (never a slice of Buffer's shared pool).
 */
export function bytes(v: unknown, name: string, maxBytes = Infinity): Uint8Array {
  if (typeof v === 'string' && v.startsWith('0x') && v.length % 2 === 0 && (v.length - 2) / 2 <= maxBytes) {
    const length = (v.length - 2) / 2;
    const out = Buffer.allocUnsafeSlow(length);
    // Buffer's hex decoding stops at the first pair that is not hex: every pair written means all were hex.
    if (out.write(v.slice(2), 'hex') === length) return new Uint8Array(out.buffer, out.byteOffset, length);
  }
  data(v, name, maxBytes); // throws, naming what is wrong
  throw invalidParams(`${name}: invalid hex string`);
}

export function fixedData(v: unknown, name: string, bytes: number, what = `${bytes}-byte hex`): Hex {
  const d = data(v, name);
  if (d.length !== 2 + bytes * 2) throw invalidParams(`${name}: expected ${what}, got ${(d.length - 2) / 2} bytes`);
  return d;
}

export const address = (v: unknown, name: string): Address => fixedData(v, name, 20, '20-byte address') as Address;
export const hash = (v: unknown, name: string): Hex => fixedData(v, name, 32, '32-byte hash');

/** A storage slot: geth accepts any hex up to 32 bytes (quantity-like or data-like); we left-pad to 32 bytes. */
export function storageKey(v: unknown, name: string): Hex {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw invalidParams(`${name}: expected hex storage key of at most 32 bytes`);
  return `0x${v.slice(2).toLowerCase().padStart(64, '0')}`;
}

export function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw invalidParams(`${name}: expected boolean, got ${typeName(v)}`);
  return v;
}

export function optBool(v: unknown, name: string, dflt: boolean): boolean {
  return v === undefined || v === null ? dflt : bool(v, name);
}

export type BlockTag = 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized';
export type BlockSelector = { tag: BlockTag } | { number: bigint } | { hash: Hex; requireCanonical: boolean };

const TAGS = new Set(['latest', 'pending', 'earliest', 'safe', 'finalized']);

/** A block number or tag (eth_getBlockByNumber, filters). */
export function blockNumberOrTag(v: unknown, name: string): { tag: BlockTag } | { number: bigint } {
  if (typeof v === 'string' && TAGS.has(v)) return { tag: v as BlockTag };
  if (typeof v === 'string' && v.startsWith('0x')) return { number: quantity(v, name, (1n << 63n) - 1n) };
  throw invalidParams(`${name}: expected block number (hex) or tag (latest, pending, earliest, safe, finalized), got ${clip(String(JSON.stringify(v)))}`);
}

/** EIP-1898: a number, a tag, or { blockNumber } / { blockHash, requireCanonical? }. Missing means latest. */
export function blockSelector(v: unknown, name: string): BlockSelector {
  if (v === undefined || v === null) return { tag: 'latest' };
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o.blockHash !== undefined && o.blockNumber !== undefined) throw invalidParams(`${name}: cannot specify both blockHash and blockNumber`);
    if (o.blockHash !== undefined) return { hash: hash(o.blockHash, `${name}.blockHash`), requireCanonical: optBool(o.requireCanonical, `${name}.requireCanonical`, false) };
    if (o.blockNumber !== undefined) return blockNumberOrTag(o.blockNumber, `${name}.blockNumber`);
    throw invalidParams(`${name}: expected blockHash or blockNumber`);
  }
  return blockNumberOrTag(v, name);
}

export function object(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidParams(`${name}: expected object, got ${typeName(v)}`);
  return v as Record<string, unknown>;
}

/** Checks the positional parameter count: params beyond `max` are an error, missing required ones too. */
export function arity(params: unknown[], min: number, max: number): void {
  if (params.length > max) throw invalidParams(`too many arguments, want at most ${max}`);
  if (params.length < min) throw invalidParams(`missing value for required argument ${params.length}`);
}

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
}
