// Blocks: numbers, headers with or without full transactions, counts, receipts; uncles are always empty.
import { formatBlock, formatReceipt, q } from '../format.js';
import { arity, blockNumberOrTag, blockSelector, bool, hash, quantity } from '../params.js';
import type { Methods } from './types.js';

export const blockMethods: Methods = {
  eth_blockNumber: (p, { ctx }) => {
    arity(p, 0, 0);
    return q(ctx.node.headNumber());
  },
  eth_getBlockByNumber: async (p, { ctx }) => {
    arity(p, 2, 2);
    const sel = blockNumberOrTag(p[0], 'block');
    const full = bool(p[1], 'fullTransactions');
    // No pending block is built ahead of sealing: "pending" answers the head block (as op-geth does).
    const b = await ctx.resolveBlock('tag' in sel && sel.tag === 'pending' ? { tag: 'latest' } : sel);
    return b ? formatBlock(b, full) : null;
  },
  eth_getBlockByHash: async (p, { ctx }) => {
    arity(p, 2, 2);
    const h = hash(p[0], 'blockHash');
    const full = bool(p[1], 'fullTransactions');
    const b = await ctx.node.getBlockByHash(h);
    return b ? formatBlock(b, full) : null;
  },
  eth_getBlockTransactionCountByNumber: async (p, { ctx }) => {
    arity(p, 1, 1);
    const sel = blockNumberOrTag(p[0], 'block');
    if ('tag' in sel && sel.tag === 'pending') return q(ctx.node.pendingTransactionHashes?.().length ?? 0);
    const b = await ctx.resolveBlock(sel);
    return b ? q(b.transactions.length) : null;
  },
  eth_getBlockTransactionCountByHash: async (p, { ctx }) => {
    arity(p, 1, 1);
    const b = await ctx.node.getBlockByHash(hash(p[0], 'blockHash'));
    return b ? q(b.transactions.length) : null;
  },
  eth_getUncleCountByBlockNumber: async (p, { ctx }) => {
    arity(p, 1, 1);
    const b = await ctx.resolveBlock(blockNumberOrTag(p[0], 'block'));
    return b ? '0x0' : null;
  },
  eth_getUncleCountByBlockHash: async (p, { ctx }) => {
    arity(p, 1, 1);
    const b = await ctx.node.getBlockByHash(hash(p[0], 'blockHash'));
    return b ? '0x0' : null;
  },
  eth_getUncleByBlockNumberAndIndex: (p) => {
    arity(p, 2, 2);
    blockNumberOrTag(p[0], 'block');
    quantity(p[1], 'index');
    return null;
  },
  eth_getUncleByBlockHashAndIndex: (p) => {
    arity(p, 2, 2);
    hash(p[0], 'blockHash');
    quantity(p[1], 'index');
    return null;
  },
  eth_getBlockReceipts: async (p, { ctx }) => {
    arity(p, 1, 1);
    const sel = blockSelector(p[0], 'block');
    if ('tag' in sel && sel.tag === 'pending') return null;
    const b = await ctx.resolveBlock(sel);
    if (!b) return null;
    const receipts = await ctx.node.getBlockReceipts(b.header.number);
    return receipts ? receipts.map(formatReceipt) : null;
  },
};
