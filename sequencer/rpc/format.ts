// JSON shapes of blocks, transactions, receipts and logs, as geth returns them.
import type { RpcBlock, RpcHeader, RpcLog, RpcReceipt, RpcTransaction } from './node-api.js';
import type { Hex } from '../primitives/types.js';

export const q = (n: bigint | number): Hex => `0x${n.toString(16)}`;

const EMPTY_UNCLES_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
const ZERO_NONCE: Hex = '0x0000000000000000';

export function formatHeader(h: RpcHeader): Record<string, unknown> {
  return {
    number: q(h.number),
    hash: h.hash,
    parentHash: h.parentHash,
    nonce: ZERO_NONCE,
    sha3Uncles: EMPTY_UNCLES_HASH,
    logsBloom: h.logsBloom,
    transactionsRoot: h.transactionsRoot,
    stateRoot: h.stateRoot,
    receiptsRoot: h.receiptsRoot,
    miner: h.miner,
    difficulty: '0x0',
    extraData: h.extraData,
    size: q(h.size),
    gasLimit: q(h.gasLimit),
    gasUsed: q(h.gasUsed),
    timestamp: q(h.timestamp),
    mixHash: h.mixHash,
    baseFeePerGas: q(h.baseFeePerGas),
    withdrawalsRoot: h.withdrawalsRoot,
    blobGasUsed: q(h.blobGasUsed),
    excessBlobGas: q(h.excessBlobGas),
    parentBeaconBlockRoot: h.parentBeaconBlockRoot,
  };
}

export function formatBlock(b: RpcBlock, fullTransactions: boolean): Record<string, unknown> {
  return {
    ...formatHeader(b.header),
    transactions: fullTransactions
      ? b.transactions.map((tx, i) => formatTransaction({ ...tx, blockHash: b.header.hash, blockNumber: b.header.number, blockTimestamp: b.header.timestamp, transactionIndex: i }, b.header.baseFeePerGas))
      : b.transactionHashes,
    uncles: [],
    withdrawals: [],
  };
}

/** `baseFee` of the including block gives a 1559 transaction its effective gasPrice (geth does the same). */
export function formatTransaction(tx: RpcTransaction, baseFee?: bigint): Record<string, unknown> {
  const mined = tx.blockHash !== undefined;
  const out: Record<string, unknown> = {
    blockHash: mined ? tx.blockHash : null,
    blockNumber: mined ? q(tx.blockNumber!) : null,
    // execution-apis: the including block's timestamp (null while pending).
    blockTimestamp: mined && tx.blockTimestamp !== undefined ? q(tx.blockTimestamp) : null,
    transactionIndex: mined ? q(tx.transactionIndex!) : null,
    hash: tx.hash,
    type: q(tx.type),
    from: tx.from,
    to: tx.to,
    nonce: q(tx.nonce),
    gas: q(tx.gas),
    value: q(tx.value),
    input: tx.input,
  };
  if (tx.type >= 2) {
    const maxFee = tx.maxFeePerGas ?? 0n;
    const tip = tx.maxPriorityFeePerGas ?? 0n;
    out.maxFeePerGas = q(maxFee);
    out.maxPriorityFeePerGas = q(tip);
    out.gasPrice = q(mined && baseFee !== undefined ? min(maxFee, baseFee + tip) : maxFee);
  } else {
    out.gasPrice = q(tx.gasPrice ?? 0n);
  }
  if (tx.type === 3) {
    out.maxFeePerBlobGas = q(tx.maxFeePerBlobGas ?? 0n);
    out.blobVersionedHashes = tx.blobVersionedHashes ?? [];
  }
  if (tx.type === 4) {
    out.authorizationList = (tx.authorizationList ?? []).map((a) => ({
      chainId: q(a.chainId),
      address: a.address,
      nonce: q(a.nonce),
      yParity: q(a.yParity),
      r: q(a.r),
      s: q(a.s),
    }));
  }
  if (tx.type >= 1) {
    out.accessList = tx.accessList ?? [];
    out.chainId = q(tx.chainId ?? 0n);
    out.yParity = q(tx.yParity ?? tx.v);
  } else if (tx.chainId !== undefined) {
    out.chainId = q(tx.chainId);
  }
  out.v = q(tx.v);
  out.r = q(tx.r);
  out.s = q(tx.s);
  return out;
}

export function formatLog(l: RpcLog): Record<string, unknown> {
  const out: Record<string, unknown> = {
    address: l.address,
    topics: l.topics,
    data: l.data,
    blockNumber: q(l.blockNumber),
    transactionHash: l.transactionHash,
    transactionIndex: q(l.transactionIndex),
    blockHash: l.blockHash,
    logIndex: q(l.logIndex),
    removed: false,
  };
  if (l.blockTimestamp !== undefined) out.blockTimestamp = q(l.blockTimestamp);
  return out;
}

export function formatReceipt(r: RpcReceipt): Record<string, unknown> {
  const out: Record<string, unknown> = {
    transactionHash: r.transactionHash,
    transactionIndex: q(r.transactionIndex),
    blockHash: r.blockHash,
    blockNumber: q(r.blockNumber),
    from: r.from,
    to: r.to,
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    gasUsed: q(r.gasUsed),
    effectiveGasPrice: q(r.effectiveGasPrice),
    contractAddress: r.contractAddress,
    logs: r.logs.map(formatLog),
    logsBloom: r.logsBloom,
    type: q(r.type),
    status: q(r.status),
  };
  if (r.blobGasUsed !== undefined && r.type === 3) {
    out.blobGasUsed = q(r.blobGasUsed);
    out.blobGasPrice = q(r.blobGasPrice ?? 0n);
  }
  return out;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
