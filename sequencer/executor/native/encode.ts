// Flat little-endian buffers for the native EVM (no JSON on the hot path): the state snapshot, the block
// environment, the transactions, and the decoding of per-transaction result records
// (kernels/evm/result.h documents the record layout).
import { FORK_IDS, type ForkName } from '../../chain/forks.js';
import type { Address, Hex } from '../../primitives/types.js';
import { hashCode, type AccountInfo } from '../../state/world-state.js';
import { withChangeRecord } from '../../state/change-record.js';
import type { AccountChange, BlockEnv, ExecTx, Log } from '../types.js';

// Hex digit values by char code (-1: not a hex digit).
const HEX_DIGIT = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) t[97 + i] = t[65 + i] = 10 + i;
  return t;
})();
const hexDigit = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? HEX_DIGIT[c] : -1;
};

const MAX_U64 = (1n << 64n) - 1n;
const MAX_U256 = (1n << 256n) - 1n;

export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  n = 0;
  constructor(initial = 1 << 12) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }
  private ensure(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.n));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.n++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.n, v, true);
    this.n += 4;
  }
  u64(v: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.n, v, true);
    this.n += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  hex(h: string, len: number): void {
    const digits = h.length - 2;
    if (!h.startsWith('0x') || digits > 2 * len) throw new RangeError(`expected ${len} bytes, got ${h}`);
    this.ensure(len);
    if (!this.putHex(h, 2, len)) throw new RangeError(`not hex: ${h}`);
    this.n += len;
  }
  /** A 256-bit word, big-endian, as four 64-bit limbs (a third of the time of its hex digits). */
  word(v: bigint): void {
    if (v < 0n || v > MAX_U256) throw new RangeError(`not a 256-bit word: ${v}`);
    this.ensure(32);
    const o = this.n;
    if (v <= MAX_U64) {
      this.view.setBigUint64(o, 0n);
      this.view.setBigUint64(o + 8, 0n);
      this.view.setBigUint64(o + 16, 0n);
      this.view.setBigUint64(o + 24, v);
    } else {
      this.view.setBigUint64(o, v >> 192n);
      this.view.setBigUint64(o + 8, BigInt.asUintN(64, v >> 128n));
      this.view.setBigUint64(o + 16, BigInt.asUintN(64, v >> 64n));
      this.view.setBigUint64(o + 24, BigInt.asUintN(64, v));
    }
    this.n += 32;
  }
  /**
   * The digits s[from..] as `len` bytes at the write position, right-aligned (shorter hex, odd length
   * included, is zero-padded on the left); false when a digit is not hex. Digit by digit: the encoders
   * write thousands of addresses and words per block, and a Buffer per value costs more than the digits.
   */
  private putHex(s: string, from: number, len: number): boolean {
    let o = this.n + len - 1;
    let i = s.length - 1;
    for (; i > from; i -= 2, o--) {
      const lo = hexDigit(s, i);
      const hi = hexDigit(s, i - 1);
      if ((lo | hi) < 0) return false;
      this.buf[o] = (hi << 4) | lo;
    }
    if (i === from) {
      const lo = hexDigit(s, i);
      if (lo < 0) return false;
      this.buf[o--] = lo;
    }
    this.buf.fill(0, this.n, o + 1);
    return true;
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

export function encodeState(entries: Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]>): Uint8Array {
  const w = new ByteWriter(1 << 16);
  const list = [...entries];
  w.u32(list.length);
  for (const [addr, a] of list) {
    w.hex(addr, 20);
    if (a.nonce >= 1n << 64n) throw new RangeError(`nonce of ${addr} does not fit 64 bits`);
    w.u64(a.nonce);
    w.word(a.balance);
    w.hex(a.codeHash, 32);
    w.u32(a.code.length);
    w.bytes(a.code);
    w.u32(a.storage.size);
    for (const [slot, value] of a.storage) {
      w.hex(slot, 32);
      w.word(value);
    }
  }
  return w.done();
}

/** Account changes for an in-place mirror update (native/evm/evm_host.cc, update_state_mirror). */
export function encodeChanges(batches: Iterable<readonly AccountChange[]>): Uint8Array {
  const w = new ByteWriter(1 << 12);
  const count = w.n;
  w.u32(0);
  let n = 0;
  for (const changes of batches) {
    for (const c of changes) {
      n++;
      w.hex(c.address, 20);
      w.u8((c.deleted ? 1 : 0) | (c.code !== undefined && !c.deleted ? 2 : 0) | (c.storageReset ? 4 : 0));
      if (c.nonce >= 1n << 64n) throw new RangeError(`nonce of ${c.address} does not fit 64 bits`);
      w.u64(c.deleted ? 0n : c.nonce);
      w.word(c.deleted ? 0n : c.balance);
      if (c.code !== undefined && !c.deleted) {
        w.hex(hashCode(c.code), 32);
        w.u32(c.code.length);
        w.bytes(c.code);
      }
      w.u32(c.deleted ? 0 : c.storage.size);
      if (!c.deleted) {
        for (const [slot, value] of c.storage) {
          w.hex(slot, 32);
          w.word(value);
        }
      }
    }
  }
  w.view.setUint32(count, n, true);
  return w.done();
}

