// The native sequence runner: a fuzz session on the native addon (native/evm/fuzz_host.h) over a mirror of
// the deployed snapshot. Every sequence runs in its own EVM instance (kernels/evm/sequence.h) on the CPU
// threads, with the kernels' branch-coverage bitmap merged into the session's map in sequence order.
import { blockFork } from '../chain/config.js';
import { loadAddon, type NativeAddon } from '../native/addon.js';
import { ByteReader, ByteWriter, encodeEnv, encodeState } from '../executor/native/encode.js';
import { HALT_ERRORS, REJECTIONS } from '../executor/native/errors.js';
import { hexToU8, type Address } from '../primitives/types.js';
import type { BlockCount, BlockHits } from './line-coverage.js';
import { blockEnv, type FuzzSnapshot } from './snapshot.js';
import { readBigWord, writeBigWord } from './abi.js';
import { callTripwires } from './checks.js';
import type { Dictionary } from './dictionary.js';
import { CALL_HEADER, NativeFreshSequences } from './native-generator.js';
import type { Rng } from './rng.js';
import type { FuzzTargets } from './targets.js';
import {
  FuzzError,
  type BatchSequence,
  type CallResult,
  type CallStatus,
  type Comparison,
  type FreshSequences,
  type FuzzCall,
  type GeneratedSequence,
  type OptimizedValue,
  type PropertyCall,
  type RunOptions,
  type SequenceResult,
  type SequenceRunner,
} from './types.js';

const STATUS: CallStatus[] = ['success', 'revert', 'halt'];
/** FuzzPropKind (kernels/evm/sequence.h). */
const PROP_PROPERTY = 0;
const PROP_OPTIMIZE = 1;

export class NativeSequenceRunner implements SequenceRunner {
  readonly backend: string;
  private readonly addressBytes = new Map<Address, Uint8Array>();
  private program = new Uint8Array(1 << 16);
  private programView = new DataView(this.program.buffer);

  private constructor(
    private readonly addon: NativeAddon,
    private readonly session: object,
    /** Per property of the session: whether it is an optimization target. */
    private readonly optimizing: readonly boolean[],
    private readonly senders: readonly Address[],
  ) {
    this.backend = addon.evmInfo().backend;
  }

  static async create(snapshot: FuzzSnapshot, properties: readonly PropertyCall[]): Promise<NativeSequenceRunner> {
    const addon = loadAddon();
    if (typeof addon.evmFuzzSession !== 'function') throw new FuzzError('the native addon was built without fuzzing (rebuild with `node native/build.mjs`)');
    const mirror = await addon.evmLoadStateAsync(encodeState(snapshot.state.entries()));
    const env = blockEnv(snapshot.env);
    const session = addon.evmFuzzSession(mirror.handle, encodeEnv(env, blockFork(env), 0n), encodeConfig(snapshot, properties));
    return new NativeSequenceRunner(addon, session, properties.map((p) => p.optimize === true), snapshot.senders);
  }

  coveredEdges(): number {
    return this.addon.evmFuzzCoverage(this.session);
  }

  /** Fresh sequences from the addon's generator, straight as program bytes (native-generator.ts). */
  freshSequences(targets: FuzzTargets, dict: Dictionary, rng: Rng): FreshSequences | undefined {
    if (typeof this.addon.evmFuzzGenerator !== 'function') return undefined;
    return new NativeFreshSequences(this.addon, targets, dict, this.senders, rng);
  }

  async run(sequences: readonly BatchSequence[], options: RunOptions = {}): Promise<SequenceResult[]> {
    const program = this.encodeProgram(sequences);
    const out = await this.addon.evmFuzzRun(this.session, program, options.coverage ?? true, options.comparisons ?? false);
    return decodeResults(out, sequences.length, this.optimizing);
  }

