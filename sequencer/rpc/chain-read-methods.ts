// The RpcNode reads of the sealed chain, over the store (node/chain-reads.ts): what a sequencer and an RPC
// replica serve the same way. `visibleHead` hides blocks the node has not announced yet (a replica serves
// nothing past the block it has applied, so reads agree with its newHeads stream and its state).
import type { BlockEnv } from '../executor/types.js';
import type { ChainReads } from '../node/chain-reads.js';
import type { BlockView, LogView } from '../node/types.js';
import type { Hex } from '../primitives/types.js';
import { BlockTimestamps } from './block-timestamps.js';
import type { RpcLog, RpcNode, RpcReceipt } from './node-api.js';
import { toRpcBlock, toRpcLog, toRpcReceipt, toRpcTransaction } from './rpc-views.js';

export type ChainReadMethods = Pick<RpcNode, 'getBlockByNumber' | 'getBlockByHash' | 'getReceipt' | 'getBlockReceipts' | 'getLogs' | 'blockHash' | 'feeHistory' | 'blockEnv'> & {
  /** A transaction in a block the node serves (pending ones are the node's own business). */
  minedTransaction: RpcNode['getTransaction'];
  /** `blockTimestamp` for logs and transactions of sealed blocks. */
  timestamps: BlockTimestamps;
};

export function chainReadMethods(reads: ChainReads, chainId: bigint, visibleHead: () => bigint): ChainReadMethods {
  const visible = <T extends { header: { number: bigint } } | null>(b: T): T | null => (b !== null && b.header.number > visibleHead() ? null : b);
  const block = async (n: bigint, full: boolean) => (n > visibleHead() ? null : reads.blockByNumber(n, full));
  const timestamps = new BlockTimestamps(async (n) => (await block(n, false))?.header.timestamp);
  const envOfBlock = (b: BlockView): BlockEnv => ({
    chainId,
    number: b.header.number,
    timestamp: b.header.timestamp,
    coinbase: b.header.coinbase,
    gasLimit: b.header.gasLimit,
    baseFee: b.header.baseFeePerGas,
    prevRandao: b.header.mixHash,
    excessBlobGas: b.header.excessBlobGas,
    recentBlockHashes: [b.header.parentHash],
  });
  const logsWithTimestamps = async (logs: LogView[]): Promise<RpcLog[]> => {
    const out: RpcLog[] = [];
    for (const l of logs) out.push(toRpcLog(l, await timestamps.of(l.blockNumber)));
    return out;
  };
  return {
    timestamps,
    getBlockByNumber: async (n) => {
      const b = await block(n, true);
      return b ? toRpcBlock(b) : undefined;
    },
    getBlockByHash: async (h) => {
      const b = visible(await reads.blockByHash(h, true));
      return b ? toRpcBlock(b) : undefined;
    },
    minedTransaction: async (h) => {
      const t = await reads.minedTransaction(h);
      if (!t?.location || t.location.blockNumber > visibleHead()) return undefined;
      return toRpcTransaction(t.tx, { ...t.location, timestamp: await timestamps.of(t.location.blockNumber) });
    },
    getReceipt: async (h) => {
      const r = await reads.receipt(h);
      return r && r.blockNumber <= visibleHead() ? toRpcReceipt(r, await timestamps.of(r.blockNumber)) : undefined;
    },
    getBlockReceipts: async (n) => {
      const b = await block(n, false);
      if (!b) return undefined;
      const out: RpcReceipt[] = [];
      for (const h of b.txHashes) {
        const r = await reads.receipt(h);
        if (r) out.push(toRpcReceipt(r, b.header.timestamp));
      }
      return out;
    },
    getLogs: async (q) => logsWithTimestamps(await reads.logs(q, visibleHead())),
    blockHash: async (n: bigint): Promise<Hex | undefined> => (n > visibleHead() ? undefined : reads.blockHash(n)),
    feeHistory: (count, newest) => reads.feeHistory(count, newest),
    blockEnv: async (n) => {
      const b = await block(n, false);
      return b ? envOfBlock(b) : undefined;
    },
  };
}
