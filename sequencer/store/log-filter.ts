// A per-block membership filter over the addresses and topics of the block's logs (the `filter` column of
// log_filters): eth_getLogs reads a range's filters and decodes only the blocks that may match, as clients
// do with the header's logs bloom. It is our own Bloom filter, not the header's: sized to the block (16 bits
// per item, 3 probes, ~0.5% false positives at any block size, where the 2048-bit header bloom saturates on
// large blocks) and probed with a cheap hash of the bytes (FNV-1a) instead of keccak on the write path.
// A false positive only costs decoding that block; the exact match follows.
import type { Hex } from '../primitives/types.js';

const PROBES = 3;
const BITS_PER_ITEM = 16;
const MIN_BITS = 256;

/** FNV-1a over the bytes (the probes are derived from it). */
function fnv1a(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

/** Second probe stride: murmur3's finalizer of the first hash, odd so that the probes differ. */
function stride(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h | 1) >>> 0;
}

/** Collects a block's items, then makes its filter. */
export class LogFilterBuilder {
  private readonly hashes: number[] = [];

  /** Adds the item at b[from, to) (an address or a topic). */
  add(b: Uint8Array, from: number, to: number): void {
    this.hashes.push(fnv1a(b, from, to));
  }

  /** The filter's bytes, or null when no item was added. */
  finish(): Buffer | null {
    if (this.hashes.length === 0) return null;
    let bits = MIN_BITS;
    while (bits < this.hashes.length * BITS_PER_ITEM) bits *= 2;
    const out = Buffer.alloc(bits / 8);
    for (const h of this.hashes) setProbes(out, h, bits - 1);
    return out;
  }
}

function setProbes(out: Uint8Array, h: number, mask: number): void {
  const s = stride(h);
  for (let i = 0; i < PROBES; i++) {
    const bit = (h + i * s) & mask;
    out[bit >>> 3] |= 1 << (bit & 7);
  }
}

function hasProbes(filter: Uint8Array, h: number): boolean {
  const mask = filter.length * 8 - 1;
  const s = stride(h);
  for (let i = 0; i < PROBES; i++) {
    const bit = (h + i * s) & mask;
    if ((filter[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}

const hashOfHex = (hex: Hex | string): number => {
  const b = Buffer.from(hex.slice(2), 'hex');
  return fnv1a(b, 0, b.length);
};

/** An eth_getLogs condition as filter probes: every group must have a member in the block (empty: no condition). */
export class LogFilterQuery {
  private readonly groups: number[][];

  constructor(addresses: readonly string[] | undefined, topics: readonly (readonly string[] | null)[] | undefined) {
    this.groups = [addresses, ...(topics ?? [])].filter((g): g is readonly string[] => g !== undefined && g !== null && g.length > 0).map((g) => g.map(hashOfHex));
  }

  /** Whether every block must be decoded anyway (no address or topic condition). */
  get matchesAll(): boolean {
    return this.groups.length === 0;
  }

  /** False when the block surely has no matching log. */
  mayMatch(filter: Uint8Array): boolean {
    return this.groups.every((g) => g.some((h) => hasProbes(filter, h)));
  }
}
