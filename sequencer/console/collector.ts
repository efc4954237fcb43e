// Live operator data gathered from the node's events: a ring of recent blocks with their scheduler stats,
// per-second samples (throughput, latency, mempool depth), hottest conflicting keys and rejected
// transactions by reason. Everything here is measured; nothing is estimated or invented.
import type { EventEmitter } from 'node:events';
import type { BlockStats, BlockView } from '../node/types.js';
import type { Address, Hex } from '../primitives/types.js';

/** The node surface the collector reads (SequencerNode satisfies it). */
export interface CollectedNode {
  events: EventEmitter<any>;
  head(): BlockView;
  recentStats(): BlockStats[];
  pool: { size: number; senders(): Iterable<Address> };
}

export interface BlockRecord {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
  txs: number;
  gasUsed: bigint;
  gasLimit: bigint;
  baseFee: bigint;
  size: number;
  /** Wall-clock ms when the node announced it. */
  sealedAt: number;
  /** Inclusion latency (submit acknowledged -> block announced) of the txs this process saw arrive, ms. */
  latP50?: number;
  latP95?: number;
  latMax?: number;
  latSamples: number;
  stats?: BlockStats;
}

export interface Sample {
  /** Wall-clock ms at the end of the 1 s window. */
  t: number;
  head: bigint;
  blocks: number;
  txs: number;
  gas: bigint;
  pool: number;
  senders: number;
  latP50?: number;
  latP95?: number;
  rejected: number;
}

export interface RejectedRecord {
  t: number;
  code: string;
  message: string;
  hash?: Hex;
}

export interface HotKey {
  key: string;
  conflicts: number;
}

const BLOCKS_KEPT = 512;
const SAMPLES_KEPT = 900;
const ARRIVALS_KEPT = 200_000;
const REJECTED_RECENT = 50;
const HOT_WINDOW_BLOCKS = 64;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

