// The node's views (node/types.ts) in the RPC layer's terms (node-api.ts).
import type { BlockView, LogView, ReceiptView, TxView } from '../node/types.js';
import { bytesToHex, type Hex } from '../primitives/types.js';
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from './node-api.js';

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
    transactionHashes: b.txHashes,
    get transactions(): RpcTransaction[] {
      const txs = (b.txs ?? []).map((tx, i) => toRpcTransaction(tx, { blockHash: h.hash, blockNumber: h.number, index: i, timestamp: h.timestamp }));
      Object.defineProperty(this, 'transactions', { value: txs, enumerable: true });
      return txs;
    },
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
