// Consensus encoding of a block's receipts (EIP-2718 typed: type || rlp([status, cumulativeGasUsed, bloom,
// logs])) into one buffer: lengths first, then bytes, with addresses and topics copied from their hex without
// intermediate arrays; and the logs bloom. The builder encodes every receipt of every block, and the generic
// RLP encoder's nested arrays and concatenations were most of the block build's time. Checked against
// @ethereumjs/vm's encodeReceipt and Bloom in test/sequencer/receipt-rlp.test.ts.
import type { Log } from '../executor/types.js';
import { keccak256Many } from '../primitives/keccak.js';
import type { Hex } from '../primitives/types.js';

/** Bytes of an RLP length prefix for a payload of `len` (string or list alike). */
function prefixLen(len: number): number {
  if (len <= 55) return 1;
  let n = 0;
  for (let x = len; x > 0; x = Math.floor(x / 256)) n++;
  return 1 + n;
}

/** Writes an RLP prefix (0x80 strings, 0xc0 lists) at `at`; returns the offset after it. */
function writePrefix(out: Uint8Array, at: number, len: number, base: 0x80 | 0xc0): number {
  if (len <= 55) {
    out[at] = base + len;
    return at + 1;
  }
  const n = prefixLen(len) - 1;
  out[at] = base + 55 + n;
  for (let i = n; i >= 1; i--, len = Math.floor(len / 256)) out[at + i] = len & 0xff;
  return at + 1 + n;
}

/** Bytes of the minimal big-endian form of a non-negative integer (0 for 0). */
function uintLen(v: bigint): number {
  let n = 0;
  for (; v > 0n; v >>= 8n) n++;
  return n;
}

function writeUint(out: Uint8Array, at: number, v: bigint, len: number): void {
  for (let i = len - 1; i >= 0; i--, v >>= 8n) out[at + i] = Number(v & 0xffn);
}

/** Encoded size of a byte string of `len` bytes whose first byte is `first`. */
function stringSize(len: number, first: number): number {
  return len === 1 && first < 0x80 ? 1 : prefixLen(len) + len;
}

function writeString(out: Uint8Array, at: number, bytes: Uint8Array): number {
  if (bytes.length === 1 && bytes[0] < 0x80) {
    out[at] = bytes[0];
    return at + 1;
  }
  at = writePrefix(out, at, bytes.length, 0x80);
  out.set(bytes, at);
  return at + bytes.length;
}

/** A fixed-size hex value (20-byte address, 32-byte topic) as an RLP string. */
function writeHexString(out: Buffer, at: number, hex: Hex, len: 20 | 32): number {
  out[at] = 0x80 + len;
  out.write(hex.slice(2), at + 1, len, 'hex');
  return at + 1 + len;
}

export interface ReceiptFields {
  /** EIP-2718 type of the transaction (0: untyped). */
  type: number;
  success: boolean;
  cumulativeGasUsed: bigint;
  logs: readonly Log[];
}

/** A block's receipts packed back to back (receipt i is data[offsets[i] .. offsets[i + 1])). */
export interface EncodedReceipts {
  data: Buffer;
  offsets: Uint32Array;
  /** Where each receipt's 256-byte logs bloom starts in data: left zero, for the receipts root to fill. */
  bloomAt: Uint32Array;
}

/**
 * The consensus encodings of a block's receipts (what the receipts trie holds) in one buffer, blooms zero:
 * sizes first, then one allocation and one writing pass.
 */