export class Collector {
  readonly blocks: BlockRecord[] = [];
  readonly samples: Sample[] = [];
  readonly rejectedByReason = new Map<string, number>();
  readonly rejectedRecent: RejectedRecord[] = [];
  /** True once the node has emitted at least one 'rejected' event or advertises the event. */
  rejectedSupported: boolean;
  hotKeysSupported = false;
  private readonly hotPerBlock: { number: bigint; keys: HotKey[] }[] = [];
  private readonly arrivals = new Map<Hex, number>();
  private readonly blockListeners = new Set<(b: BlockRecord) => void>();
  private readonly latencyListeners = new Set<(ms: number) => void>();
  private window = { blocks: 0, txs: 0, gas: 0n, lat: [] as number[], rejected: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly detach: (() => void)[] = [];

  constructor(private readonly node: CollectedNode, opts: { sampleMs?: number; rejectedEvent?: boolean } = {}) {
    this.rejectedSupported = opts.rejectedEvent ?? false;
    const ev = node.events;
    const onPending = (hash: Hex) => {
      this.arrivals.set(hash, Date.now());
      if (this.arrivals.size > ARRIVALS_KEPT) this.arrivals.delete(this.arrivals.keys().next().value as Hex);
    };
    const onBlock = (b: BlockView) => this.onBlock(b);
    const onStats = (s: BlockStats) => this.onStats(s);
    const onRejected = (r: { code?: string; message?: string; hash?: Hex }) => this.onRejected(r);
    ev.on('acceptedTransaction', onPending);
    ev.on('block', onBlock);
    ev.on('stats', onStats);
    ev.on('rejected', onRejected);
    this.detach.push(() => {
      ev.off('acceptedTransaction', onPending);
      ev.off('block', onBlock);
      ev.off('stats', onStats);
      ev.off('rejected', onRejected);
    });
    // Seed with what the node already knows (stats of blocks sealed before the console started).
    for (const s of node.recentStats()) this.hot(s);
    const period = opts.sampleMs ?? 1000;
    this.timer = setInterval(() => this.sample(), period);
    this.timer.unref();
  }

  onBlockRecord(fn: (b: BlockRecord) => void): () => void {
    this.blockListeners.add(fn);
    return () => this.blockListeners.delete(fn);
  }

  onLatency(fn: (ms: number) => void): () => void {
    this.latencyListeners.add(fn);
    return () => this.latencyListeners.delete(fn);
  }

  private onBlock(b: BlockView): void {
    const now = Date.now();
    const lat: number[] = [];
    for (const h of b.txHashes) {
      const at = this.arrivals.get(h);
      if (at !== undefined) {
        lat.push(now - at);
        this.arrivals.delete(h);
      }
    }
    lat.sort((x, y) => x - y);
    const rec: BlockRecord = {
      number: b.header.number,
      hash: b.header.hash,
      timestamp: b.header.timestamp,
      txs: b.txHashes.length,
      gasUsed: b.header.gasUsed,
      gasLimit: b.header.gasLimit,
      baseFee: b.header.baseFeePerGas,
      size: b.header.size,
      sealedAt: now,
      latSamples: lat.length,
      latP50: lat.length ? quantile(lat, 0.5) : undefined,
      latP95: lat.length ? quantile(lat, 0.95) : undefined,
      latMax: lat.length ? lat[lat.length - 1] : undefined,
    };
    this.blocks.push(rec);
    if (this.blocks.length > BLOCKS_KEPT) this.blocks.shift();
    this.window.blocks++;
    this.window.txs += rec.txs;
    this.window.gas += rec.gasUsed;
    for (const l of lat) this.window.lat.push(l);
    for (const fn of this.latencyListeners) for (const l of lat) fn(l);
    for (const fn of this.blockListeners) fn(rec);
  }

  private onStats(s: BlockStats): void {
    // 'stats' follows 'block' for the same number.
    for (let i = this.blocks.length - 1; i >= 0 && i >= this.blocks.length - 8; i--) {
      if (this.blocks[i].number === s.number) {
        this.blocks[i].stats = s;
        break;
      }
    }
    this.hot(s);
  }

  private hot(s: BlockStats): void {
    const keys = (s as BlockStats & { hotKeys?: HotKey[] }).hotKeys;
    if (!Array.isArray(keys)) return;
    this.hotKeysSupported = true;
    this.hotPerBlock.push({ number: s.number, keys });
    if (this.hotPerBlock.length > HOT_WINDOW_BLOCKS) this.hotPerBlock.shift();
  }

  private onRejected(r: { code?: string; message?: string; hash?: Hex }): void {
    this.rejectedSupported = true;
    const code = r.code ?? 'UNKNOWN';
    this.rejectedByReason.set(code, (this.rejectedByReason.get(code) ?? 0) + 1);
    this.rejectedRecent.unshift({ t: Date.now(), code, message: r.message ?? '', hash: r.hash });
    if (this.rejectedRecent.length > REJECTED_RECENT) this.rejectedRecent.pop();
    this.window.rejected++;
  }

  /** Hottest conflicting keys over the last 64 blocks that reported them (null when the node does not). */
  hotKeys(limit = 12): HotKey[] | null {
    if (!this.hotKeysSupported) return null;
    const sum = new Map<string, number>();
    for (const b of this.hotPerBlock) for (const k of b.keys) sum.set(k.key, (sum.get(k.key) ?? 0) + k.conflicts);
    return [...sum].map(([key, conflicts]) => ({ key, conflicts })).sort((a, b) => b.conflicts - a.conflicts).slice(0, limit);
  }

  private sample(): void {
    const w = this.window;
    w.lat.sort((x, y) => x - y);
    let senders = 0;
    for (const _ of this.node.pool.senders()) senders++;
    const s: Sample = {
      t: Date.now(),
      head: this.node.head().header.number,
      blocks: w.blocks,
      txs: w.txs,
      gas: w.gas,
      pool: this.node.pool.size,
      senders,
      latP50: w.lat.length ? quantile(w.lat, 0.5) : undefined,
      latP95: w.lat.length ? quantile(w.lat, 0.95) : undefined,
      rejected: w.rejected,
    };
    this.samples.push(s);
    if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
    this.window = { blocks: 0, txs: 0, gas: 0n, lat: [], rejected: 0 };
    for (const fn of this.sampleListeners) fn(s);
  }

  private readonly sampleListeners = new Set<(s: Sample) => void>();
  onSample(fn: (s: Sample) => void): () => void {
    this.sampleListeners.add(fn);
    return () => this.sampleListeners.delete(fn);
  }

  /** Rates over the last `seconds` of samples. */
  rates(seconds = 10): { tps: number; mgasps: number; blocksPerSec: number; window: number } {
    const recent = this.samples.slice(-seconds);
    if (recent.length === 0) return { tps: 0, mgasps: 0, blocksPerSec: 0, window: 0 };
    let txs = 0;
    let gas = 0n;
    let blocks = 0;
    for (const s of recent) {
      txs += s.txs;
      gas += s.gas;
      blocks += s.blocks;
    }
    const n = recent.length;
    return { tps: txs / n, mgasps: Number(gas) / 1e6 / n, blocksPerSec: blocks / n, window: n };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.detach) d();
  }
}
