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
import {
  FuzzError,
  type CallResult,
  type CallStatus,
  type Comparison,
  type FuzzCall,
  type PropertyCall,
  type RunOptions,
  type SequenceResult,
  type SequenceRunner,
} from './types.js';

const STATUS: CallStatus[] = ['success', 'revert', 'halt'];
/** from, to, value, time delta, block delta, data length. */
const CALL_HEADER_BYTES = 20 + 20 + 32 + 8 + 8 + 4;

export class NativeSequenceRunner implements SequenceRunner {
  readonly backend: string;
  private readonly addressBytes = new Map<Address, Uint8Array>();

  private constructor(
    private readonly addon: NativeAddon,
    private readonly session: object,
    private readonly propertyCount: number,
  ) {
    this.backend = addon.evmInfo().backend;
  }

  static async create(snapshot: FuzzSnapshot, properties: readonly PropertyCall[]): Promise<NativeSequenceRunner> {
    const addon = loadAddon();
    if (typeof addon.evmFuzzSession !== 'function') throw new FuzzError('the native addon was built without fuzzing (rebuild with `node native/build.mjs`)');
    const mirror = await addon.evmLoadStateAsync(encodeState(snapshot.state.entries()));
    const env = blockEnv(snapshot.env);
    const session = addon.evmFuzzSession(mirror.handle, encodeEnv(env, blockFork(env), 0n), encodeConfig(snapshot, properties));
    return new NativeSequenceRunner(addon, session, properties.length);
  }

  coveredEdges(): number {
    return this.addon.evmFuzzCoverage(this.session);
  }

  async run(sequences: readonly (readonly FuzzCall[])[], options: RunOptions = {}): Promise<SequenceResult[]> {
    const program = this.encodeProgram(sequences);
    const out = await this.addon.evmFuzzRun(this.session, program, options.coverage ?? true, options.comparisons ?? false);
    return decodeResults(out, sequences.length, this.propertyCount);
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

  private encodeProgram(sequences: readonly (readonly FuzzCall[])[]): Uint8Array {
    // Sized exactly up front: growing the buffer was a visible share of the campaign's main thread.
    let size = 4;
    for (const seq of sequences) {
      size += 4;
      for (const c of seq) size += CALL_HEADER_BYTES + c.data.length;
    }
    const w = new ByteWriter(size);
    w.u32(sequences.length);
    for (const seq of sequences) {
      w.u32(seq.length);
      for (const c of seq) {
        w.bytes(this.bytesOf(c.sender));
        w.bytes(this.bytesOf(c.target));
        w.word(c.value);
        w.u64(c.timeDelta);
        w.u64(c.blockDelta);
        w.u32(c.data.length);
        w.bytes(c.data);
      }
    }
    return w.done();
  }
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
    w.u32(p.data.length);
    w.bytes(p.data);
  }
  return w.done();
}

/**
 * One call's result, read from the batch's result buffer on demand: the campaign asks most calls only for
 * their status, so gas and output stay unread (no BigInt, no view allocated per call).
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

function decodeResults(buf: Uint8Array, count: number, propertyCount: number): SequenceResult[] {
  const r = new ByteReader(buf);
  const out: SequenceResult[] = [];
  for (let s = 0; s < count; s++) {
    const calls: CallResult[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const at = r.off;
      const outcome = r.u8();
      const status = r.u8();
      const error = r.u8();
      const flags = r.u8();
      r.off += 8;  // gas used: read on demand
      r.span(r.u32());  // output: read on demand (bounds checked here)
      const rejected = outcome === 1;
      calls.push(
        new NativeCallResult(
          r.view,
          buf,
          at,
          rejected ? 'halt' : STATUS[status] ?? 'halt',
          rejected ? `rejected: ${REJECTIONS[error] ?? error}` : status !== 0 ? HALT_ERRORS[error] ?? `error ${error}` : undefined,
          (flags & 1) !== 0,
        ),
      );
    }
    const n = r.u32();
    if (n !== propertyCount) throw new FuzzError(`native fuzz returned ${n} property results, expected ${propertyCount}`);
    const propertyFailedAt: number[] = [];
    for (let p = 0; p < n; p++) propertyFailedAt.push(r.i32());
    const ethLeakAt = r.i32();
    const newCoverage = r.u32();
    const closerComparisons = r.u32();
    const comparisons: Comparison[] = [];
    for (let n = r.u32(); n > 0; n--) {
      const opcode = r.u8();
      const call = r.u32();
      comparisons.push({ opcode, call, a: wordOf(r.span(32)), b: wordOf(r.span(32)) });
    }
    out.push({ calls, propertyFailedAt, ethLeakAt, newCoverage, closerComparisons, comparisons });
  }
  if (r.off !== buf.length) throw new FuzzError('native fuzz results have trailing bytes');
  return out;
}

function wordOf(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, 32).toString('hex')}`);
}
