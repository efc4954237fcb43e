// eth_getLogs with range and result caps, and the polling filters (eth_newFilter & co.) that HTTP
// clients (viem's watchContractEvent, ethers' filters) use.
import { nextTurn } from '../turns.js';
import { randomBytes } from 'node:crypto';
import type { Address, Hex } from '../../primitives/types.js';
import type { RpcContext } from '../context.js';
import { invalidParams, limitExceeded, RpcError, ErrorCode } from '../errors.js';
import { formatLog } from '../format.js';
import type { RpcLog } from '../node-api.js';
import { address, arity, blockNumberOrTag, hash, object, typeName } from '../params.js';
import type { Methods } from './types.js';

export interface LogCriteria {
  addresses?: Address[];
  topics?: (Hex[] | null)[];
}

export interface LogQuery extends LogCriteria {
  fromBlock?: ReturnType<typeof blockNumberOrTag>;
  toBlock?: ReturnType<typeof blockNumberOrTag>;
  blockHash?: Hex;
}

const MAX_TOPICS = 4;
const MAX_ADDRESSES = 1000;

/** Parses the address / topics part of a filter (shared with the logs subscription). */
export function logCriteria(o: Record<string, unknown>, name: string): LogCriteria {
  const out: LogCriteria = {};
  if (o.address !== undefined && o.address !== null) {
    const list = Array.isArray(o.address) ? o.address : [o.address];
    if (list.length > MAX_ADDRESSES) throw invalidParams(`${name}.address: at most ${MAX_ADDRESSES} addresses`);
    out.addresses = list.map((a, i) => address(a, `${name}.address[${i}]`));
  }
  if (o.topics !== undefined && o.topics !== null) {
    if (!Array.isArray(o.topics)) throw invalidParams(`${name}.topics: expected array, got ${typeName(o.topics)}`);
    if (o.topics.length > MAX_TOPICS) throw invalidParams(`${name}.topics: exceed max topics`);
    out.topics = o.topics.map((t, i) => {
      if (t === null) return null;
      if (Array.isArray(t)) return t.length === 0 ? null : t.map((x, j) => hash(x, `${name}.topics[${i}][${j}]`));
      return [hash(t, `${name}.topics[${i}]`)];
    });
    while (out.topics.length > 0 && out.topics[out.topics.length - 1] === null) out.topics.pop();
  }
  return out;
}

export function parseLogQuery(v: unknown, name = 'filter'): LogQuery {
  const o = object(v, name);
  const q: LogQuery = logCriteria(o, name);
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if ((o.fromBlock ?? null) !== null || (o.toBlock ?? null) !== null) throw invalidParams('cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other');
    q.blockHash = hash(o.blockHash, `${name}.blockHash`);
  }
  if (o.fromBlock !== undefined && o.fromBlock !== null) q.fromBlock = blockNumberOrTag(o.fromBlock, `${name}.fromBlock`);
  if (o.toBlock !== undefined && o.toBlock !== null) q.toBlock = blockNumberOrTag(o.toBlock, `${name}.toBlock`);
  return q;
}

export function matchesLog(l: { address: Address; topics: Hex[] }, c: LogCriteria): boolean {
  if (c.addresses && c.addresses.length > 0 && !c.addresses.includes(l.address)) return false;
  if (c.topics) {
    if (c.topics.length > l.topics.length) return false;
    for (let i = 0; i < c.topics.length; i++) {
      const want = c.topics[i];
      if (want !== null && !want.includes(l.topics[i])) return false;
    }
  }
  return true;
}

async function rangeOf(ctx: RpcContext, q: LogQuery): Promise<[bigint, bigint]> {
  const head = ctx.node.headNumber();
  const resolve = async (s: LogQuery['fromBlock']) => (s === undefined ? head : ((await ctx.resolveNumber(s)) ?? head));
  let from = await resolve(q.fromBlock);
  let to = await resolve(q.toBlock);
  if (from > head + 1n) from = head + 1n;
  if (to > head) to = head;
  if (q.fromBlock !== undefined && q.toBlock !== undefined && 'number' in q.fromBlock && 'number' in q.toBlock && q.fromBlock.number > q.toBlock.number) {
    throw invalidParams('invalid block range params: fromBlock is after toBlock');
  }
  return [from, to];
}

/** Logs matching a query in [from, to], with the server's caps. */
export async function queryLogs(ctx: RpcContext, q: LogQuery, range?: [bigint, bigint]): Promise<RpcLog[]> {
  let logs: RpcLog[];
  if (q.blockHash !== undefined) {
    const b = await ctx.node.getBlockByHash(q.blockHash);
    if (!b) throw new RpcError(ErrorCode.SERVER, 'unknown block');
    logs = await ctx.node.getLogs({ blockHash: q.blockHash, addresses: q.addresses, topics: q.topics });
  } else {
    const [from, to] = range ?? (await rangeOf(ctx, q));
    if (from > to) return [];
    if (to - from + 1n > ctx.limits.maxLogsBlockRange) throw limitExceeded(`query exceeds max block range ${ctx.limits.maxLogsBlockRange}`);
    return rangeLogs(ctx, q, from, to);
  }
  // The node filters too; this keeps the semantics exact whatever the store does.
  logs = logs.filter((l) => matchesLog(l, q));
  if (logs.length > ctx.limits.maxLogsResults) throw tooManyLogs(ctx);
  return logs;
}

/** Blocks per store query of a range: the event loop gets a turn between them. */
const LOG_CHUNK_BLOCKS = 256n;

const tooManyLogs = (ctx: RpcContext) => limitExceeded(`query returned more than ${ctx.limits.maxLogsResults} results`);

