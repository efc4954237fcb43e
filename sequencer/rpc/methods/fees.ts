// Fee suggestions: base fee of the next block plus a tip from recent blocks (geth's oracle, simplified).
import { nextTurn } from '../turns.js';
import { blobBaseFee } from '../../chain/blob-fee.js';
import type { FeeHistoryEntry, RpcNode } from '../node-api.js';
import { invalidParams } from '../errors.js';
import { q } from '../format.js';
import type { RpcContext } from '../context.js';
import { arity, blockNumberOrTag, typeName } from '../params.js';
import type { Methods } from './types.js';

/** Suggested tip when recent blocks carry no paying transactions: 0.001 gwei (the OP-stack default). */
export const MIN_SUGGESTED_TIP = 1_000_000n;
const TIP_SAMPLE_BLOCKS = 20;
const TIP_PERCENTILE = 60;

/** Blocks per node read (each is a few store reads); the event loop gets a turn between chunks. */
const FEE_CHUNK = 16;
/** Entries kept per node: a sealed block's entry never changes, so repeated histories cost map lookups. */
const FEE_CACHE_BLOCKS = 4096;

interface FeeCache {
  entries: Map<bigint, FeeHistoryEntry>;
  /** Chunks being read, by first block: concurrent requests for the same blocks share one read. */
  reading: Map<bigint, Promise<FeeHistoryEntry[]>>;
}
const feeCaches = new WeakMap<RpcNode, FeeCache>();

/** Fee entries of blocks [newest-count+1, newest] (all sealed), from the cache or the node in chunks. */
async function feeEntries(ctx: RpcContext, count: number, newest: bigint): Promise<FeeHistoryEntry[]> {
  let cache = feeCaches.get(ctx.node);
  if (cache === undefined) feeCaches.set(ctx.node, (cache = { entries: new Map(), reading: new Map() }));
  const out: FeeHistoryEntry[] = [];
  const first = newest - BigInt(count) + 1n;
  for (let n = first < 0n ? 0n : first; n <= newest; ) {
    const hit = cache.entries.get(n);
    if (hit !== undefined) {
      out.push(hit);
      n++;
      continue;
    }
    const end = n + BigInt(FEE_CHUNK) - 1n < newest ? n + BigInt(FEE_CHUNK) - 1n : newest;
    let read = cache.reading.get(n);
    if (read === undefined) {
      const c = cache;
      read = (async () => {
        await nextTurn();
        const entries = await ctx.node.feeHistory(Number(end - n + 1n), end);
        for (const e of entries) c.entries.set(e.number, e);
        return entries;
      })().finally(() => c.reading.delete(n));
      cache.reading.set(n, read);
    }
    const entries = await read;
    for (const e of entries) if (e.number <= newest) out.push(e);
    n = (entries.length > 0 ? entries[entries.length - 1].number : end) + 1n;
  }
  while (cache.entries.size > FEE_CACHE_BLOCKS) cache.entries.delete(cache.entries.keys().next().value!);
  return out;
}

export async function suggestTip(ctx: RpcContext): Promise<bigint> {
  const head = ctx.node.headNumber();
  const count = Number(head + 1n < BigInt(TIP_SAMPLE_BLOCKS) ? head + 1n : BigInt(TIP_SAMPLE_BLOCKS));
  const entries = await feeEntries(ctx, count, head);
  const tips = entries.flatMap((e) => e.tips.map((t) => t.tip)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (tips.length === 0) return MIN_SUGGESTED_TIP;
  const tip = tips[Math.min(tips.length - 1, Math.floor(((tips.length - 1) * TIP_PERCENTILE) / 100))];
  return tip > MIN_SUGGESTED_TIP ? tip : MIN_SUGGESTED_TIP;
}

/** geth accepts blockCount as a hex quantity or a JSON number. */
function blockCount(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^0x(0|[1-9a-fA-F][0-9a-fA-F]{0,7})$/.test(v)) return Number(BigInt(v));
  if (typeof v === 'string' && /^(0|[1-9][0-9]{0,9})$/.test(v)) return Number(v);
  throw invalidParams(`blockCount: expected hex or decimal count, got ${typeName(v)}`);
}

