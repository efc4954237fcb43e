// Maps the SequencerNode facade (sequencer/node/node.ts) onto the RPC layer's RpcNode view.
import { DroppedTransactions } from './dropped-txs.js';
import type { BlockEnv } from '../executor/types.js';
import { txView } from '../ingress/decode.js';
import type { SequencerNode } from '../node/node.js';
import type { BlockView, LogView, ReceiptView, TxView } from '../node/types.js';
import { bytesToHex, type Hex } from '../primitives/types.js';
import { StatePrunedError } from '../state/history.js';
import { BlockTimestamps } from './block-timestamps.js';
import { serverError } from './errors.js';
import type { RpcBlock, RpcLog, RpcNode, RpcReceipt, RpcTransaction } from './node-api.js';

export function isSequencerNode(x: unknown): x is SequencerNode {
  return typeof x === 'object' && x !== null && 'events' in x && typeof (x as SequencerNode).getState === 'function' && typeof (x as SequencerNode).blockNumber === 'function';
}

/** State older than the node keeps is a request error (-32000 naming the oldest kept block), not an internal one. */
async function prunedAsServerError<T>(read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw e instanceof StatePrunedError ? serverError(e.message) : e;
  }
}

export function toRpcTransaction(tx: TxView, loc?: { blockHash: Hex; blockNumber: bigint; index: number; timestamp?: bigint }): RpcTransaction {
  return {
    hash: tx.hash,
    type: tx.type,
    from: tx.from,
    to: tx.to,
    nonce: tx.nonce,
    gas: tx.gasLimit,
    value: tx.value,
    input: bytesToHex(tx.data) as Hex,
    gasPrice: tx.gasPrice,
    maxFeePerGas: tx.maxFeePerGas,
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
    maxFeePerBlobGas: tx.maxFeePerBlobGas,
    blobVersionedHashes: tx.blobVersionedHashes,
    authorizationList: tx.authorizationList,
    accessList: tx.accessList,
    chainId: tx.chainId,
    v: tx.v,
    r: tx.r,
    s: tx.s,
    yParity: tx.type === 0 ? undefined : tx.v,
    blockHash: loc?.blockHash,
    blockNumber: loc?.blockNumber,
    blockTimestamp: loc?.timestamp,
    transactionIndex: loc?.index,
  };
}

export function toRpcBlock(b: BlockView): RpcBlock {
  const h = b.header;
  return {
    header: {
      number: h.number,
      hash: h.hash,
      parentHash: h.parentHash,
      stateRoot: h.stateRoot,
      transactionsRoot: h.transactionsRoot,
      receiptsRoot: h.receiptsRoot,
      logsBloom: h.logsBloom,
      timestamp: h.timestamp,
      gasLimit: h.gasLimit,
      gasUsed: h.gasUsed,
      baseFeePerGas: h.baseFeePerGas,
      miner: h.coinbase,
      extraData: h.extraData,
      mixHash: h.mixHash,
      blobGasUsed: h.blobGasUsed,
      excessBlobGas: h.excessBlobGas,
      parentBeaconBlockRoot: h.parentBeaconBlockRoot,
      withdrawalsRoot: h.withdrawalsRoot,
      size: BigInt(h.size),
    },
    transactions: (b.txs ?? []).map((tx, i) => toRpcTransaction(tx, { blockHash: h.hash, blockNumber: h.number, index: i, timestamp: h.timestamp })),
  };
}

export function toRpcLog(l: LogView, blockTimestamp?: bigint): RpcLog {
  return {
    blockTimestamp,
    address: l.address,
    topics: l.topics,
    data: bytesToHex(l.data) as Hex,
    blockNumber: l.blockNumber,
    blockHash: l.blockHash,
    transactionHash: l.txHash,
    transactionIndex: l.txIndex,
    logIndex: l.logIndex,
    removed: false,
  };
}

export function toRpcReceipt(r: ReceiptView, blockTimestamp?: bigint): RpcReceipt {
  return {
    transactionHash: r.txHash,
    transactionIndex: r.txIndex,
    blockHash: r.blockHash,
    blockNumber: r.blockNumber,
    from: r.from,
    to: r.to,
    cumulativeGasUsed: r.cumulativeGasUsed,
    gasUsed: r.gasUsed,
    effectiveGasPrice: r.effectiveGasPrice,
    contractAddress: r.contractAddress,
    logs: r.logs.map((l) => toRpcLog(l, blockTimestamp)),
    logsBloom: r.logsBloom,
    status: r.status,
    type: r.type,
    blobGasUsed: r.blobGasUsed,
    blobGasPrice: r.blobGasPrice,
  };
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
  const envOfBlock = (b: BlockView): BlockEnv => ({
    chainId: node.chainId,
    number: b.header.number,
    timestamp: b.header.timestamp,
    coinbase: b.header.coinbase,
    gasLimit: b.header.gasLimit,
    baseFee: b.header.baseFeePerGas,
    prevRandao: b.header.mixHash,
    excessBlobGas: b.header.excessBlobGas,
    recentBlockHashes: [b.header.parentHash],
  });
  node.events.setMaxListeners(0);
  const timestamps = new BlockTimestamps((n) => node.getBlockByNumber(n, false).then((b) => b?.header.timestamp));
  const logsWithTimestamps = async (logs: LogView[]): Promise<RpcLog[]> => {
    const out: RpcLog[] = [];
    for (const l of logs) out.push(toRpcLog(l, await timestamps.of(l.blockNumber)));
    return out;
  };
  return {
    chainId: node.chainId,
    headNumber: () => node.blockNumber(),
    getBlockByNumber: async (n) => {
      const b = await node.getBlockByNumber(n, true);
      return b ? toRpcBlock(b) : undefined;
    },
    getBlockByHash: async (h) => {
      const b = await node.getBlockByHash(h, true);
      return b ? toRpcBlock(b) : undefined;
    },
    droppedTransaction: (h) => dropped.get(h),
    getTransaction: async (h) => {
      const t = await node.getTransaction(h);
      if (!t) return undefined;
      return toRpcTransaction(t.tx, t.location && { ...t.location, timestamp: await timestamps.of(t.location.blockNumber) });
    },
    getReceipt: async (h) => {
      const r = await node.getReceipt(h);
      return r ? toRpcReceipt(r, await timestamps.of(r.blockNumber)) : undefined;
    },
    getBlockReceipts: async (n) => {
      const b = await node.getBlockByNumber(n, false);
      if (!b) return undefined;
      const out: RpcReceipt[] = [];
      for (const h of b.txHashes) {
        const r = await node.getReceipt(h);
        if (r) out.push(toRpcReceipt(r, b.header.timestamp));
      }
      return out;
    },
    getLogs: async (q) => logsWithTimestamps(await node.getLogs(q)),
    blockHash: async (n) => (await node.getBlockByNumber(n, false))?.header.hash,
    feeHistory: (count, newest) => node.feeHistory(count, newest),
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
    blockEnv: async (n) => {
      const b = await node.getBlockByNumber(n, false);
      return b ? envOfBlock(b) : undefined;
    },
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
      node.events.on('pendingTransaction', fn);
      return () => node.events.off('pendingTransaction', fn);
    },
  };
}