  /** Block hit counts of the sequences for coverage reports (native/evm/fuzz_hits.h); nothing is merged. */
  async blockHits(sequences: readonly (readonly FuzzCall[])[]): Promise<BlockHits> {
    const r = new ByteReader(await this.addon.evmFuzzBlockHits(this.session, this.encodeProgram(sequences)));
    const out = new Map<Address, Map<number, BlockCount>>();
    for (let n = r.u32(); n > 0; n--) {
      const address = r.hex(20) as Address;
      const blocks = new Map<number, BlockCount>();
      for (let k = r.u32(); k > 0; k--) blocks.set(r.u32(), { ok: r.u32(), failed: r.u32() });
      out.set(address, blocks);
    }
    return out;
  }

  private bytesOf(a: Address): Uint8Array {
    let b = this.addressBytes.get(a);
    if (b === undefined) this.addressBytes.set(a, (b = hexToU8(a)));
    if (b.length !== 20) throw new FuzzError(`not a 20-byte address: ${a}`);
    return b;
  }

  private encodeProgram(sequences: readonly BatchSequence[]): Uint8Array {
    // Sized exactly up front and written in place into a buffer reused across batches (the addon copies the
    // program before it returns): this runs for every call the campaign makes.
    let size = 4;
    for (const seq of sequences) {
      size += 4;
      if (!Array.isArray(seq)) size += (seq as GeneratedSequence).program.length;
      else for (const c of seq as readonly FuzzCall[]) size += CALL_HEADER + c.data.length;
    }
    if (this.program.length < size) {
      this.program = new Uint8Array(Math.max(size, 2 * this.program.length));
      this.programView = new DataView(this.program.buffer);
    }
    const buf = this.program;
    const view = this.programView;
    // One memset, then only the fields that are not zero: most calls send no value and jump no time.
    buf.fill(0, 0, size);
    let at = 0;
    view.setUint32(at, sequences.length, true);
    at += 4;
    for (const seq of sequences) {
      view.setUint32(at, seq.length, true);
      at += 4;
      if (!Array.isArray(seq)) {
        // Written by the native generator already: one copy of its bytes.
        const program = (seq as GeneratedSequence).program;
        buf.set(program, at);
        at += program.length;
        continue;
      }
      for (const c of seq as readonly FuzzCall[]) {
        copy20(this.bytesOf(c.sender), buf, at);
        copy20(this.bytesOf(c.target), buf, at + 20);
        if (c.value !== 0n) writeBigWord(buf, at + 40, c.value);
        if (c.timeDelta !== 0n) view.setBigUint64(at + 72, c.timeDelta, true);
        if (c.blockDelta !== 0n) view.setBigUint64(at + 80, c.blockDelta, true);
        view.setUint32(at + 88, c.data.length, true);
        buf.set(c.data, at + CALL_HEADER);
        at += CALL_HEADER + c.data.length;
      }
    }
    return buf.subarray(0, size);
  }
}

/** A 20-byte address copied with a plain loop: cheaper than set() for so few bytes. */
function copy20(from: Uint8Array, to: Uint8Array, at: number): void {
  for (let i = 0; i < 20; i++) to[at + i] = from[i]!;
}

function encodeConfig(snapshot: FuzzSnapshot, properties: readonly PropertyCall[]): Uint8Array {
  const w = new ByteWriter();
  w.u64(snapshot.env.callGas);
  w.hex(snapshot.deployer, 20);
  w.u32(snapshot.senders.length);
  for (const s of snapshot.senders) w.hex(s, 20);
  w.u32(properties.length);
  for (const p of properties) {
    w.hex(p.target, 20);
    w.u8(p.optimize === true ? PROP_OPTIMIZE : PROP_PROPERTY);
    w.u32(p.data.length);
    w.bytes(p.data);
  }
  return w.done();
}

/**
 * One call's result, read from the batch's result buffer on demand: gas and output stay unread until asked
 * for (no BigInt, no view allocated per call).
 */
class NativeCallResult implements CallResult {
  constructor(
    private readonly view: DataView,
    private readonly buf: Uint8Array,
    private readonly at: number,
    readonly status: CallStatus,
    readonly error: string | undefined,
    readonly selfDestructed: boolean,
  ) {}
  get gasUsed(): bigint {
    return this.view.getBigUint64(this.at + 4, true);
  }
  get output(): Uint8Array {
    const len = this.view.getUint32(this.at + 12, true);
    return this.buf.subarray(this.at + 16, this.at + 16 + len);
  }
}

