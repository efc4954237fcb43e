// A fast ABI codec for call generation. Types are parsed once per function into AbiType trees; encoding is a
// single pass over one growable scratch buffer, pulling leaf words and lengths from a Producer (random values
// while generating, a value tree while shrinking and in tests), so random calldata is written straight into
// bytes without building values first. Decoding turns calldata back into viem-style values for mutation,
// shrinking and printing.
import { toFunctionSelector, type AbiFunction, type AbiParameter } from 'viem';
import { bytesToHex, hexToU8 } from '../primitives/types.js';
import { FuzzError } from './types.js';

interface TypeBase {
  /** Canonical type string as in function signatures: uint256, (address,bytes)[2], ... */
  canonical: string;
  /** Dynamic types sit in the tail and take one offset word in the head. */
  dynamic: boolean;
  /** Bytes the type takes in a head: its full encoding when static, 32 (the offset) when dynamic. */
  headSize: number;
}

export type IntType = TypeBase & { kind: 'uint' | 'int'; bits: number };
export type WordType =
  | IntType
  | (TypeBase & { kind: 'address' })
  | (TypeBase & { kind: 'bool' })
  | (TypeBase & { kind: 'fixedBytes'; size: number });
export type BytesType = TypeBase & { kind: 'bytes' | 'string' };
export type ArrayType = TypeBase & { kind: 'array'; element: AbiType; /** null: dynamic length (T[]) */ length: number | null };
export type TupleType = TypeBase & { kind: 'tuple'; components: AbiType[] };
export type AbiType = WordType | BytesType | ArrayType | TupleType;

/** A leaf value as viem writes it: bigint (u/int), lowercase hex (address, bytesN, bytes), boolean, string. */
export type AbiValue = bigint | boolean | string | readonly AbiValue[];

function parseAbiType(param: AbiParameter): AbiType {
  return parseTypeString(param.type, param);
}

function parseTypeString(type: string, param: AbiParameter): AbiType {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    const element = parseTypeString(array[1]!, param);
    const length = array[2] === '' ? null : Number(array[2]);
    const dynamic = length === null || element.dynamic;
    return {
      kind: 'array',
      element,
      length,
      canonical: `${element.canonical}[${array[2]}]`,
      dynamic,
      headSize: dynamic ? 32 : element.headSize * length!,
    };
  }
  if (type === 'tuple') {
    const components = ((param as { components?: readonly AbiParameter[] }).components ?? []).map(parseAbiType);
    const dynamic = components.some((c) => c.dynamic);
    return {
      kind: 'tuple',
      components,
      canonical: `(${components.map((c) => c.canonical).join(',')})`,
      dynamic,
      headSize: dynamic ? 32 : components.reduce((n, c) => n + c.headSize, 0),
    };
  }
  const word = { canonical: type, dynamic: false, headSize: 32 };
  if (type === 'address') return { kind: 'address', ...word };
  if (type === 'bool') return { kind: 'bool', ...word };
  if (type === 'bytes' || type === 'string') return { kind: type, canonical: type, dynamic: true, headSize: 32 };
  const int = /^(u?)int(\d*)$/.exec(type);
  if (int !== null) {
    const bits = int[2] === '' ? 256 : Number(int[2]);
    if (bits % 8 !== 0 || bits < 8 || bits > 256) throw new FuzzError(`unsupported ABI type ${type}`);
    return { kind: int[1] === 'u' ? 'uint' : 'int', bits, ...word, canonical: `${int[1]}int${bits}` };
  }
  const fixed = /^bytes(\d+)$/.exec(type);
  if (fixed !== null && Number(fixed[1]) >= 1 && Number(fixed[1]) <= 32) return { kind: 'fixedBytes', size: Number(fixed[1]), ...word };
  throw new FuzzError(`unsupported ABI type ${type}`);
}

