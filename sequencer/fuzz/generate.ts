// Random typed calls: a function of a callable contract, a sender, sometimes ETH (payable only) and a
// time/block jump, and arguments written straight into calldata by a Producer that mixes dictionary
// constants, small numbers, type extremes, random bits and words the sequence already used (so a claim can
// repeat its deposit's amount). The hot path of a campaign: no bigint except for the few calls that carry
// value or a jump, no intermediate value trees.
import type { Address } from '../primitives/types.js';
import { Encoder, encodeCall, fitWord, writeSmallWord, type AbiValue, type ArrayType, type BytesType, type IntType, type Producer, type WordType } from './abi.js';
import type { Dictionary } from './dictionary.js';
import type { Rng } from './rng.js';
import type { FuzzFunction, FuzzTargets } from './targets.js';
import type { FuzzCall } from './types.js';

/** The longest time jump before a call: a week, enough to pass typical lock-ups and deadlines. */
export const MAX_TIME_DELTA = 7 * 24 * 3600;
export const MAX_BLOCK_DELTA = 100;

export class CallGenerator {
  private readonly encoder = new Encoder();
  private readonly producer: RandomProducer;

  constructor(
    private readonly targets: FuzzTargets,
    dict: Dictionary,
    private readonly senders: readonly Address[],
    private readonly rng: Rng,
  ) {
    this.producer = new RandomProducer(dict, rng);
  }

  /** A fresh sequence. */
  sequence(length: number): FuzzCall[] {
    this.producer.forget();
    return this.calls(length);
  }

  /** Calls continuing the current sequence (reusing its argument words). */
  calls(length: number): FuzzCall[] {
    const out = new Array<FuzzCall>(length);
    for (let i = 0; i < length; i++) out[i] = this.call();
    return out;
  }

  call(): FuzzCall {
    return this.callTo(this.rng.pick(this.targets.functions));
  }

  /**
   * Makes the words of these calls' arguments available for reuse by the next calls generated, as if they
   * had been generated in this sequence (mutants continue their parent's sequence).
   */
  prime(calls: readonly FuzzCall[]): void {
    this.producer.forget();
    this.producer.rememberAll(calls);
  }

  callTo(fn: FuzzFunction): FuzzCall {
    const jump = this.rng.chance(0.1);
    return {
      sender: this.sender(),
      target: fn.address,
      value: fn.payable ? this.value() : 0n,
      data: this.calldata(fn),
      timeDelta: jump ? this.timeDelta() : 0n,
      blockDelta: jump ? this.blockDelta() : 0n,
    };
  }

  calldata(fn: FuzzFunction): Uint8Array {
    return this.encoder.calldata(fn.codec.selector, fn.codec.params, this.producer);
  }

  /** Calldata for given argument values (mutation and shrinking edit decoded arguments). */
  encode(fn: FuzzFunction, args: readonly AbiValue[]): Uint8Array {
    return encodeCall(this.encoder, fn.codec, args);
  }

  sender(): Address {
    return this.rng.pick(this.senders);
  }

  /** Most payable calls send nothing; the rest a few wei or 1..100 × 10^k wei (k ≤ 20, far below a sender's balance). */
  value(): bigint {
    if (!this.rng.chance(0.3)) return 0n;
    if (this.rng.chance(0.3)) return BigInt(1 + this.rng.below(1000));
    return BigInt(1 + this.rng.below(100)) * 10n ** BigInt(this.rng.below(21));
  }

  timeDelta(): bigint {
    return BigInt(1 + this.rng.below(MAX_TIME_DELTA));
  }

  blockDelta(): bigint {
    return BigInt(1 + this.rng.below(MAX_BLOCK_DELTA));
  }
}

/** Words of a sequence's earlier arguments kept for reuse (claim(x) after deposit(x), approve then transferFrom). */
const RECENT_WORDS = 64;
/** Share of argument words copied from earlier ones in the sequence. */
const REUSE_CHANCE = 0.15;

/** Random argument values, written into the encoder's buffer word by word. */
class RandomProducer implements Producer {
  private readonly addressCount: number;
  private readonly recent = new Uint8Array(RECENT_WORDS * 32);
  private recentCount = 0;

  constructor(
    private readonly dict: Dictionary,
    private readonly rng: Rng,
  ) {
    this.addressCount = dict.addressWords.length / 32;
  }

  /** The dictionary grows while fuzzing (comparison feedback). */
  private get dictCount(): number {
    return this.dict.words.length / 32;
  }

  /** Starts a new sequence: earlier sequences' arguments are not reused. */
  forget(): void {
    this.recentCount = 0;
  }

  /**
   * Keeps the argument words of the calls' calldata (the 32-byte words after each selector) for reuse, as
   * keeping them one by one would: only the last RECENT_WORDS survive, so only those are copied.
   */
  rememberAll(calls: readonly FuzzCall[]): void {
    let total = 0;
    for (const c of calls) total += wordsIn(c.data);
    let index = 0;
    for (const c of calls) {
      const n = wordsIn(c.data);
      for (let w = Math.max(0, total - RECENT_WORDS - index); w < n; w++) {
        copyBytes(c.data, 4 + 32 * w, this.recent, ((index + w) % RECENT_WORDS) * 32, 32);
      }
      index += n;
    }
    this.recentCount = total;
  }

  private keep(buf: Uint8Array, off: number): void {
    copyBytes(buf, off, this.recent, (this.recentCount++ % RECENT_WORDS) * 32, 32);
  }

