// Simulated calls (eth_call, eth_estimateGas, eth_createAccessList) on the native EVM: explicit mirrors the
// caller manages (load, fork, update), one transaction per run, geth's call rules (no EIP-3607 sender check,
// no block gas limit) and a deadline enforced inside the interpreter. Runs go through the addon's async
// entry point (a libuv worker thread), never the event loop, and never the pool the sequencer's batches use.
import { blobBaseFee } from '../../chain/blob-fee.js';
import { blockBlobParams, blockFork } from '../../chain/config.js';
import { loadAddon, type NativeAddon } from '../../native/addon.js';
import type { Address, Hex } from '../../primitives/types.js';
import type { AccountInfo } from '../../state/world-state.js';
import { ExecutorError, type AccountChange, type BlockEnv, type ExecTx, type Log } from '../types.js';
import { decodeResults, encodeEnv, encodeState, encodeTxs } from './encode.js';
import { updateMirror } from './mirror-update.js';
import { CALL_REJECTIONS, HALT_ERRORS, OUTCOME_ABORTED } from './errors.js';

export type EnumerableState = Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]>;

/** A native state mirror: opaque, kept alive by whoever holds it. */
export interface MirrorHandle {
  readonly handle: object;
}

export type NativeCallOutcome =
  | { kind: 'aborted' }
  | { kind: 'rejected'; error: string }
  | {
      kind: 'executed';
      status: 'success' | 'revert' | 'halt';
      error?: string;
      gasUsed: bigint;
      /** Refund applied; gasUsed + gasRefund is what the execution needed before refunds. */
      gasRefund: bigint;
      returnData: Uint8Array;
      logs: Log[];
      createdAddress?: Address;
      /** State keys read (executor/types.ts AccessKey format: a:/c:<addr>, s:<addr>:<slot>). */
      reads: string[];
    };

export class NativeCalls {
  private readonly addon: NativeAddon;

  constructor() {
    this.addon = loadAddon();
    if (typeof this.addon.evmForkStateAsync !== 'function') {
      throw new ExecutorError('the native addon was built without call support (rebuild with `node native/build.mjs`)');
    }
  }

  /** A mirror of a whole state (O(state)), built on a worker thread. */
  async load(entries: EnumerableState): Promise<MirrorHandle> {
    const m = await this.addon.evmLoadStateAsync(encodeState(entries));
    return { handle: m.handle };
  }

  /** A copy of a mirror (native copy, O(state), on a worker thread) to change while the original stays as it is. */
  async fork(m: MirrorHandle): Promise<MirrorHandle> {
    return { handle: (await this.addon.evmForkStateAsync(m.handle)).handle };
  }

  /** Applies change sets in place; false when a run reads the mirror (nothing applied). */
  update(m: MirrorHandle, changes: readonly (readonly AccountChange[])[]): boolean {
    return updateMirror(this.addon, m.handle, changes);
  }

  /** Runs one call; whatever still runs `timeoutMs` after this call is stopped inside the interpreter. */
  async run(m: MirrorHandle, env: BlockEnv, tx: ExecTx, timeoutMs: number): Promise<NativeCallOutcome> {
    const blobFee = blobBaseFee(env.excessBlobGas, blockBlobParams(env).baseFeeUpdateFraction);
    const buf = await this.addon.evmExecute(m.handle, encodeEnv(env, blockFork(env), blobFee), encodeTxs([tx], { calls: true }), Math.max(0, timeoutMs));
    const [r] = decodeResults(buf);
    if (r === undefined) throw new ExecutorError('native EVM returned no result for a call', tx.hash);
    if (r.outcome === OUTCOME_ABORTED) return { kind: 'aborted' };
    if (r.outcome === 1) return { kind: 'rejected', error: CALL_REJECTIONS[r.error] ?? `rejected (code ${r.error})` };
    if (r.outcome !== 0) {
      throw new ExecutorError(
        r.error === 65 ? 'a precompile the native EVM could not run (precompiles not compiled in)' : 'the call needs more memory than a native EVM instance may use',
        tx.hash,
      );
    }
    const status = r.status === 0 ? 'success' : r.status === 1 ? 'revert' : 'halt';
    return {
      kind: 'executed',
      status,
      error: status === 'success' ? undefined : (HALT_ERRORS[r.error] ?? `error ${r.error}`),
      gasUsed: r.gasUsed,
      gasRefund: r.gasRefund,
      returnData: r.output,
      logs: r.logs,
      createdAddress: r.created ? r.createdAddress : undefined,
      reads: [...r.reads],
    };
  }
}