/** What the encoder pulls values from, in depth-first order of the type tree. */
export interface Producer {
  /** Writes the 32-byte word of a static leaf at buf[off..off+32). */
  word(type: WordType, buf: Uint8Array, off: number): void;
  /** Element count of a dynamic array, or byte length of bytes/string (followed by content for those). */
  length(type: ArrayType | BytesType): number;
  /** Writes the len content bytes of a bytes/string value at buf[off..off+len). */
  content(type: BytesType, buf: Uint8Array, off: number, len: number): void;
}

/** Calldata is carved out of slabs this big: one ArrayBuffer per few hundred calls instead of one each. */
const SLAB = 16 * 1024;

/**
 * Encodes into a growable scratch buffer shared by every call; the finished calldata is copied into a view
 * of a shared slab (allocating a separate ArrayBuffer per call costs more than encoding it).
 */
export class Encoder {
  private buf = new Uint8Array(1024);
  private slab = new ArrayBuffer(SLAB);
  private slabUsed = 0;

  /** selector ++ abi.encode(params...), with values from the producer. */
  calldata(selector: Uint8Array, params: readonly AbiType[], p: Producer): Uint8Array {
    this.ensure(selector.length);
    for (let i = 0; i < selector.length; i++) this.buf[i] = selector[i]!;
    const end = this.sequence(params, null, params.length, selector.length, p);
    return this.copyOut(end);
  }

  private copyOut(len: number): Uint8Array {
    if (len > SLAB / 4) return this.buf.slice(0, len);
    if (this.slabUsed + len > SLAB) {
      this.slab = new ArrayBuffer(SLAB);
      this.slabUsed = 0;
    }
    const out = new Uint8Array(this.slab, this.slabUsed, len);
    out.set(this.buf.subarray(0, len));
    this.slabUsed += len;
    return out;
  }

  private ensure(end: number): void {
    if (end <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(end, this.buf.length * 2));
    bigger.set(this.buf);
    this.buf = bigger;
  }

  /** Encodes n values as a tuple at start (types[i], or element for all): heads first, tails appended. */
  private sequence(types: readonly AbiType[] | null, element: AbiType | null, n: number, start: number, p: Producer): number {
    let headSize = 0;
    for (let i = 0; i < n; i++) headSize += (types === null ? element! : types[i]!).headSize;
    let head = start;
    let tail = start + headSize;
    this.ensure(tail);
    for (let i = 0; i < n; i++) {
      const t = types === null ? element! : types[i]!;
      if (t.dynamic) {
        writeSmallWord(this.buf, head, tail - start);
        tail = this.value(t, tail, p);
      } else {
        this.value(t, head, p);
      }
      head += t.headSize;
    }
    return tail;
  }

  /** Encodes one value at pos (room for a static value is already ensured); returns where it ends. */
  private value(t: AbiType, pos: number, p: Producer): number {
    switch (t.kind) {
      case 'array': {
        if (t.length !== null) return this.sequence(null, t.element, t.length, pos, p);
        const n = p.length(t);
        this.ensure(pos + 32);
        writeSmallWord(this.buf, pos, n);
        return this.sequence(null, t.element, n, pos + 32, p);
      }
      case 'tuple':
        return this.sequence(t.components, null, t.components.length, pos, p);
      case 'bytes':
      case 'string': {
        const len = p.length(t);
        const end = pos + 32 + padded(len);
        this.ensure(end);
        writeSmallWord(this.buf, pos, len);
        p.content(t, this.buf, pos + 32, len);
        this.buf.fill(0, pos + 32 + len, end);
        return end;
      }
      default:
        p.word(t, this.buf, pos);
        return pos + 32;
    }
  }
}

/** Writes a non-negative safe integer as a 32-byte big-endian word. */
export function writeSmallWord(buf: Uint8Array, pos: number, n: number): void {
  buf.fill(0, pos, pos + 24);
  const hi = Math.floor(n / 2 ** 32);
  for (let i = 0; i < 4; i++) buf[pos + 27 - i] = (hi >>> (8 * i)) & 0xff;
  for (let i = 0; i < 4; i++) buf[pos + 31 - i] = (n >>> (8 * i)) & 0xff;
}