const clamp = (v: bigint | undefined): bigint => (v === undefined ? 0n : v > MAX_U256 ? MAX_U256 : v);

export function encodeEnv(env: BlockEnv, fork: ForkName, blobBaseFee: bigint): Uint8Array {
  const w = new ByteWriter(512 + 32 * env.recentBlockHashes.length);
  w.u8(FORK_IDS[fork]);
  w.word(env.chainId);
  w.word(env.number);
  w.word(env.timestamp);
  w.word(env.gasLimit);
  w.word(env.baseFee);
  w.hex(env.prevRandao.length === 66 ? env.prevRandao : `0x${BigInt(env.prevRandao).toString(16).padStart(64, '0')}`, 32);
  w.word(blobBaseFee);
  w.hex(env.coinbase, 20);
  const hashes = env.recentBlockHashes.slice(0, 256);
  w.u32(hashes.length);
  for (const h of hashes) w.hex(h, 32);
  return w.done();
}

/** `calls`: the transactions are simulated calls (eth_call rules: no EIP-3607 check, no block gas limit). */
export function encodeTxs(txs: readonly ExecTx[], opts: { calls?: boolean } = {}): Uint8Array {
  const w = new ByteWriter(1 << 12);
  w.u32(txs.length);
  for (const tx of txs) {
    w.u8(tx.type);
    w.u8(tx.to === null ? 0 : 1);
    w.u8(opts.calls ? 1 : 0);
    w.hex(tx.from, 20);
    if (tx.to === null) w.bytes(new Uint8Array(20));
    else w.hex(tx.to, 20);
    w.word(clamp(tx.nonce));
    w.word(clamp(tx.gasLimit));
    w.word(clamp(tx.value));
    w.word(clamp(tx.gasPrice));
    w.word(clamp(tx.maxFeePerGas));
    w.word(clamp(tx.maxPriorityFeePerGas));
    w.word(clamp(tx.maxFeePerBlobGas));
    w.u32(tx.data.length);
    w.bytes(tx.data);
    w.u32(tx.accessList.length);
    for (const item of tx.accessList) {
      w.hex(item.address, 20);
      w.u32(item.storageKeys.length);
      for (const k of item.storageKeys) w.hex(`0x${BigInt(k).toString(16).padStart(64, '0')}`, 32);
    }
    const blobs = tx.blobVersionedHashes ?? [];
    w.u32(blobs.length);
    for (const h of blobs) w.hex(h, 32);
    // EIP-7702 tuples (kernels/evm/context.h, AuthK); values past 256 bits cannot be valid and are clamped.
    const auths = tx.authorizationList ?? [];
    w.u32(auths.length);
    for (const a of auths) {
      w.word(clamp(a.chainId));
      w.hex(a.address, 20);
      w.word(clamp(a.nonce));
      w.word(clamp(a.yParity));
      w.word(clamp(a.r));
      w.word(clamp(a.s));
    }
  }
  return w.done();
}

export interface DecodedChange {
  address: Address;
  deleted: boolean;
  hasCode: boolean;
  storageReset: boolean;
  nonce: bigint;
  balance: bigint;
  code?: Uint8Array;
  storage: Map<Hex, bigint>;
}

export interface DecodedResult {
  outcome: number;
  status: number;
  error: number;
  readsCoinbase: boolean;
  created: boolean;
  createdAddress: Address;
  gasUsed: bigint;
  /** The refund applied (gasUsed is net of it). */
  gasRefund: bigint;
  blobGasUsed: bigint;
  coinbaseCredit: bigint;
  output: Uint8Array;
  logs: Log[];
  changes: DecodedChange[];
  /** State keys read (executor/types.ts AccessKey format). */
  reads: Set<string>;
}

