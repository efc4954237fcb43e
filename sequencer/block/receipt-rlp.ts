// Consensus encoding of a receipt (EIP-2718 typed: type || rlp([status, cumulativeGasUsed, bloom, logs])) and
// the logs bloom, written in one pass into one buffer: lengths first, then bytes, with addresses and topics
// copied from their hex without intermediate arrays. The builder encodes every receipt of every block, and
// the generic RLP encoder's nested arrays and concatenations were most of the block build's time. Checked
// against @ethereumjs/vm's encodeReceipt in test/sequencer/receipt-rlp.test.ts.
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

/** Minimal big-endian bytes of a non-negative integer (empty for 0). */
function uintBytes(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  let hex = v.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
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
  bloom: Uint8Array;
  logs: readonly Log[];
}

/** The receipt's consensus encoding (what the receipts trie holds). */
export function encodeReceipt(r: ReceiptFields): Uint8Array {
  const gas = uintBytes(r.cumulativeGasUsed);
  const logSizes = r.logs.map((l) => {
    const topics = 33 * l.topics.length;
    const payload = 21 + prefixLen(topics) + topics + stringSize(l.data.length, l.data[0]);
    return { topics, payload };
  });
  let logsPayload = 0;
  for (const s of logSizes) logsPayload += prefixLen(s.payload) + s.payload;
  // Status is one byte either way: 0x01, or 0x80 (the empty string) for a failure.
  const payload = 1 + stringSize(gas.length, gas[0]) + 259 + prefixLen(logsPayload) + logsPayload;
  const typed = r.type !== 0 ? 1 : 0;
  const out = Buffer.allocUnsafe(typed + prefixLen(payload) + payload);
  let at = 0;
  if (typed) out[at++] = r.type;
  at = writePrefix(out, at, payload, 0xc0);
  out[at++] = r.success ? 0x01 : 0x80;
  at = writeString(out, at, gas);
  at = writePrefix(out, at, 256, 0x80);
  out.set(r.bloom, at);
  at += 256;
  at = writePrefix(out, at, logsPayload, 0xc0);
  r.logs.forEach((l, i) => {
    at = writePrefix(out, at, logSizes[i].payload, 0xc0);
    at = writeHexString(out, at, l.address, 20);
    at = writePrefix(out, at, logSizes[i].topics, 0xc0);
    for (const t of l.topics) at = writeHexString(out, at, t, 32);
    at = writeString(out, at, l.data);
  });
  if (at !== out.length) throw new Error(`receipt encoding wrote ${at} of ${out.length} bytes`);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
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
