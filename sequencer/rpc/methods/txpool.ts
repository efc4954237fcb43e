// geth's txpool namespace: what waits in the pool, pending (executable now) and queued (waiting for a lower
// nonce). Accounts are keyed by their checksummed address and transactions by their decimal nonce, as geth.
import { getAddress } from 'viem';
import { serverError } from '../errors.js';
import { formatTransaction, q } from '../format.js';
import type { RpcTransaction, TxPoolContent } from '../node-api.js';
import { address, arity } from '../params.js';
import type { RpcContext } from '../context.js';
import type { Methods } from './types.js';

type BySender<T> = Record<string, Record<string, T>>;

function content(ctx: RpcContext): TxPoolContent {
  if (!ctx.node.txpool) throw serverError('txpool: this node does not expose its transaction pool');
  return ctx.node.txpool();
}

function bySender<T>(txs: RpcTransaction[], render: (tx: RpcTransaction) => T): BySender<T> {
  const out: BySender<T> = {};
  for (const tx of txs) (out[getAddress(tx.from)] ??= {})[tx.nonce.toString(10)] = render(tx);
  return out;
}

function byNonce<T>(txs: RpcTransaction[], render: (tx: RpcTransaction) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const tx of txs) out[tx.nonce.toString(10)] = render(tx);
  return out;
}

/** geth's one-line summary: "<to>: <value> wei + <gas> gas × <fee cap> wei". */
function summary(tx: RpcTransaction): string {
  const to = tx.to === null ? 'contract creation' : getAddress(tx.to);
  return `${to}: ${tx.value} wei + ${tx.gas} gas × ${tx.maxFeePerGas ?? tx.gasPrice ?? 0n} wei`;
}

const full = (tx: RpcTransaction) => formatTransaction(tx);

export const txpoolMethods: Methods = {
  txpool_status: (p, { ctx }) => {
    arity(p, 0, 0);
    const c = content(ctx);
    return { pending: q(c.pending.length), queued: q(c.queued.length) };
  },
  txpool_content: (p, { ctx }) => {
    arity(p, 0, 0);
    const c = content(ctx);
    return { pending: bySender(c.pending, full), queued: bySender(c.queued, full) };
  },
  txpool_contentFrom: (p, { ctx }) => {
    arity(p, 1, 1);
    const from = address(p[0], 'address');
    const c = content(ctx);
    const mine = (txs: RpcTransaction[]) => txs.filter((tx) => tx.from === from);
    return { pending: byNonce(mine(c.pending), full), queued: byNonce(mine(c.queued), full) };
  },
  txpool_inspect: (p, { ctx }) => {
    arity(p, 0, 0);
    const c = content(ctx);
    return { pending: bySender(c.pending, summary), queued: bySender(c.queued, summary) };
  },
};
