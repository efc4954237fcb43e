// Precompile test vectors in go-ethereum's format (core/vm/testdata/precompiles; /work/shared/precompile-vectors):
// a JSON array of `{Input, Expected, Gas, Name}` (the call succeeds with that output and gas) or, in fail-*
// files, `{Input, ExpectedError, Name}` (the call fails). Each vector runs through the native dispatcher
// (runPrecompileAt: the address the file name stands for, at a fork).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { NativeAddon, PrecompileFork } from '../../sequencer/native/addon.js';

export interface Vector {
  Name: string;
  Input: string;
  Expected?: string;
  Gas?: number;
  ExpectedError?: string;
}

export interface VectorResult {
  name: string;
  pass: boolean;
  /** Why it failed (absent when it passed). */
  reason?: string;
}

export interface FileResult {
  file: string;
  address: bigint;
  results: VectorResult[];
}

/** go-ethereum's vector file names (without `fail-` and `.json`) and the precompile address each tests. */
export const FILE_ADDRESSES: Readonly<Record<string, bigint>> = {
  ecRecover: 0x01n,
  sha256: 0x02n,
  ripemd160: 0x03n,
  identity: 0x04n,
  modexp_eip2565: 0x05n,
  modexp_eip7883: 0x05n,
  bn256Add: 0x06n,
  bn256ScalarMul: 0x07n,
  bn256Pairing: 0x08n,
  blake2F: 0x09n,
  pointEvaluation: 0x0an,
  blsG1Add: 0x0bn,
  blsG1MultiExp: 0x0cn,
  blsG2Add: 0x0dn,
  blsG2MultiExp: 0x0en,
  blsPairing: 0x0fn,
  blsMapG1: 0x10n,
  blsMapG2: 0x11n,
  p256Verify: 0x100n,
};

/** The address a vector file tests, from its name (`fail-blsG1Add.json` -> 0x0b); undefined when unknown. */
export function addressOfFile(path: string): bigint | undefined {
  const name = basename(path, '.json').replace(/^fail-/, '');
  return Object.hasOwn(FILE_ADDRESSES, name) ? FILE_ADDRESSES[name] : undefined;
}

export function addressBytes(address: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(address.toString(16).padStart(40, '0'), 'hex'));
}

export function readVectors(path: string): Vector[] {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${path}: not a JSON array of vectors`);
  return parsed.map((v: Partial<Vector>, i) => {
    if (typeof v?.Input !== 'string') throw new Error(`${path}: vector ${i} has no Input hex string`);
    if (typeof v.ExpectedError !== 'string' && (typeof v.Expected !== 'string' || typeof v.Gas !== 'number'))
      throw new Error(`${path}: vector ${i} (${v.Name ?? 'unnamed'}) has neither Expected + Gas nor ExpectedError`);
    return v as Vector;
  });
}

/** Runs one vector; a call the addon refuses (no precompile at that address and fork) fails the vector. */
export function runVector(addon: NativeAddon, address: Uint8Array, fork: PrecompileFork, v: Vector): VectorResult {
  const name = v.Name ?? '(unnamed)';
  let r;
  try {
    r = addon.runPrecompileAt(address, fork, Buffer.from(v.Input, 'hex'));
  } catch (e) {
    return { name, pass: false, reason: (e as Error).message };
  }
  if (v.ExpectedError !== undefined) {
    return r.ok ? { name, pass: false, reason: `succeeded, expected failure "${v.ExpectedError}"` } : { name, pass: true };
  }
  if (!r.ok) return { name, pass: false, reason: `failed (${r.error}), expected success` };
  const out = r.output.toString('hex');
  if (out !== v.Expected!.toLowerCase()) return { name, pass: false, reason: `output ${out || '(empty)'} != expected ${v.Expected}` };
  if (r.gasUsed !== BigInt(v.Gas!)) return { name, pass: false, reason: `gas ${r.gasUsed} != expected ${v.Gas}` };
  return { name, pass: true };
}

export function runFile(addon: NativeAddon, path: string, fork: PrecompileFork, address = addressOfFile(path)): FileResult {
  if (address === undefined) {
    throw new Error(`${basename(path)}: no precompile known for this file name (known: ${Object.keys(FILE_ADDRESSES).join(', ')}; or pass --address)`);
  }
  const bytes = addressBytes(address);
  return { file: path, address, results: readVectors(path).map((v) => runVector(addon, bytes, fork, v)) };
}
