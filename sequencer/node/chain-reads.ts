// Reads of the sealed chain from the store: blocks, mined transactions, receipts, logs, fee history. The
// sequencer node and an RPC replica (sequencer/replica/) serve them the same way from the same tables; the
// sequencer answers its recent blocks from memory first (RecentBlocks, fed as blocks are announced).
import type { Common } from '@ethereumjs/common';
import { headerFromRlp, headerView, logsBloom } from '../block/builder.js';
import { txFromStored, txView } from '../ingress/decode.js';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';
import type { ChainStore, StoredBlock, StoredReceipt, StoredTx } from '../store/store.js';
import type { RecentBlocks } from './recent-blocks.js';
import type { BlockView, FeeHistoryEntry, LogFilter, LogView, ReceiptView, TxLookup, TxView } from './types.js';

export class ChainReads {
  private readonly chainId: bigint;

  constructor(
    private readonly store: ChainStore,
    private readonly common: Common,
    private readonly recent?: RecentBlocks,
  ) {
    this.chainId = common.chainId();
  }

  async blockByNumber(n: bigint, full = false): Promise<BlockView | null> {
    const r = this.recent?.block(n);
    if (r) return withTxs(r, full);
    const b = await this.store.blockByNumber(n);
    return b ? this.blockView(b, full) : null;
  }

  async blockByHash(hash: Hex, full = false): Promise<BlockView | null> {
    const h = hash.toLowerCase() as Hex;
    const r = this.recent?.blockByHash(h);
    if (r) return withTxs(r, full);
    const b = await this.store.blockByHash(h);
    return b ? this.blockView(b, full) : null;
  }

  async blockView(b: StoredBlock, full: boolean): Promise<BlockView> {
    const header = headerFromRlp(b.header, this.common);
    const txs = await this.store.txsOfBlock(b.number);
    return {
      header: headerView(header, b.size),
      txHashes: txs.map((t) => t.hash),
      txs: full ? txs.map((t) => this.storedTxView(t)) : undefined,
    };
  }

  /** Block n's hash: one row, no header decode and no transactions (BLOCKHASH windows read up to 256). */
  async blockHash(n: bigint): Promise<Hex | undefined> {
    return (await this.store.blockByNumber(n))?.hash;
  }

  storedTxView(t: StoredTx): TxView {
    return txView(txFromStored(t.raw, t.sender, this.chainId));
  }

  /** A transaction in a sealed block, with its location; null when no sealed block has it. */
  async minedTransaction(hash: Hex): Promise<TxLookup | null> {
    const h = hash.toLowerCase() as Hex;
    const recent = this.recent?.tx(h);
    if (recent) return { tx: recent.tx, location: { blockNumber: recent.receipt.blockNumber, blockHash: recent.receipt.blockHash, index: recent.receipt.index }, effectiveGasPrice: recent.receipt.effectiveGasPrice };
    const t = await this.store.tx(h);
    if (!t) return null;
    const r = await this.store.receipt(h);
    return {
      tx: this.storedTxView(t),
      location: { blockNumber: t.blockNumber, blockHash: t.blockHash, index: t.index },
      effectiveGasPrice: r?.effectiveGasPrice,
    };
  }

  async receipt(hash: Hex): Promise<ReceiptView | null> {
    const h = hash.toLowerCase() as Hex;
    const recent = this.recent?.tx(h);
    // A blob transaction's receipt needs its block's blob gas price: those take the store path.
    if (recent && recent.tx.type !== 3) return receiptView(recent.tx, recent.receipt);
    const [t, r] = await Promise.all([this.store.tx(h), this.store.receipt(h)]);
    if (!t || !r) return null;
    const tx = this.storedTxView(t);
    let blobGasPrice: bigint | undefined;
    if (tx.type === 3) {
      const b = await this.store.blockByNumber(t.blockNumber);
      if (b) blobGasPrice = headerFromRlp(b.header, this.common).getBlobGasPrice();
    }
    return receiptView(tx, r, blobGasPrice);
  }

  /** Logs matching the filter; from/to default to `head`. */
  async logs(filter: LogFilter, head: bigint): Promise<LogView[]> {
    const rows = await this.store.logs({
      fromBlock: filter.fromBlock ?? head,
      toBlock: filter.toBlock ?? head,
      blockHash: filter.blockHash?.toLowerCase() as Hex | undefined,
      addresses: filter.addresses?.map((a) => a.toLowerCase() as Address),
      topics: filter.topics?.map((t) => (t === null ? null : t.map((x) => x.toLowerCase() as Hex))),
    });
    return rows.map((l) => ({ address: l.address, topics: l.topics, data: l.data, blockNumber: l.blockNumber, blockHash: l.blockHash, txHash: l.txHash, txIndex: l.txIndex, logIndex: l.logIndex, removed: false }));
  }

  /** Fee history entries for blocks [newest-count+1, newest]. */
  async feeHistory(count: number, newest: bigint): Promise<FeeHistoryEntry[]> {
    const out: FeeHistoryEntry[] = [];
    const first = newest - BigInt(count) + 1n;
    for (let n = first < 0n ? 0n : first; n <= newest; n++) {
      const b = await this.store.blockByNumber(n);
      if (!b) continue;
      const h = headerFromRlp(b.header, this.common);
      const receipts = await this.store.receiptsOfBlock(n);
      const baseFee = h.baseFeePerGas ?? 0n;
      out.push({
        number: n,
        baseFeePerGas: baseFee,
        gasUsed: h.gasUsed,
        gasLimit: h.gasLimit,
        blobGasUsed: h.blobGasUsed ?? 0n,
        excessBlobGas: h.excessBlobGas ?? 0n,
        tips: receipts.map((r) => ({ tip: r.effectiveGasPrice - baseFee, gasUsed: r.gasUsed })).sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0)),
      });
    }
    return out;
  }
}

/** A kept block view as asked: with its transaction views or with the hashes alone. */
function withTxs(b: BlockView, full: boolean): BlockView {
  return full ? b : { header: b.header, txHashes: b.txHashes };
}

function receiptView(tx: TxView, r: StoredReceipt, blobGasPrice?: bigint): ReceiptView {
  const logs: LogView[] = r.logs.map((l) => ({ ...l, blockNumber: r.blockNumber, blockHash: r.blockHash, txHash: r.txHash, txIndex: r.index, removed: false }));
  return {
    txHash: r.txHash,
    txIndex: r.index,
    blockNumber: r.blockNumber,
    blockHash: r.blockHash,
    from: tx.from,
    to: tx.to,
    type: tx.type,
    status: r.status,
    gasUsed: r.gasUsed,
    cumulativeGasUsed: r.cumulativeGasUsed,
    effectiveGasPrice: r.effectiveGasPrice,
    blobGasUsed: tx.type === 3 ? r.blobGasUsed : undefined,
    blobGasPrice,
    contractAddress: r.contractAddress,
    logs,
    logsBloom: bytesToHex(logsBloom(r.logs)) as Hex,
  };
}