export function encodeReceipts(receipts: readonly ReceiptFields[]): EncodedReceipts {
  const count = receipts.length;
  const offsets = new Uint32Array(count + 1);
  const bloomAt = new Uint32Array(count);
  const payloads = new Float64Array(count);
  const logsPayloads = new Float64Array(count);
  const gasLens = new Uint8Array(count);
  // Per log, in block order: the log's payload and its topics list's payload.
  const logPayloads: number[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const r = receipts[i];
    let logsPayload = 0;
    for (const l of r.logs) {
      const topics = 33 * l.topics.length;
      const payload = 21 + prefixLen(topics) + topics + stringSize(l.data.length, l.data[0]);
      logPayloads.push(payload);
      logsPayload += prefixLen(payload) + payload;
    }
    const gasLen = uintLen(r.cumulativeGasUsed);
    gasLens[i] = gasLen;
    const gasSize = gasLen === 1 && r.cumulativeGasUsed < 0x80n ? 1 : 1 + gasLen;
    // Status is one byte either way: 0x01, or 0x80 (the empty string) for a failure.
    const payload = 1 + gasSize + 259 + prefixLen(logsPayload) + logsPayload;
    payloads[i] = payload;
    logsPayloads[i] = logsPayload;
    total += (r.type !== 0 ? 1 : 0) + prefixLen(payload) + payload;
    offsets[i + 1] = total;
  }
  const out = Buffer.alloc(total);
  let at = 0;
  let logIndex = 0;
  for (let i = 0; i < count; i++) {
    const r = receipts[i];
    if (r.type !== 0) out[at++] = r.type;
    at = writePrefix(out, at, payloads[i], 0xc0);
    out[at++] = r.success ? 0x01 : 0x80;
    const gasLen = gasLens[i];
    if (gasLen === 1 && r.cumulativeGasUsed < 0x80n) out[at++] = Number(r.cumulativeGasUsed);
    else {
      out[at++] = 0x80 + gasLen;
      writeUint(out, at, r.cumulativeGasUsed, gasLen);
      at += gasLen;
    }
    at = writePrefix(out, at, 256, 0x80);
    bloomAt[i] = at;
    at += 256;
    at = writePrefix(out, at, logsPayloads[i], 0xc0);
    for (const l of r.logs) {
      const payload = logPayloads[logIndex++];
      at = writePrefix(out, at, payload, 0xc0);
      at = writeHexString(out, at, l.address, 20);
      at = writePrefix(out, at, 33 * l.topics.length, 0xc0);
      for (const t of l.topics) at = writeHexString(out, at, t, 32);
      at = writeString(out, at, l.data);
    }
    if (at !== offsets[i + 1]) throw new Error(`receipt ${i}: encoding wrote ${at - offsets[i]} of ${offsets[i + 1] - offsets[i]} bytes`);
  }
  return { data: out, offsets, bloomAt };
}

/**
 * Logs blooms (yellow paper M3:2048) with the keccak of each distinct address or topic computed once, in one
 * native batch per block (prepare): a block's logs repeat the same contract and event signature in most
 * entries. One per block being built.
 */
export class BloomHasher {
  private readonly bits = new Map<Hex, [number, number, number]>();

  /** Hashes, in one batch, every address and topic of `logs` not seen yet (call before bloom() for a block). */
  prepare(logs: readonly Log[]): void {
    const missing = new Set<Hex>();
    for (const l of logs) {
      if (!this.bits.has(l.address)) missing.add(l.address);
      for (const t of l.topics) if (!this.bits.has(t)) missing.add(t);
    }
    const items = [...missing];
    keccak256Many(items.map((x) => Buffer.from(x.slice(2), 'hex'))).forEach((h, i) => {
      this.bits.set(items[i], [((h[0] << 8) | h[1]) & 2047, ((h[2] << 8) | h[3]) & 2047, ((h[4] << 8) | h[5]) & 2047]);
    });
  }

  private add(into: Uint8Array, item: Hex): void {
    let bits = this.bits.get(item);
    if (bits === undefined) {
      this.prepare([{ address: item, topics: [], data: new Uint8Array(0) }]);
      bits = this.bits.get(item)!;
    }
    for (const bit of bits) into[255 - (bit >> 3)] |= 1 << (bit & 7);
  }

  /** The bloom of `logs`, OR-ed into `into` (a fresh one by default). */
  bloom(logs: readonly Log[], into: Uint8Array = new Uint8Array(256)): Uint8Array {
    for (const l of logs) {
      this.add(into, l.address);
      for (const t of l.topics) this.add(into, t);
    }
    return into;
  }
}