function padded(len: number): number {
  return Math.ceil(len / 32) * 32;
}

/**
 * Forces an arbitrary 32-byte word at buf[off] into a valid encoding of its type: truncates u/int to their
 * width (sign-extending int), addresses to 160 bits, bools to their low bit, bytesN to their first N bytes.
 */
export function fitWord(t: WordType, buf: Uint8Array, off: number): void {
  switch (t.kind) {
    case 'uint':
      buf.fill(0, off, off + 32 - t.bits / 8);
      return;
    case 'int':
      buf.fill(buf[off + 32 - t.bits / 8]! & 0x80 ? 0xff : 0, off, off + 32 - t.bits / 8);
      return;
    case 'address':
      buf.fill(0, off, off + 12);
      return;
    case 'bool':
      buf[off + 31]! &= 1;
      buf.fill(0, off, off + 31);
      return;
    case 'fixedBytes':
      buf.fill(0, off + t.size, off + 32);
  }
}

/** Replays a value tree (viem-style values) as a Producer, so value encoding shares the generation encoder. */
export class ValueProducer implements Producer {
  private readonly tape: (AbiValue | number | Uint8Array)[] = [];
  private next = 0;

  constructor(types: readonly AbiType[], values: readonly AbiValue[]) {
    if (values.length !== types.length) throw new FuzzError(`expected ${types.length} ABI values, got ${values.length}`);
    types.forEach((t, i) => this.flatten(t, values[i]!));
  }

  private flatten(t: AbiType, v: AbiValue): void {
    switch (t.kind) {
      case 'array':
      case 'tuple': {
        const items = v as readonly AbiValue[];
        const n = t.kind === 'tuple' ? t.components.length : t.length;
        if (!Array.isArray(items) || (n !== null && items.length !== n)) throw new FuzzError(`${t.canonical}: bad value ${String(v)}`);
        if (t.kind === 'array' && t.length === null) this.tape.push(items.length);
        items.forEach((item, i) => this.flatten(t.kind === 'tuple' ? t.components[i]! : t.element, item));
        return;
      }
      case 'bytes':
        this.tape.push(hexToU8(v as string));
        return;
      case 'string':
        this.tape.push(new TextEncoder().encode(v as string));
        return;
      default:
        this.tape.push(v);
    }
  }

  word(t: WordType, buf: Uint8Array, off: number): void {
    const v = this.tape[this.next++] as AbiValue;
    switch (t.kind) {
      case 'uint':
      case 'int':
        writeBigWord(buf, off, BigInt.asUintN(256, v as bigint));
        return;
      case 'bool':
        writeSmallWord(buf, off, v ? 1 : 0);
        return;
      case 'address':
        buf.fill(0, off, off + 12);
        buf.set(hexToU8(v as string), off + 12);
        return;
      case 'fixedBytes':
        buf.fill(0, off, off + 32);
        buf.set(hexToU8(v as string).subarray(0, t.size), off);
    }
  }

  length(t: ArrayType | BytesType): number {
    const v = this.tape[t.kind === 'array' ? this.next++ : this.next];
    return typeof v === 'number' ? v : (v as Uint8Array).length;
  }

  content(_t: BytesType, buf: Uint8Array, off: number): void {
    buf.set(this.tape[this.next++] as Uint8Array, off);
  }
}

/**
 * Writes v (0 <= v < 2^256) as a 32-byte big-endian word. Four 64-bit limbs: a byte-at-a-time bigint loop
 * costs several times more, and the campaign converts words on every mutation and comparison.
 */
export function writeBigWord(buf: Uint8Array, off: number, v: bigint): void {
  const d = new DataView(buf.buffer, buf.byteOffset + off, 32);
  d.setBigUint64(24, BigInt.asUintN(64, v));
  d.setBigUint64(16, BigInt.asUintN(64, v >> 64n));
  d.setBigUint64(8, BigInt.asUintN(64, v >> 128n));
  d.setBigUint64(0, BigInt.asUintN(64, v >> 192n));
}

