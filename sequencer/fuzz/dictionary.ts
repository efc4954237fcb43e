// Constants for argument generation: the values a contract compares its inputs against are usually in its
// code (PUSH immediates), one off from them (boundaries), or "interesting" numbers (0, 1, powers of two
// and their predecessors, powers of ten). Addresses are the actors the contracts know: senders, deployer,
// the deployed contracts. Kept both as packed 32-byte words (generation copies them without bigint) and
// as bigints (mutation and shrinking work on decoded values).
import type { Address } from '../primitives/types.js';
import { writeBigWord } from './abi.js';
import type { FuzzSnapshot } from './snapshot.js';

export interface Dictionary {
  values: bigint[];
  /** values as 32-byte big-endian words, concatenated. */
  words: Uint8Array;
  /** How many of the last values were learnt at run time (setLearntValues). */
  learnt: number;
  addresses: Address[];
  /** addresses as 32-byte words, concatenated. */
  addressWords: Uint8Array;
}

const PUSH1 = 0x60;
const PUSH32 = 0x7f;
const UINT256_MAX = (1n << 256n) - 1n;

/** Every PUSH1..PUSH32 immediate of the code, in code order, skipping the solc metadata trailer. */
export function pushConstants(code: Uint8Array): bigint[] {
  const end = code.length - metadataLength(code);
  const out: bigint[] = [];
  for (let pc = 0; pc < end; pc++) {
    const op = code[pc]!;
    if (op < PUSH1 || op > PUSH32) continue;
    const n = op - PUSH1 + 1;
    let v = 0n;
    // A PUSH cut off by the end of code reads zeros, as the EVM does.
    for (let i = 1; i <= n; i++) v = (v << 8n) | BigInt(pc + i < end ? code[pc + i]! : 0);
    out.push(v);
    pc += n;
  }
  return out;
}

/**
 * Length of solc's CBOR metadata trailer (a map, then its length as 2 bytes), 0 when there is none: its
 * bytes are data, not code, and would only add noise constants.
 */
function metadataLength(code: Uint8Array): number {
  if (code.length < 2) return 0;
  const len = (code[code.length - 2]! << 8) | code[code.length - 1]!;
  const start = code.length - 2 - len;
  return len > 0 && start >= 0 && code[start]! >= 0xa1 && code[start]! <= 0xa5 ? len + 2 : 0;
}

/** 0, 1, 2, 2^n and 2^n-1 at every byte width, 2^255 and its neighbours, 10^k (token amounts). */
export function interestingValues(): bigint[] {
  const out = [0n, 1n, 2n, 3n];
  for (let n = 8n; n <= 256n; n += 8n) out.push(1n << n, (1n << n) - 1n);
  out.push(1n << 255n, (1n << 255n) - 1n, (1n << 255n) + 1n);
  for (let k = 1n; k <= 30n; k++) out.push(10n ** k);
  return out.filter((v) => v <= UINT256_MAX);
}

export function buildDictionary(snapshot: FuzzSnapshot): Dictionary {
  const contracts = [snapshot.target, ...snapshot.callable];
  const constants = contracts.flatMap((c) => pushConstants(snapshot.state.getAccount(c.address)?.code ?? c.artifact.deployedBytecode));
  const values = [...interestingValues(), ...constants.flatMap((c) => [c, c - 1n, c + 1n])];
  return dictionaryOf(values, [...snapshot.senders, snapshot.deployer, ...contracts.map((c) => c.address)]);
}

/** Replaces the values learnt at run time (comparison operands, after the static values) with these. */
export function setLearntValues(dict: Dictionary, learnt: readonly bigint[]): void {
  dict.values.length -= dict.learnt;
  const fixed = dict.values.length;
  dict.values.push(...learnt);
  dict.learnt = learnt.length;
  // The static values' words stay as they are: only the learnt ones are converted (every batch may learn).
  const words = new Uint8Array(dict.values.length * 32);
  words.set(dict.words.subarray(0, fixed * 32));
  learnt.forEach((v, i) => writeBigWord(words, (fixed + i) * 32, v));
  dict.words = words;
}

/** A dictionary of these words (deduplicated, out-of-range ones dropped) and addresses. */
export function dictionaryOf(words: readonly bigint[], addresses: readonly Address[]): Dictionary {
  const values = dedupe(words.filter((v) => v >= 0n && v <= UINT256_MAX));
  const actors = dedupe(addresses);
  return { values, words: packWords(values), learnt: 0, addresses: actors, addressWords: packWords(actors.map((a) => BigInt(a))) };
}

function dedupe<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function packWords(values: readonly bigint[]): Uint8Array {
  const words = new Uint8Array(values.length * 32);
  values.forEach((v, i) => writeBigWord(words, i * 32, v));
  return words;
}
