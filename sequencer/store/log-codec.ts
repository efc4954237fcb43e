// A receipt's logs as one byte string (the `logs` column of block_txs): one value per transaction instead of
// one row per log with four secondary indexes. Layout, all integers little-endian:
//   count u32, then per log: log index u32, address (20 bytes), topic count u8, topics (32 bytes each),
//   data length u32, data.
// Hex comes back lowercase.
import type { Address, Hex } from '../primitives/types.js';
import type { LogFilterBuilder } from './log-filter.js';
import type { StoredLog } from './store.js';

const ADDRESS = 20;
const WORD = 32;

/** Bytes of a 0x-prefixed hex string of `size` bytes, written at `at`; throws naming `what` if it is not that. */
function putHex(out: Buffer, at: number, hex: string, size: number, what: string): void {
  if (hex.length !== 2 + 2 * size || out.write(hex.slice(2), at, size, 'hex') !== size) {
    throw new RangeError(`${what} must be ${size} bytes of 0x-hex, got ${hex}`);
  }
}

/** The logs encoded, or null when there are none (no bytes stored); their addresses and topics go into `filter`. */
export function encodeLogs(logs: readonly StoredLog[], filter: LogFilterBuilder): Buffer | null {
  if (logs.length === 0) return null;
  let size = 4;
  for (const l of logs) size += 4 + ADDRESS + 1 + WORD * l.topics.length + 4 + l.data.byteLength;
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32LE(logs.length, 0);
  let at = 4;
  for (const l of logs) {
    if (l.topics.length > 4) throw new RangeError(`log ${l.logIndex} has ${l.topics.length} topics (at most 4)`);
    out.writeUInt32LE(l.logIndex, at);
    putHex(out, at + 4, l.address, ADDRESS, `log ${l.logIndex} address`);
    filter.add(out, at + 4, at + 4 + ADDRESS);
    at += 4 + ADDRESS;
    out[at++] = l.topics.length;
    for (const t of l.topics) {
      putHex(out, at, t, WORD, `log ${l.logIndex} topic`);
      filter.add(out, at, at + WORD);
      at += WORD;
    }
    out.writeUInt32LE(l.data.byteLength, at);
    out.set(l.data, at + 4);
    at += 4 + l.data.byteLength;
  }
  return out;
}

const hexOf = (b: Buffer, from: number, to: number): string => `0x${b.toString('hex', from, to)}`;

/** Inverse of encodeLogs (null or empty: no logs); throws on a truncated value. */
export function decodeLogs(bytes: Uint8Array | null): StoredLog[] {
  if (bytes === null || bytes.byteLength === 0) return [];
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = b.readUInt32LE(0);
  const logs: StoredLog[] = new Array(count);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const logIndex = b.readUInt32LE(at);
    const address = hexOf(b, at + 4, at + 4 + ADDRESS) as Address;
    at += 4 + ADDRESS;
    const n = b[at++];
    const topics: Hex[] = new Array(n);
    for (let t = 0; t < n; t++, at += WORD) topics[t] = hexOf(b, at, at + WORD) as Hex;
    const length = b.readUInt32LE(at);
    at += 4;
    if (at + length > b.length) throw new RangeError(`encoded logs truncated in log ${logIndex} (${b.length} bytes)`);
    // A copy: the caller may keep the log after the row's buffer is reused.
    const data = new Uint8Array(length);
    data.set(b.subarray(at, at + length));
    logs[i] = { address, topics, data, logIndex };
    at += length;
  }
  return logs;
}
