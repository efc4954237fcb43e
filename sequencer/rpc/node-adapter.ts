// Maps the SequencerNode facade (sequencer/node/node.ts) onto the RPC layer's RpcNode view.
import { DroppedTransactions } from './dropped-txs.js';
import { txView } from '../ingress/decode.js';
import type { SequencerNode } from '../node/node.js';
import type { BlockView, LogView } from '../node/types.js';
import type { Hex } from '../primitives/types.js';
import { StatePrunedError } from '../state/history.js';
import { chainReadMethods } from './chain-read-methods.js';
import { toRpcBlock, toRpcLog, toRpcTransaction } from './rpc-views.js';
import { serverError } from './errors.js';
import type { RpcNode, RpcTransaction } from './node-api.js';

export function isSequencerNode(x: unknown): x is SequencerNode {
  return typeof x === 'object' && x !== null && 'events' in x && typeof (x as SequencerNode).getState === 'function' && typeof (x as SequencerNode).blockNumber === 'function';
}

/** State older than the node keeps is a request error (-32000 naming the oldest kept block), not an internal one. */
export async function prunedAsServerError<T>(read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw e instanceof StatePrunedError ? serverError(e.message) : e;
  }
}

/**
 * Coalesces eth_sendRawTransaction calls that arrive together (a JSON-RPC batch, or concurrent requests)
 * into one node.submitRawTransactions() call, which recovers senders in one batch. Requests keep their
 * arrival order, so nonce-ordered batches from one sender are validated in order.
 */
class SubmitCoalescer {
  private queue: { raw: Uint8Array; resolve: (h: Hex) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly node: SequencerNode,
    private readonly maxBatch = 4096,
  ) {}

  submit(raw: Uint8Array): Promise<Hex> {
    return new Promise<Hex>((resolve, reject) => {
      this.queue.push({ raw, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const q = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) setImmediate(() => void this.flush());
    else this.scheduled = false;
    if (q.length === 1) {
      this.node.submitRawTransaction(q[0].raw).then(q[0].resolve, q[0].reject);
      return;
    }
    try {
      const results = await this.node.submitRawTransactions(q.map((x) => x.raw));
      results.forEach((r, i) => ('hash' in r ? q[i].resolve(r.hash) : q[i].reject(r.error)));
    } catch (e) {
      for (const x of q) x.reject(e);
    }
  }
}

export function adaptSequencerNode(node: SequencerNode): RpcNode {
  const submitter = new SubmitCoalescer(node);
  const dropped = new DroppedTransactions(node.events);
  node.events.setMaxListeners(0);
  // Every newPendingTransactions subscriber of one event gets the same view, built once.
  let lastPending: { hash: Hex; view: RpcTransaction | undefined } | undefined;
  const pendingView = (hash: Hex): RpcTransaction | undefined => {
    if (lastPending?.hash !== hash) {
      const tx = node.pendingTransaction(hash);
      lastPending = { hash, view: tx && toRpcTransaction(tx) };
    }
    return lastPending.view;
  };
  const chain = chainReadMethods(node.reads, node.chainId, () => node.blockNumber());
  return {
    chainId: node.chainId,
    headNumber: () => node.blockNumber(),
    getBlockByNumber: chain.getBlockByNumber,
    getBlockByHash: chain.getBlockByHash,
    droppedTransaction: (h) => dropped.get(h),
    getTransaction: async (h) => {
      const t = await node.getTransaction(h);
      if (!t) return undefined;
      return toRpcTransaction(t.tx, t.location && { ...t.location, timestamp: await chain.timestamps.of(t.location.blockNumber) });
    },
    getReceipt: chain.getReceipt,
    // The producer takes a transaction out of the pool before its block is announced.
    isPending: (h) => node.pool.has(h),
    getBlockReceipts: chain.getBlockReceipts,
    getLogs: chain.getLogs,
    blockHash: chain.blockHash,
    feeHistory: chain.feeHistory,
    latestState: () => node.getState('latest'),
    stateAt: async (n) => prunedAsServerError(() => node.stateAt(n) ?? undefined),
    provableStateAt: async (n) => (await prunedAsServerError(() => node.provableStateAt(n))) ?? undefined,
    pendingNonce: (a) => node.pendingNonce(a),
    submitRawTransaction: (raw) => submitter.submit(raw),
    nextBlockEnv: () => {
      const e = node.nextBlockEnv();
      return {
        chainId: node.chainId,
        number: e.number,
        timestamp: e.timestamp,
        coinbase: e.coinbase,
        gasLimit: e.gasLimit,
        baseFee: e.baseFee,
        prevRandao: e.prevRandao,
        excessBlobGas: e.excessBlobGas,
        recentBlockHashes: [e.parentHash],
      };
    },
    blockEnv: chain.blockEnv,
    pendingTransactionHashes: () => node.pendingTransactions(),
    executeBatch: (snapshot, txs, env) => node.executor.executeBatch(snapshot, txs, env),
    txpool: () => {
      const pool = node.pool;
      const pending = [...pool.senders()].flatMap((s) => pool.queue(s).map((e) => toRpcTransaction(txView(e.tx))));
      const queued = [...pool.queuedSenders()].flatMap((s) => pool.queuedOf(s).map((e) => toRpcTransaction(txView(e.tx))));
      return { pending, queued };
    },
    onBlock(fn) {
      const h = (b: BlockView) => fn(toRpcBlock(b));
      node.events.on('block', h);
      return () => node.events.off('block', h);
    },
    onLogs(fn) {
      // The logs event follows the block event synchronously: the head is the logs' block.
      const h = (logs: LogView[]) => fn(logs.map((l) => toRpcLog(l, l.blockNumber === node.head().header.number ? node.head().header.timestamp : undefined)));
      node.events.on('logs', h);
      return () => node.events.off('logs', h);
    },
    onPendingTransaction(fn) {
      const h = (hash: Hex) => fn({ hash, view: () => pendingView(hash) });
      node.events.on('pendingTransaction', h);
      return () => node.events.off('pendingTransaction', h);
    },
  };
}