export class ByteReader {
  off = 0;
  readonly view: DataView;
  readonly b: Buffer;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    return this.buf[this.off++];
  }
  u32(): number {
    const v = this.view.getUint32(this.off, true);
    this.off += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.off, true);
    this.off += 4;
    return v;
  }
  u64(): bigint {
    const v = this.view.getBigUint64(this.off, true);
    this.off += 8;
    return v;
  }
  bytes(n: number): Uint8Array {
    return this.span(n).slice();
  }
  /** The next n bytes without a copy (they keep the whole buffer alive). */
  span(n: number): Uint8Array {
    if (this.off + n > this.buf.length) throw new RangeError('native EVM result truncated');
    const b = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
  hex(n: number): Hex {
    if (this.off + n > this.buf.length) throw new RangeError('native EVM result truncated');
    const h = `0x${this.b.toString('hex', this.off, this.off + n)}` as Hex;
    this.off += n;
    return h;
  }
  /** A big-endian 256-bit word from its 64-bit limbs (a third of the time of parsing its hex). */
  word(): bigint {
    const o = this.off;
    if (o + 32 > this.buf.length) throw new RangeError('native EVM result truncated');
    this.off += 32;
    const v = this.view;
    const lo = v.getBigUint64(o + 24);
    if ((v.getUint32(o) | v.getUint32(o + 4) | v.getUint32(o + 8) | v.getUint32(o + 12) | v.getUint32(o + 16) | v.getUint32(o + 20)) === 0) return lo;
    const mid = (v.getBigUint64(o + 16) << 64n) | lo;
    if ((v.getUint32(o) | v.getUint32(o + 4) | v.getUint32(o + 8) | v.getUint32(o + 12)) === 0) return mid;
    return (v.getBigUint64(o) << 192n) | (v.getBigUint64(o + 8) << 128n) | mid;
  }
}

/**
 * Splits the batch buffer (u32 count, then u32 length + record per transaction) and decodes each record;
 * undefined for an empty record (a chain's transaction that did not run).
 */
export function decodeResults(buf: Uint8Array): (DecodedResult | undefined)[] {
  const r = new ByteReader(buf);
  const n = r.u32();
  const out: (DecodedResult | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const len = r.u32();
    if (len === 0) {
      out.push(undefined);
      continue;
    }
    const end = r.off + len;
    // One reader for the whole buffer (a DataView and a Buffer per record cost more than the record's fields).
    out.push(decodeRecord(r));
    if (r.off > end) throw new RangeError(`native EVM result ${i} truncated`);
    r.off = end;
  }
  return out;
}

const ZERO_ADDRESS = `0x${'00'.repeat(20)}` as Address;

function decodeRecord(r: ByteReader): DecodedResult {
  const outcome = r.u8();
  const status = r.u8();
  const error = r.u8();
  const readsCoinbase = r.u8() === 1;
  const created = r.u8() === 1;
  // Only a creation has an address worth a string.
  const createdAddress = created ? r.hex(20) : ((r.off += 20), ZERO_ADDRESS);
  const gasUsed = r.u64();
  const blobGasUsed = r.u64();
  const coinbaseCredit = r.word();
  const output = r.bytes(r.u32());
  const logs: Log[] = [];
  for (let n = r.u32(); n > 0; n--) {
    const address = r.hex(20);
    const topics: Hex[] = [];
    for (let t = r.u32(); t > 0; t--) topics.push(r.hex(32));
    const data = r.bytes(r.u32());
    logs.push({ address, topics, data });
  }
  const changes: DecodedChange[] = [];
  const changesStart = r.off;
  for (let n = r.u32(); n > 0; n--) {
    const address = r.hex(20);
    const flags = r.u8();
    const nonce = r.u64();
    const balance = r.word();
    const hasCode = (flags & 2) !== 0;
    const code = hasCode ? r.bytes(r.u32()) : undefined;
    changes.push({ address, deleted: (flags & 1) !== 0, hasCode, storageReset: (flags & 4) !== 0, nonce, balance, code, storage: new Map() });
  }
  for (let n = r.u32(); n > 0; n--) {
    const idx = r.u32();
    const key = r.hex(32);
    const value = r.word();
    changes[idx].storage.set(key, value);
  }
  // The state trie reads these sections as they are when the block commits.
  withChangeRecord(changes, { bytes: r.buf, start: changesStart, end: r.off });
  const reads = new Set<string>();
  for (let n = r.u32(); n > 0; n--) {
    const kind = String.fromCharCode(r.u8());
    const address = r.hex(20);
    reads.add(kind === 's' ? `s:${address}:${r.hex(32)}` : `${kind}:${address}`);
  }
  const gasRefund = r.u64();
  return { outcome, status, error, readsCoinbase, created, createdAddress, gasUsed, gasRefund, blobGasUsed, coinbaseCredit, output, logs, changes, reads };
}