  word(t: WordType, buf: Uint8Array, off: number): void {
    if (this.recentCount > 0 && t.kind !== 'bool' && this.rng.chance(REUSE_CHANCE)) {
      this.copy(this.recent, this.rng.below(Math.min(this.recentCount, RECENT_WORDS)), buf, off);
    } else {
      this.fresh(t, buf, off);
    }
    fitWord(t, buf, off);
    this.keep(buf, off);
  }

  private fresh(t: WordType, buf: Uint8Array, off: number): void {
    const r = this.rng.below(100);
    switch (t.kind) {
      case 'bool':
        writeSmallWord(buf, off, r & 1);
        return;
      case 'address':
        if (r < 80) this.copy(this.dict.addressWords, this.rng.below(this.addressCount), buf, off);
        else if (r < 90) buf.fill(0, off, off + 32);
        else this.dictionaryWord(buf, off);
        break;
      case 'fixedBytes':
        if (r < 50) this.randomBytes(buf, off, 32);
        else if (r < 75) this.dictionaryWord(buf, off);
        else if (r < 90) this.leftAlignedConstant(buf, off, t.size);
        else buf.fill(0, off, off + 32);
        break;
      default:
        if (r < 40) this.dictionaryWord(buf, off);
        else if (r < 60) this.smallNumber(buf, off, t.kind === 'int' && r < 45);
        else if (r < 70) this.extreme(t, buf, off, this.rng.below(6));
        else this.randomBits(buf, off, t.bits);
    }
  }

  length(t: ArrayType | BytesType): number {
    if (t.kind === 'array') return this.rng.chance(0.1) ? 0 : 1 + this.rng.below(this.rng.chance(0.8) ? 4 : 32);
    return this.rng.chance(0.1) ? 0 : this.rng.below(this.rng.chance(0.8) ? 33 : 300);
  }

  content(t: BytesType, buf: Uint8Array, off: number, len: number): void {
    if (t.kind === 'bytes') this.randomBytes(buf, off, len);
    // Printable ASCII: strings stay valid UTF-8, so decoding and re-encoding them is the identity.
    else for (let i = 0; i < len; i++) buf[off + i] = 0x20 + this.rng.below(95);
  }

  private copy(words: Uint8Array, index: number, buf: Uint8Array, off: number): void {
    copyBytes(words, index * 32, buf, off, 32);
  }

  private dictionaryWord(buf: Uint8Array, off: number): void {
    this.copy(this.dict.words, this.rng.below(this.dictCount), buf, off);
  }

  /** A constant's low size bytes moved to the front: bytesN constants are often pushed right-aligned, then shifted. */
  private leftAlignedConstant(buf: Uint8Array, off: number, size: number): void {
    const i = this.rng.below(this.dictCount) * 32;
    copyBytes(this.dict.words, i + 32 - size, buf, off, size);
    buf.fill(0, off + size, off + 32);
  }

  /** 0 .. 2^k for a random k ≤ 16, negated for some ints (two's complement across the whole word). */
  private smallNumber(buf: Uint8Array, off: number, negative: boolean): void {
    const n = this.rng.below(2 ** (1 + this.rng.below(16)));
    writeSmallWord(buf, off, n);
    if (negative && n !== 0) {
      buf.fill(0xff, off, off + 28);
      const neg = -n >>> 0;
      for (let i = 0; i < 4; i++) buf[off + 31 - i] = (neg >>> (8 * i)) & 0xff;
    }
  }

  /**
   * Extremes of the type's width: all ones (uint max, int -1), all ones - 1, 1, 2^(bits-1) - 1 (int max),
   * 2^(bits-1) (int min once fitWord sign-extends it), 0.
   */
  private extreme(t: IntType, buf: Uint8Array, off: number, which: number): void {
    const first = off + 32 - t.bits / 8;
    buf.fill(which < 2 ? 0xff : 0, off, off + 32);
    if (which === 1) buf[off + 31] = 0xfe;
    else if (which === 2) buf[off + 31] = 1;
    else if (which === 3) {
      buf[first] = 0x7f;
      buf.fill(0xff, first + 1, off + 32);
    } else if (which === 4) buf[first] = 0x80;
  }

  /** Random bytes in the low bits of a random width, so magnitudes spread over the whole range. */
  private randomBits(buf: Uint8Array, off: number, bits: number): void {
    const len = 1 + this.rng.below(bits / 8);
    buf.fill(0, off, off + 32 - len);
    this.randomBytes(buf, off + 32 - len, len);
  }

  private randomBytes(buf: Uint8Array, off: number, len: number): void {
    let i = 0;
    for (; i + 4 <= len; i += 4) {
      const r = this.rng.u32();
      buf[off + i] = r;
      buf[off + i + 1] = r >>> 8;
      buf[off + i + 2] = r >>> 16;
      buf[off + i + 3] = r >>> 24;
    }
    for (; i < len; i++) buf[off + i] = this.rng.u32();
  }
}

/** Argument words in calldata (after the selector). */
function wordsIn(data: Uint8Array): number {
  return data.length < 36 ? 0 : Math.floor((data.length - 4) / 32);
}

/** A plain loop: for a word, cheaper than set(subarray(...)), which allocates a view per copy. */
function copyBytes(from: Uint8Array, fromOff: number, to: Uint8Array, toOff: number, len: number): void {
  for (let i = 0; i < len; i++) to[toOff + i] = from[fromOff + i]!;
}