/** A range's logs, chunk by chunk; stops as soon as the result cap is passed (not after reading everything). */
async function rangeLogs(ctx: RpcContext, q: LogQuery, from: bigint, to: bigint): Promise<RpcLog[]> {
  const logs: RpcLog[] = [];
  for (let start = from; start <= to; start += LOG_CHUNK_BLOCKS) {
    if (start > from) await nextTurn();
    const end = start + LOG_CHUNK_BLOCKS - 1n < to ? start + LOG_CHUNK_BLOCKS - 1n : to;
    for (const l of await ctx.node.getLogs({ fromBlock: start, toBlock: end, addresses: q.addresses, topics: q.topics })) {
      if (matchesLog(l, q)) logs.push(l);
    }
    if (logs.length > ctx.limits.maxLogsResults) throw tooManyLogs(ctx);
  }
  return logs;
}

// ---- polling filters ----

type Filter =
  | { kind: 'logs'; query: LogQuery; next: bigint; touched: number }
  | { kind: 'blocks'; next: bigint; touched: number }
  | { kind: 'pending'; hashes: Hex[]; unsubscribe: () => void; touched: number };

const FILTER_TIMEOUT_MS = 5 * 60_000;
const MAX_FILTERS = 10_000;
const MAX_PENDING_BUFFER = 10_000;

class FilterRegistry {
  readonly filters = new Map<string, Filter>();
  private readonly sweeper: NodeJS.Timeout;
  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }
  add(f: Filter): string {
    if (this.filters.size >= MAX_FILTERS) this.sweep();
    if (this.filters.size >= MAX_FILTERS) throw limitExceeded('too many filters');
    const id = `0x${randomBytes(16).toString('hex')}`;
    this.filters.set(id, f);
    return id;
  }
  remove(id: string): boolean {
    const f = this.filters.get(id);
    if (!f) return false;
    if (f.kind === 'pending') f.unsubscribe();
    return this.filters.delete(id);
  }
  sweep(): void {
    const now = Date.now();
    for (const [id, f] of this.filters) if (now - f.touched > FILTER_TIMEOUT_MS) this.remove(id);
  }
  close(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.filters.keys()]) this.remove(id);
  }
}

const registries = new WeakMap<RpcContext, FilterRegistry>();
function registry(ctx: RpcContext): FilterRegistry {
  let r = registries.get(ctx);
  if (!r) {
    const reg = new FilterRegistry();
    registries.set(ctx, reg);
    const prev = ctx.close;
    ctx.close = () => {
      reg.close();
      prev();
    };
    r = reg;
  }
  return r;
}

function filterId(v: unknown): string {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw invalidParams('filter id: expected hex string');
  return v.toLowerCase();
}

const filterNotFound = () => new RpcError(ErrorCode.SERVER, 'filter not found');

export const logMethods: Methods = {
  eth_getLogs: async (p, { ctx }) => {
    arity(p, 1, 1);
    return (await queryLogs(ctx, parseLogQuery(p[0]))).map(formatLog);
  },
  eth_newFilter: async (p, { ctx }) => {
    arity(p, 1, 1);
    const query = parseLogQuery(p[0]);
    const head = ctx.node.headNumber();
    return registry(ctx).add({ kind: 'logs', query, next: head + 1n, touched: Date.now() });
  },
  eth_newBlockFilter: (p, { ctx }) => {
    arity(p, 0, 0);
    return registry(ctx).add({ kind: 'blocks', next: ctx.node.headNumber() + 1n, touched: Date.now() });
  },
  eth_newPendingTransactionFilter: (p, { ctx }) => {
    arity(p, 0, 1);
    const f: Filter = { kind: 'pending', hashes: [], unsubscribe: () => {}, touched: Date.now() };
    f.unsubscribe = ctx.node.onPendingTransaction((p) => {
      if (f.hashes.length < MAX_PENDING_BUFFER) f.hashes.push(p.hash);
    });
    return registry(ctx).add(f);
  },
  eth_uninstallFilter: (p, { ctx }) => {
    arity(p, 1, 1);
    return registry(ctx).remove(filterId(p[0]));
  },
  eth_getFilterChanges: async (p, { ctx }) => {
    arity(p, 1, 1);
    const f = registry(ctx).filters.get(filterId(p[0]));
    if (!f) throw filterNotFound();
    f.touched = Date.now();
    const head = ctx.node.headNumber();
    if (f.kind === 'pending') return f.hashes.splice(0);
    if (f.kind === 'blocks') {
      const out: Hex[] = [];
      let n = f.next;
      if (head - n + 1n > 1000n) n = head - 999n;
      for (; n <= head; n++) {
        const b = await ctx.node.getBlockByNumber(n);
        if (b) out.push(b.header.hash);
      }
      f.next = head + 1n;
      return out;
    }
    const fq = f.query;
    let from = f.next;
    if (fq.fromBlock && 'number' in fq.fromBlock && fq.fromBlock.number > from) from = fq.fromBlock.number;
    let to = head;
    if (fq.toBlock && 'number' in fq.toBlock && fq.toBlock.number < to) to = fq.toBlock.number;
    if (to - from + 1n > ctx.limits.maxLogsBlockRange) from = to - ctx.limits.maxLogsBlockRange + 1n;
    if (from > to) return [];
    const logs = await queryLogs(ctx, { addresses: fq.addresses, topics: fq.topics }, [from, to]);
    f.next = to + 1n;
    return logs.map(formatLog);
  },
  eth_getFilterLogs: async (p, { ctx }) => {
    arity(p, 1, 1);
    const f = registry(ctx).filters.get(filterId(p[0]));
    if (!f) throw filterNotFound();
    if (f.kind !== 'logs') throw new RpcError(ErrorCode.SERVER, 'filter not found');
    f.touched = Date.now();
    return (await queryLogs(ctx, f.query)).map(formatLog);
  },
};
