// Fresh sequences written by the addon (native/evm/fuzz_generate.h) straight as program bytes: the same calls
// CallGenerator.sequence() would make from the same random stream (the campaign's Rng is handed over and
// taken back per sequence, so a campaign is the same with either), without a JS object or calldata copy per
// call. FuzzCall objects are built only for the sequences something reads (NativeSequence.calls).
import type { NativeAddon } from '../native/addon.js';
import { ByteWriter } from '../executor/native/encode.js';
import { hexToU8, type Address } from '../primitives/types.js';
import { layoutNodes, writeLayout } from './abi-layout.js';
import { readBigWord } from './abi.js';
import type { Dictionary } from './dictionary.js';
import type { Rng } from './rng.js';
import type { FuzzTargets } from './targets.js';
import { FuzzError, type FreshSequences, type FuzzCall, type GeneratedSequence } from './types.js';

/** Program bytes are written into slabs this big (a sequence keeps a view of its slab while in flight). */
const SLAB = 1 << 20;
/** A single sequence larger than this is an error (a runaway ABI layout), not a reason to grow further. */
const MAX_SLAB = 1 << 28;
/** Per call in a runner program: from, to, value, time delta, block delta, data length (fuzz_host.h). */
export const CALL_HEADER = 20 + 20 + 32 + 8 + 8 + 4;

export class NativeFreshSequences implements FreshSequences {
  private readonly handle: object;
  private readonly state = new Uint32Array(4);
  private readonly actors: Actors;
  private words: Uint8Array | undefined;
  private slab = new Uint8Array(SLAB);
  private used = 0;

  constructor(
    private readonly addon: NativeAddon,
    targets: FuzzTargets,
    private readonly dict: Dictionary,
    senders: readonly Address[],
    private readonly rng: Rng,
  ) {
    this.handle = addon.evmFuzzGenerator(generatorConfig(targets, dict, senders));
    this.actors = new Actors([...senders, ...targets.functions.map((f) => f.address)]);
  }

  sequence(length: number): GeneratedSequence {
    if (this.words !== this.dict.words) {
      // The dictionary learns while fuzzing (comparison feedback): its words are handed over when they change.
      this.addon.evmFuzzGeneratorWords(this.handle, this.dict.words);
      this.words = this.dict.words;
    }
    for (;;) {
      this.rng.save(this.state);
      const n = this.addon.evmFuzzGenerate(this.handle, this.state, length, this.slab.subarray(this.used));
      if (n >= 0) {
        this.rng.load(this.state);
        const program = this.slab.subarray(this.used, this.used + n);
        this.used += n;
        return new NativeSequence(program, length, this.actors);
      }
      // Out of room: a fresh slab, twice as large when the sequence did not fit an empty one either.
      const size = this.used === 0 ? 2 * this.slab.length : Math.max(SLAB, this.slab.length);
      if (size > MAX_SLAB) throw new FuzzError(`a generated sequence of ${length} calls needs more than ${MAX_SLAB} bytes`);
      this.slab = new Uint8Array(size);
      this.used = 0;
    }
  }
}

/** config of native/evm/fuzz_generate.h: functions with their layouts, senders, the dictionary's addresses. */
function generatorConfig(targets: FuzzTargets, dict: Dictionary, senders: readonly Address[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(targets.functions.length);
  for (const f of targets.functions) {
    w.hex(f.address, 20);
    w.u8(f.codec.selector.length);
    w.bytes(f.codec.selector);
    w.u8(f.payable ? 1 : 0);
    w.u32(f.codec.params.length);
    w.u32(layoutNodes(f.codec.params));
    writeLayout(w, f.codec.params);
  }
  w.u32(senders.length);
  for (const s of senders) w.hex(s, 20);
  w.u32(dict.addressWords.length / 32);
  w.bytes(dict.addressWords);
  return w.done();
}

/** The addresses a generated call can name (senders, function targets), found back from their 20 bytes. */
class Actors {
  private readonly bytes: Uint8Array[];

  constructor(private readonly addresses: readonly Address[]) {
    this.bytes = addresses.map((a) => hexToU8(a));
  }

  at(program: Uint8Array, off: number): Address {
    for (let i = 0; i < this.bytes.length; i++) {
      const b = this.bytes[i]!;
      let k = 0;
      while (k < 20 && program[off + k] === b[k]) k++;
      if (k === 20) return this.addresses[i]!;
    }
    throw new FuzzError(`generated call names an unknown address at byte ${off}`);
  }
}

class NativeSequence implements GeneratedSequence {
  private built: FuzzCall[] | undefined;
  private offsets: Int32Array | undefined;

  constructor(
    readonly program: Uint8Array,
    readonly length: number,
    private readonly actors: Actors,
  ) {}

  get calls(): readonly FuzzCall[] {
    return (this.built ??= this.build());
  }

  data(k: number): Uint8Array {
    const at = this.offsetOf(k);
    return this.program.subarray(at + CALL_HEADER, at + CALL_HEADER + this.dataLength(at));
  }

  prefix(k: number, data: Uint8Array): GeneratedSequence {
    const at = this.offsetOf(k) + CALL_HEADER;
    if (data.length !== this.dataLength(at - CALL_HEADER)) throw new FuzzError(`call ${k}: replacement calldata of ${data.length} bytes, expected ${this.dataLength(at - CALL_HEADER)}`);
    const program = this.program.slice(0, at + data.length);
    program.set(data, at);
    return new NativeSequence(program, k + 1, this.actors);
  }

  private dataLength(at: number): number {
    const p = this.program;
    return (p[at + 88]! | (p[at + 89]! << 8) | (p[at + 90]! << 16) | (p[at + 91]! << 24)) >>> 0;
  }

  private offsetOf(k: number): number {
    if (this.offsets === undefined) {
      this.offsets = new Int32Array(this.length);
      for (let i = 0, at = 0; i < this.length; i++) {
        this.offsets[i] = at;
        at += CALL_HEADER + this.dataLength(at);
      }
    }
    return this.offsets[k]!;
  }

  /** The calls as objects; calldata is copied out, so a kept call does not hold on to the whole slab. */
  private build(): FuzzCall[] {
    const p = this.program;
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const calls: FuzzCall[] = [];
    for (let k = 0; k < this.length; k++) {
      const at = this.offsetOf(k);
      let valued = false;
      for (let i = at + 40; i < at + 72 && !valued; i++) valued = p[i] !== 0;
      calls.push({
        sender: this.actors.at(p, at),
        target: this.actors.at(p, at + 20),
        value: valued ? readBigWord(p, at + 40) : 0n,
        data: p.slice(at + CALL_HEADER, at + CALL_HEADER + this.dataLength(at)),
        timeDelta: view.getBigUint64(at + 72, true),
        blockDelta: view.getBigUint64(at + 80, true),
      });
    }
    return calls;
  }
}
