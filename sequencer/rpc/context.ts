// What every method handler gets: the node, the limits, the call executors (native for calls, reference for
// traces), and block resolution.
import { nextTurn } from './turns.js';
import { NativeCalls } from '../executor/native/native-calls.js';
import type { BlockEnv } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';
import { CallMirrors } from './call-mirrors.js';
import { RpcError, ErrorCode, serverError } from './errors.js';
import type { DevSigner } from './dev-signer.js';
import { CallExecutor, type CallSetting } from './exec.js';
import type { RpcLimits } from './limits.js';
import { OverlayState, type AccountOverride } from './overlay-state.js';
import { ReferenceCallExecutor } from './reference-exec.js';
import type { RpcBlock, RpcNode } from './node-api.js';
import type { BlockSelector } from './params.js';

export interface RpcContext {
  node: RpcNode;
  limits: RpcLimits;
  /** eth_call / estimateGas / createAccessList: the native EVM. */
  calls: CallExecutor;
  /** debug_trace*: @ethereumjs/vm with step hooks. */
  tracer: ReferenceCallExecutor;
  mirrors: CallMirrors;
  /** The dev accounts the RPC signs with (dev chain only). */
  signer?: DevSigner;
  /** Block number a selector names; 'pending' resolves to head + 1. undefined for an unknown hash. */
  resolveNumber(sel: BlockSelector): Promise<bigint | undefined>;
  /** The block a selector names (pending -> undefined). */
  resolveBlock(sel: BlockSelector): Promise<RpcBlock | undefined>;
  /** State after the selected block (pending: latest committed state; the pool is not applied). */
  stateFor(sel: BlockSelector): Promise<StateReader>;
  /** Execution environment for a call "on top of" the selected block. */
  envFor(sel: BlockSelector): Promise<BlockEnv>;
  /** State (overrides applied), its native mirror (held until release) and env for a call on `sel`. */
  callSetting(sel: BlockSelector, overrides?: ReadonlyMap<Address, AccountOverride>): Promise<CallSetting>;
  close(): void;
}

/** BLOCKHASH sees 256 blocks back; the node's envs list only the parent. */
const BLOCKHASH_WINDOW = 256n;

export function headerNotFound(): RpcError {
  return new RpcError(ErrorCode.SERVER, 'header not found');
}

export function createRpcContext(node: RpcNode, limits: RpcLimits, signer?: DevSigner): RpcContext {
  const tracer = new ReferenceCallExecutor(node.chainId, (n) => node.blockHash(n));
  const native = new NativeCalls();
  const calls = new CallExecutor(native, limits.maxConcurrentCalls);
  let mirrors: CallMirrors | undefined;
  // Made on first use: the live state is mirrored only once a call needs it.
  const mirrorsOf = () => (mirrors ??= new CallMirrors(native, node.latestState()));
  const unfollow = node.onBlock(() => mirrors?.follow());
  /** Sealed blocks' hashes never change: kept for the BLOCKHASH window of the next calls. */
  const hashes = new Map<bigint, Hex>();

  async function withBlockHashes(env: BlockEnv): Promise<BlockEnv> {
    const out: Hex[] = [];
    for (let k = 0n; k < BLOCKHASH_WINDOW && env.number - 1n - k >= 0n; k++) {
      const n = env.number - 1n - k;
      let h: Hex | undefined = hashes.get(n) ?? env.recentBlockHashes[Number(k)];
      if (h === undefined) {
        // Store reads: a turn of the event loop every few, the first call of a process reads up to 256.
        if (k % 16n === 0n) await nextTurn();
        h = await node.blockHash(n);
      }
      if (h === undefined) break;
      hashes.set(n, h);
      out.push(h);
    }
    for (const n of hashes.keys()) if (n < env.number - 2n * BLOCKHASH_WINDOW) hashes.delete(n);
    return { ...env, recentBlockHashes: out };
  }

  async function resolveNumber(sel: BlockSelector): Promise<bigint | undefined> {
    if ('tag' in sel) {
      switch (sel.tag) {
        case 'earliest':
          return 0n;
        case 'pending':
          return node.headNumber() + 1n;
        default:
          // A sequencer's blocks are final for its users once sealed: safe and finalized are the head.
          return node.headNumber();
      }
    }
    if ('number' in sel) return sel.number;
    const block = await node.getBlockByHash(sel.hash);
    return block?.header.number;
  }

  async function resolveBlock(sel: BlockSelector): Promise<RpcBlock | undefined> {
    if ('hash' in sel) return node.getBlockByHash(sel.hash);
    const n = await resolveNumber(sel);
    if (n === undefined || n > node.headNumber()) return undefined;
    return node.getBlockByNumber(n);
  }

  async function stateFor(sel: BlockSelector): Promise<StateReader> {
    if ('tag' in sel && sel.tag === 'pending') return (await node.stateAt(node.headNumber())) ?? node.latestState();
    const n = await resolveNumber(sel);
    if (n === undefined) throw headerNotFound();
    const head = node.headNumber();
    if (n > head) throw headerNotFound();
    // stateAt(head) is a view that stays at this block while later blocks commit, so a multi-read
    // request (eth_call) sees one consistent state; the live state is the fallback. Below the oldest kept
    // block stateAt rejects with an error naming it.
    if (n === head) return (await node.stateAt(n)) ?? node.latestState();
    const s = await node.stateAt(n);
    if (s === undefined) throw serverError(`historical state for block ${n} is not available`);
    return s;
  }

  async function envFor(sel: BlockSelector): Promise<BlockEnv> {
    if ('tag' in sel && sel.tag === 'pending') return node.nextBlockEnv();
    const n = await resolveNumber(sel);
    if (n === undefined) throw headerNotFound();
    if (n >= node.headNumber()) {
      // Calls on latest run in the context of the next block (number head+1, current base fee), like a
      // wallet's transaction would. geth uses the head header itself; the difference only shows in NUMBER/TIMESTAMP.
      return node.nextBlockEnv();
    }
    const next = await node.blockEnv(n + 1n);
    if (next === undefined) throw headerNotFound();
    return next;
  }

  async function callSetting(sel: BlockSelector, overrides?: ReadonlyMap<Address, AccountOverride>): Promise<CallSetting> {
    const view = await stateFor(sel);
    const env = await withBlockHashes(await envFor(sel));
    // The state after the block the call runs on top of (env is the next block's).
    const mirror = await mirrorsOf().acquire(view, env.number - 1n, overrides);
    if (overrides === undefined || overrides.size === 0) return { state: view, mirror, env };
    const state = new OverlayState(view);
    for (const [a, o] of overrides) state.applyOverride(a, o);
    return { state, mirror, env };
  }

  return {
    node,
    limits,
    calls,
    tracer,
    get mirrors() {
      return mirrorsOf();
    },
    signer,
    resolveNumber,
    resolveBlock,
    stateFor,
    envFor,
    callSetting,
    close() {
      unfollow();
    },
  };
}
