// The native executor: batches go through the N-API addon to the kernels/evm EVM (CUDA device or CPU
// threads, one transaction per instance). The snapshot is mirrored natively once per (snapshot, version)
// and reused across batches; each transaction runs in its own overlay over it. No fallback: everything the
// executor reports comes from the native EVM.
import { loadAddon, type DeviceStateStats, type EvmInfo, type NativeAddon } from '../../native/addon.js';
import type { Address, Hex } from '../../primitives/types.js';
import type { StateReader, AccountInfo } from '../../state/world-state.js';
import {
  ExecutorError,
  type BlockEnv,
  type ExecTx,
  type Executor,
  type TxOutcome,
} from '../types.js';
import { decodeResults, encodeEnv, encodeState, encodeTxs } from './encode.js';
import { updateMirror } from './mirror-update.js';
import { toOutcomes } from './outcomes.js';
import { isFeed, MirrorFollower } from './mirror-follower.js';
import { blobBaseFee } from '../../chain/blob-fee.js';
import { blockBlobParams, blockFork } from '../../chain/config.js';

type EnumerableState = StateReader & {
  entries(): Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]>;
  version?: number;
};


interface Mirror {
  version: number | undefined;
  handle: Promise<object>;
}

export class NativeExecutor implements Executor {
  readonly name = 'native';
  private readonly addon: NativeAddon;
  private readonly mirrors = new WeakMap<object, Mirror>();
  private readonly follower = new MirrorFollower();
  /** Full mirror loads (O(state)) and snapshots served by the followed mirror (O(changes)). */
  readonly stats = { loads: 0, followed: 0 };
  /**
   * Where batches spent their wall time (ms, summed): bringing the mirror up to the snapshot, encoding the
   * batch, the native run (worker threads, event loop free), decoding the results and building the outcomes
   * (read/write key sets). A few clock reads per batch, none per transaction.
   */
  readonly phases = { batches: 0, txs: 0, mirrorMs: 0, encodeMs: 0, nativeMs: 0, decodeMs: 0, outcomeMs: 0 };

  constructor() {
    this.addon = loadAddon();
    if (typeof this.addon.evmExecute !== 'function') {
      throw new ExecutorError('the native addon was built without the EVM (rebuild with `node native/build.mjs`)');
    }
  }

  /** Where batches run and how much memory one EVM instance takes. */
  info(): EvmInfo {
    return this.addon.evmInfo();
  }

  /** How the followed mirror's device copy keeps in step (undefined: no device copy, or no followed mirror). */
  deviceState(): DeviceStateStats | undefined {
    return this.follower.handle === undefined ? undefined : this.addon.evmDeviceState(this.follower.handle) ?? undefined;
  }

  async executeBatch(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv): Promise<TxOutcome[]> {
    return (await this.execute(snapshot, txs, env)) as TxOutcome[];
  }

  executeChains(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv, chains: Uint32Array): Promise<(TxOutcome | undefined)[]> {
    if (chains.length !== txs.length) throw new ExecutorError(`${chains.length} chain ids for ${txs.length} transactions`);
    return this.execute(snapshot, txs, env, chains);
  }

  /** One batch; without chains every transaction has an outcome. */
  private async execute(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv, chains?: Uint32Array): Promise<(TxOutcome | undefined)[]> {
    if (txs.length === 0) return [];
    const p = this.phases;
    const t0 = performance.now();
    const handle = await this.mirror(snapshot);
    const t1 = performance.now();
    const fork = blockFork(env);
    const blobFee = blobBaseFee(env.excessBlobGas, blockBlobParams(env).baseFeeUpdateFraction);
    const envBuf = encodeEnv(env, fork, blobFee);
    const txBuf = encodeTxs(txs);
    const t2 = performance.now();
    const buf = await (chains === undefined ? this.addon.evmExecute(handle, envBuf, txBuf) : this.addon.evmExecuteChains(handle, envBuf, txBuf, chains));
    const t3 = performance.now();
    const results = decodeResults(buf);
    if (results.length !== txs.length) throw new ExecutorError(`native EVM returned ${results.length} results for ${txs.length} transactions`);
    const t4 = performance.now();
    const outcomes = toOutcomes(results, txs, snapshot, chains);
    const t5 = performance.now();
    p.batches++;
    p.txs += txs.length;
    p.mirrorMs += t1 - t0;
    p.encodeMs += t2 - t1;
    p.nativeMs += t3 - t2;
    p.decodeMs += t4 - t3;
    p.outcomeMs += t5 - t4;
    return outcomes;
  }

  /**
   * The native mirror of the snapshot. A snapshot with a change feed (the block overlay, the WorldState) is
   * served by the followed mirror, updated in place with what changed since; any other snapshot (or one the
   * follower cannot reach) is mirrored once per (snapshot object, version) on a worker thread.
   */
  private async mirror(snapshot: StateReader): Promise<object> {
    const s = snapshot as EnumerableState;
    if (typeof s.entries !== 'function') {
      throw new ExecutorError('the native executor needs a snapshot that can enumerate its accounts (WorldState.entries())');
    }
    if (isFeed(s)) {
      const step = this.follower.plan(s);
      if (step !== undefined && this.follower.handle !== undefined) {
        if (updateMirror(this.addon, this.follower.handle, step.changes)) {
          this.follower.moveTo(step.next);
          this.stats.followed++;
          return this.follower.handle;
        }
      }
    }
    const cached = this.mirrors.get(snapshot);
    if (cached !== undefined && cached.version !== undefined && cached.version === s.version) return cached.handle;
    const version = s.version;
    this.stats.loads++;
    const handle = this.addon.evmLoadStateAsync(encodeState(s.entries())).then((m) => m.handle);
    this.mirrors.set(snapshot, { version, handle });
    handle.catch(() => {
      if (this.mirrors.get(snapshot)?.handle === handle) this.mirrors.delete(snapshot);
    });
    if (isFeed(s) && this.follower.mayAdopt(s)) {
      const loaded = await handle;
      // Adopt only if nothing changed while it loaded; the cached entry is then the follower's to update.
      if (s.version === version) {
        this.mirrors.delete(snapshot);
        this.follower.adopt(s, loaded);
      }
      return loaded;
    }
    return handle;
  }
}