/** Per call in the result buffer: outcome, status, error, flags (u8 each), gas used (u64), output length (u32). */
const CALL_RESULT_HEADER = 16;

function callStatus(outcome: number, status: number): CallStatus {
  return outcome === 1 ? 'halt' : STATUS[status] ?? 'halt';
}

/** The calls of one sequence as objects, built only when something asks for them (a kept or failing sequence). */
function materializeCalls(r: ByteReader, buf: Uint8Array, at: number, n: number): CallResult[] {
  const calls: CallResult[] = [];
  for (let k = 0; k < n; k++) {
    const outcome = buf[at]!;
    const status = buf[at + 1]!;
    const error = buf[at + 2]!;
    const rejected = outcome === 1;
    calls.push(
      new NativeCallResult(
        r.view,
        buf,
        at,
        callStatus(outcome, status),
        rejected ? `rejected: ${REJECTIONS[error] ?? error}` : status !== 0 ? HALT_ERRORS[error] ?? `error ${error}` : undefined,
        (buf[at + 3]! & 1) !== 0,
      ),
    );
    at += CALL_RESULT_HEADER + r.view.getUint32(at + 12, true);
  }
  return calls;
}

function decodeResults(buf: Uint8Array, count: number, optimizing: readonly boolean[]): SequenceResult[] {
  const r = new ByteReader(buf);
  const out: SequenceResult[] = [];
  for (let s = 0; s < count; s++) {
    const n = r.u32();
    const recordBytes = r.u32();
    const failedCalls = r.u32();
    const watch = r.u8();
    const first = r.off;
    r.span(recordBytes); // bounds checked here
    let tripwires = 0;
    // Only a self-destruct or a 36-byte revert (a Panic?) trips anything: the calls are read for those alone.
    for (let k = 0, at = first; watch !== 0 && k < n; k++) {
      const len = r.view.getUint32(at + 12, true);
      if (at + CALL_RESULT_HEADER + len > first + recordBytes) throw new FuzzError('native fuzz results: a call record overruns its sequence');
      const status = callStatus(buf[at]!, buf[at + 1]!);
      const selfDestructed = (buf[at + 3]! & 1) !== 0;
      if (selfDestructed || (status === 'revert' && len === 36)) tripwires |= callTripwires(status, buf.subarray(at + CALL_RESULT_HEADER, at + CALL_RESULT_HEADER + len), selfDestructed);
      at += CALL_RESULT_HEADER + len;
    }
    let calls: CallResult[] | undefined;
    const propertyCountGot = r.u32();
    if (propertyCountGot !== optimizing.length) throw new FuzzError(`native fuzz returned ${propertyCountGot} property results, expected ${optimizing.length}`);
    const propertyFailedAt: number[] = [];
    const optimized: OptimizedValue[] = [];
    for (let p = 0; p < propertyCountGot; p++) {
      const at = r.i32();
      propertyFailedAt.push(at);
      if (!optimizing[p]) continue;
      const value = BigInt.asIntN(256, readBigWord(r.span(32), 0));
      if (at >= 0) optimized.push({ property: p, value });
    }
    const ethLeakAt = r.i32();
    const newCoverage = r.u32();
    const closerComparisons = r.u32();
    const comparisons: Comparison[] = [];
    for (let m = r.u32(); m > 0; m--) {
      const opcode = r.u8();
      const call = r.u32();
      comparisons.push({ opcode, call, a: readBigWord(buf, r.off), b: readBigWord(buf, r.off + 32) });
      r.off += 64;
    }
    out.push({
      get calls(): CallResult[] {
        return (calls ??= materializeCalls(r, buf, first, n));
      },
      failedCalls,
      tripwires,
      propertyFailedAt,
      optimized,
      ethLeakAt,
      newCoverage,
      closerComparisons,
      comparisons,
    });
  }
  if (r.off !== buf.length) throw new FuzzError('native fuzz results have trailing bytes');
  return out;
}