export const feeMethods: Methods = {
  eth_gasPrice: async (p, { ctx }) => {
    arity(p, 0, 0);
    return q(ctx.node.nextBlockEnv().baseFee + (await suggestTip(ctx)));
  },
  eth_maxPriorityFeePerGas: async (p, { ctx }) => {
    arity(p, 0, 0);
    return q(await suggestTip(ctx));
  },
  eth_blobBaseFee: (p, { ctx }) => {
    arity(p, 0, 0);
    return q(blobBaseFee(ctx.node.nextBlockEnv().excessBlobGas));
  },
  eth_feeHistory: async (p, { ctx }) => {
    arity(p, 2, 3);
    let count = blockCount(p[0]);
    const sel = blockNumberOrTag(p[1], 'newestBlock');
    let percentiles: number[] | undefined;
    if (p[2] !== undefined) {
      if (!Array.isArray(p[2])) throw invalidParams('rewardPercentiles: expected array of numbers');
      if (p[2].length > 100) throw invalidParams('rewardPercentiles: at most 100 percentiles');
      percentiles = p[2].map((x, i) => {
        if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 100) throw invalidParams(`rewardPercentiles[${i}]: expected number in [0, 100]`);
        return x;
      });
      for (let i = 1; i < percentiles.length; i++) {
        if (percentiles[i] < percentiles[i - 1]) throw invalidParams(`rewardPercentiles: invalid reward percentile #${i}: ${percentiles[i]}, must be increasing`);
      }
    }
    const head = ctx.node.headNumber();
    let newest = (await ctx.resolveNumber(sel)) ?? head;
    if (newest > head) newest = head; // pending: no pending block, answer up to the head
    count = Math.min(count, ctx.limits.maxFeeHistoryBlocks, Number(newest + 1n));
    if (count === 0) return { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [], baseFeePerBlobGas: [], blobGasUsedRatio: [] };
    const entries = await feeEntries(ctx, count, newest);
    const oldest = newest - BigInt(count) + 1n;
    const nextBaseFee = newest === head ? ctx.node.nextBlockEnv().baseFee : ((await ctx.node.getBlockByNumber(newest + 1n))?.header.baseFeePerGas ?? 0n);
    const nextExcess = newest === head ? ctx.node.nextBlockEnv().excessBlobGas : ((await ctx.node.getBlockByNumber(newest + 1n))?.header.excessBlobGas ?? 0n);
    const MAX_BLOB_GAS = 786_432n;
    const out: Record<string, unknown> = {
      oldestBlock: q(oldest),
      baseFeePerGas: [...entries.map((e) => q(e.baseFeePerGas)), q(nextBaseFee)],
      gasUsedRatio: entries.map((e) => (e.gasLimit === 0n ? 0 : Number(e.gasUsed) / Number(e.gasLimit))),
      baseFeePerBlobGas: [...entries.map((e) => q(blobBaseFee(e.excessBlobGas))), q(blobBaseFee(nextExcess))],
      blobGasUsedRatio: entries.map((e) => Number(e.blobGasUsed) / Number(MAX_BLOB_GAS)),
    };
    if (percentiles !== undefined) {
      out.reward = entries.map((e) => {
        if (e.tips.length === 0) return percentiles!.map(() => '0x0');
        const total = e.tips.reduce((s, t) => s + t.gasUsed, 0n);
        return percentiles!.map((pct) => {
          const threshold = (Number(total) * pct) / 100;
          let sum = 0;
          for (const t of e.tips) {
            sum += Number(t.gasUsed);
            if (sum >= threshold) return q(t.tip);
          }
          return q(e.tips[e.tips.length - 1].tip);
        });
      });
    }
    return out;
  },
};