/** The 32-byte big-endian word at data[off..off+32) (four 64-bit limbs: no hex string in between). */
export function readBigWord(data: Uint8Array, off: number): bigint {
  const d = new DataView(data.buffer, data.byteOffset + off, 32);
  return (((d.getBigUint64(0) << 64n) | d.getBigUint64(8)) << 128n) | (d.getBigUint64(16) << 64n) | d.getBigUint64(24);
}

function decodeSequence(types: readonly AbiType[], data: Uint8Array, start: number): AbiValue[] {
  let head = start;
  return types.map((t) => {
    const v = t.dynamic ? decodeValue(t, data, start + readOffset(data, head)) : decodeValue(t, data, head);
    head += t.headSize;
    return v;
  });
}

function decodeValue(t: AbiType, data: Uint8Array, pos: number): AbiValue {
  switch (t.kind) {
    case 'array': {
      const n = t.length ?? readOffset(data, pos);
      const start = t.length === null ? pos + 32 : pos;
      if (n > data.length) throw new FuzzError(`${t.canonical}: length ${n} exceeds the calldata`);
      return decodeSequence(new Array<AbiType>(n).fill(t.element), data, start);
    }
    case 'tuple':
      return decodeSequence(t.components, data, pos);
    case 'bytes':
    case 'string': {
      const len = readOffset(data, pos);
      if (pos + 32 + len > data.length) throw new FuzzError(`${t.canonical}: length ${len} exceeds the calldata`);
      const content = data.subarray(pos + 32, pos + 32 + len);
      return t.kind === 'bytes' ? bytesToHex(content) : new TextDecoder().decode(content);
    }
    default:
      if (pos + 32 > data.length) throw new FuzzError(`calldata too short for ${t.canonical} at byte ${pos}`);
      return decodeWord(t, data, pos);
  }
}

function decodeWord(t: WordType, data: Uint8Array, pos: number): AbiValue {
  switch (t.kind) {
    case 'uint':
      return readBigWord(data, pos);
    case 'int':
      return BigInt.asIntN(t.bits, readBigWord(data, pos));
    case 'bool':
      return data[pos + 31] === 1;
    case 'address':
      return bytesToHex(data.subarray(pos + 12, pos + 32));
    case 'fixedBytes':
      return bytesToHex(data.subarray(pos, pos + t.size));
  }
}

function readOffset(data: Uint8Array, pos: number): number {
  if (pos + 32 > data.length) throw new FuzzError(`calldata too short for an offset or length at byte ${pos}`);
  for (let i = pos; i < pos + 28; i++) if (data[i] !== 0) throw new FuzzError(`offset or length at byte ${pos} is too large`);
  return ((data[pos + 28]! << 24) | (data[pos + 29]! << 16) | (data[pos + 30]! << 8) | data[pos + 31]!) >>> 0;
}

/** A function prepared for encoding: selector and parsed parameter types, computed once. */
export interface FunctionCodec {
  name: string;
  /** name(type,...) with canonical types. */
  signature: string;
  selector: Uint8Array;
  params: AbiType[];
  /** Parameter names from the ABI ('' when unnamed), for printing. */
  paramNames: string[];
}

export function functionCodec(fn: AbiFunction): FunctionCodec {
  const params = fn.inputs.map(parseAbiType);
  const signature = `${fn.name}(${params.map((t) => t.canonical).join(',')})`;
  return { name: fn.name, signature, selector: hexToU8(toFunctionSelector(signature)), params, paramNames: fn.inputs.map((p) => p.name ?? '') };
}

export function encodeCall(enc: Encoder, fn: FunctionCodec, args: readonly AbiValue[]): Uint8Array {
  return enc.calldata(fn.selector, fn.params, new ValueProducer(fn.params, args));
}

/** The arguments of calldata for fn; throws FuzzError on malformed input. */
export function decodeCall(fn: FunctionCodec, data: Uint8Array): AbiValue[] {
  return decodeSequence(fn.params, data, fn.selector.length);
}
