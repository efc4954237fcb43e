// Transactions: lookups, receipts, and submission (eth_sendRawTransaction, EIP-7966 ..Sync).
import { ErrorCode, RpcError } from '../errors.js';
import { formatReceipt, formatTransaction } from '../format.js';
import type { RpcBlock, RpcNode, RpcReceipt } from '../node-api.js';
import { droppedError } from '../dropped-txs.js';
import type { Hex } from '../../primitives/types.js';
import { arity, blockNumberOrTag, bytes, hash, quantity } from '../params.js';
import type { RpcContext } from '../context.js';
import type { Methods } from './types.js';

/** Largest raw transaction accepted over RPC (geth's txMaxSize is 128 KiB; blob txs are larger). */
const MAX_RAW_TX_BYTES = 1024 * 1024;

function txByBlockAndIndex(block: RpcBlock | undefined, index: bigint) {
  if (!block || index >= BigInt(block.transactions.length)) return null;
  const i = Number(index);
  return formatTransaction({ ...block.transactions[i], blockHash: block.header.hash, blockNumber: block.header.number, blockTimestamp: block.header.timestamp, transactionIndex: i }, block.header.baseFeePerGas);
}

/** An unknown hash: null, or the error saying the pool dropped it (rpc/dropped-txs.ts) so wallets stop waiting. */
function droppedOrNull(node: RpcNode, h: Hex): null {
  const d = node.droppedTransaction?.(h);
  if (d) throw droppedError(d);
  return null;
}

/** Rejections from the node's ingress become -32000 with the node's own message (geth style). */
export function rejection(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  const err = e as { code?: unknown; message?: string };
  const message = err?.message ?? String(e);
  return new RpcError(ErrorCode.SERVER, message, typeof err?.code === 'string' ? { reason: err.code } : undefined);
}

async function submit(ctx: RpcContext, raw: Uint8Array): Promise<Hex> {
  try {
    return await ctx.node.submitRawTransaction(raw);
  } catch (e) {
    throw rejection(e);
  }
}

export const transactionMethods: Methods = {
  eth_getTransactionByHash: async (p, { ctx }) => {
    arity(p, 1, 1);
    const h = hash(p[0], 'txHash');
    const tx = await ctx.node.getTransaction(h);
    if (!tx) return droppedOrNull(ctx.node, h);
    let baseFee: bigint | undefined;
    if (tx.blockNumber !== undefined && tx.type >= 2) baseFee = (await ctx.node.getBlockByNumber(tx.blockNumber))?.header.baseFeePerGas;
    return formatTransaction(tx, baseFee);
  },
  eth_getTransactionByBlockHashAndIndex: async (p, { ctx }) => {
    arity(p, 2, 2);
    const b = await ctx.node.getBlockByHash(hash(p[0], 'blockHash'));
    return txByBlockAndIndex(b, quantity(p[1], 'index'));
  },
  eth_getTransactionByBlockNumberAndIndex: async (p, { ctx }) => {
    arity(p, 2, 2);
    const b = await ctx.resolveBlock(blockNumberOrTag(p[0], 'block'));
    return txByBlockAndIndex(b, quantity(p[1], 'index'));
  },
  eth_getTransactionReceipt: async (p, { ctx }) => {
    arity(p, 1, 1);
    const h = hash(p[0], 'txHash');
    if (ctx.node.isPending?.(h)) return null;
    const r = await ctx.node.getReceipt(h);
    return r ? formatReceipt(r) : droppedOrNull(ctx.node, h);
  },
  eth_sendRawTransaction: async (p, { ctx }) => {
    arity(p, 1, 1);
    return submit(ctx, bytes(p[0], 'rawTransaction', MAX_RAW_TX_BYTES));
  },
  /**
   * EIP-7966: submit, then wait for the receipt up to the timeout (ms, optional second parameter, capped).
   * On timeout: error code 4 with the transaction hash as data, so the client can keep polling.
   */
  eth_sendRawTransactionSync: async (p, { ctx }) => {
    arity(p, 1, 2);
    const raw = bytes(p[0], 'rawTransaction', MAX_RAW_TX_BYTES);
    // EIP-7966: a QUANTITY (viem sends hex) or a JSON integer (the EIP's examples); an invalid, zero or
    // too large timeout falls back to the node's default rather than failing the call.
    const max = ctx.limits.sendSyncMaxTimeoutMs;
    let requested: number | undefined;
    if (typeof p[1] === 'number' && Number.isSafeInteger(p[1])) requested = p[1];
    else if (typeof p[1] === 'string' && /^0x[0-9a-fA-F]{1,12}$/.test(p[1])) requested = Number.parseInt(p[1].slice(2), 16);
    const timeoutMs = requested === undefined || requested <= 0 || requested > max ? ctx.limits.sendSyncDefaultTimeoutMs : requested;
    // Listen before submitting so a block sealed right after submission is not missed.
    const waiter = waitForReceipt(ctx, timeoutMs);
    let txHash: Hex;
    try {
      txHash = await submit(ctx, raw);
    } catch (e) {
      waiter.cancel();
      throw e;
    }
    const receipt = await waiter.wait(txHash);
    if (!receipt) {
      throw new RpcError(ErrorCode.SYNC_TIMEOUT, `The transaction was added to the mempool but wasn't processed in ${timeoutMs}ms.`, txHash);
    }
    return formatReceipt(receipt);
  },
};

function waitForReceipt(ctx: RpcContext, timeoutMs: number) {
  let target: Hex | undefined;
  let resolve: ((r: RpcReceipt | undefined) => void) | undefined;
  const seen = new Set<Hex>();
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = ctx.node.onBlock((block) => {
    for (const tx of block.transactions) {
      if (target === undefined) seen.add(tx.hash);
      else if (tx.hash === target) void finish();
    }
  });
  const done = (r: RpcReceipt | undefined) => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    resolve?.(r);
    resolve = undefined;
  };
  const finish = async () => done(await ctx.node.getReceipt(target!));
  return {
    cancel: () => {
      unsubscribe();
    },
    wait(h: Hex): Promise<RpcReceipt | undefined> {
      target = h;
      return new Promise<RpcReceipt | undefined>((res) => {
        resolve = res;
        timer = setTimeout(() => done(undefined), timeoutMs);
        if (seen.has(h)) void finish();
        else
          void ctx.node.getReceipt(h).then((r) => {
            if (r) done(r);
          });
      });
    },
  };
}

