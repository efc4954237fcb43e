// What every method handler gets: the node, the limits, an off-chain executor, and block resolution.
import type { BlockEnv } from '../executor/types.js';
import type { StateReader } from '../state/world-state.js';
import { RpcError, ErrorCode, serverError } from './errors.js';
import type { DevSigner } from './dev-signer.js';
import { CallExecutor } from './exec.js';
import type { RpcLimits } from './limits.js';
import type { RpcBlock, RpcNode } from './node-api.js';
import type { BlockSelector } from './params.js';

export interface RpcContext {
  node: RpcNode;
  limits: RpcLimits;
  exec: CallExecutor;
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
  close(): void;
}

export function headerNotFound(): RpcError {
  return new RpcError(ErrorCode.SERVER, 'header not found');
}

export function createRpcContext(node: RpcNode, limits: RpcLimits, signer?: DevSigner): RpcContext {
  const exec = new CallExecutor(node.chainId, (n) => node.blockHash(n));

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

  return {
    node,
    limits,
    exec,
    signer,
    resolveNumber,
    resolveBlock,
    stateFor,
    envFor,
    close() {},
  };
}
