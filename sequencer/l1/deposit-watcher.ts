// The deposit watcher: reads the Rollup contract's queue (QueueItemAdded events), checks the hash chain
// against the contract, and hands each item, exactly once and in order, to the DepositSink (the node), which
// turns it into L2 effects (ETH mint or forced transaction) at the start of a block.
// L1 reorgs and rollbacks: the hash of the last block of each scanned range is remembered; when L1 no longer
// has one of them, scanning restarts after the newest one it still has (or from the deployment), and items
// are re-read from there (delivery stays exactly once: the sink's next queue index decides what is new).
import type { Address, Hex } from '../primitives/types.js';
import { RollupReader, publicClientFor } from './l1-client.js';
import { checkQueueChain } from './queue.js';
import type { DepositSink, L1QueueItem } from './types.js';
import type { LogFn } from './batcher.js';

export interface DepositWatcherOptions {
  l1Url: string;
  rollup: Address;
  /** L1 block of the Rollup deployment (where scanning starts). */
  deployBlock: bigint;
  sink: DepositSink;
  /** Only deliver items at least this many L1 blocks deep (0: at the head). */
  confirmations?: bigint;
  pollIntervalMs?: number;
  /** Largest eth_getLogs range per request. */
  maxBlockRange?: bigint;
  log?: LogFn;
}

/** Scanned ranges remembered for reorg detection (a reorg deeper than this many polls rescans everything). */
const MAX_CHECKPOINTS = 64;

const defaultLog: LogFn = (level, msg, fields) => console.error(JSON.stringify({ level, component: 'deposit-watcher', msg, ...fields }));

export class DepositWatcher {
  private readonly reader: RollupReader;
  private readonly log: LogFn;
  /** Next L1 block to scan; items below it that the sink still wants are re-read from a rescan. */
  private scanFrom: bigint;
  private buffer: L1QueueItem[] = [];
  /** Last block of each recently scanned range and its hash, oldest first (reorg detection). */
  private checkpoints: { block: bigint; hash: Hex }[] = [];
  private timer?: NodeJS.Timeout;
  private running = false;
  private polling?: Promise<unknown>;
  lastError?: string;

  constructor(private readonly opts: DepositWatcherOptions) {
    this.reader = new RollupReader(publicClientFor(opts.l1Url), opts.rollup, opts.deployBlock);
    this.scanFrom = opts.deployBlock;
    this.log = opts.log ?? defaultLog;
  }

  /** Reads new queue items up to the confirmed L1 head and delivers them; returns how many were delivered. */
  async poll(): Promise<number> {
    await this.rewindIfReorged();
    const head = (await this.reader.client.getBlockNumber({ cacheTime: 0 })) - (this.opts.confirmations ?? 0n);
    const range = this.opts.maxBlockRange ?? 5_000n;
    for (let from = this.scanFrom; from <= head; from += range) {
      const to = from + range - 1n < head ? from + range - 1n : head;
      const items = await this.reader.queueItems(from, to);
      const hash = await this.blockHash(to);
      if (hash === undefined) break; // L1 shrank under us: the next poll sees it
      this.buffer.push(...items);
      this.scanFrom = to + 1n;
      this.checkpoints.push({ block: to, hash });
      if (this.checkpoints.length > MAX_CHECKPOINTS) this.checkpoints.shift();
    }
    const next = await this.opts.sink.nextQueueIndex();
    const onL1 = await this.reader.queueLength();
    if (onL1 < next) {
      // Not recoverable here: the L2 already applied items L1 no longer has (confirmations guard against it).
      throw new Error(`deposit watcher: L1 has ${onL1} queue items but the L2 already applied ${next}: L1 lost items after a reorg deeper than the ${this.opts.confirmations ?? 0n} confirmations waited for`);
    }
    const items = this.buffer.filter((i) => i.queueIndex >= next).sort((a, b) => (a.queueIndex < b.queueIndex ? -1 : 1));
    if (items.length === 0) {
      this.buffer = [];
      return 0;
    }
    if (items[0].queueIndex !== next) throw new Error(`deposit watcher: the sink wants queue item ${next}, L1 logs start at ${items[0].queueIndex}`);
    // The chain must continue from the contract's accumulator before `next`.
    checkQueueChain(await this.reader.queueAccumulator(next), next, items);
    let delivered = 0;
    for (const item of items) {
      await this.opts.sink.accept(item);
      delivered++;
      this.log('info', 'L1 queue item delivered', { queueIndex: item.queueIndex.toString(), kind: item.kind, to: item.to, value: item.value.toString() });
    }
    this.buffer = [];
    return delivered;
  }

  private async blockHash(n: bigint): Promise<Hex | undefined> {
    const b = await this.reader.client.getBlock({ blockNumber: n }).catch(() => undefined);
    return b?.hash ?? undefined;
  }

  /** Restarts scanning after the newest remembered block L1 still has (from the deployment when none). */
  private async rewindIfReorged(): Promise<void> {
    if (this.checkpoints.length === 0) return;
    for (let i = this.checkpoints.length - 1; i >= 0; i--) {
      const c = this.checkpoints[i];
      if ((await this.blockHash(c.block)) !== c.hash) continue;
      if (i === this.checkpoints.length - 1) return;
      this.rewindTo(c.block + 1n, i + 1);
      return;
    }
    this.rewindTo(this.opts.deployBlock, 0);
  }

  private rewindTo(block: bigint, keep: number): void {
    this.log('warn', 'L1 reorg or rollback: re-reading queue items', { from: block.toString(), was: this.scanFrom.toString() });
    this.checkpoints = this.checkpoints.slice(0, keep);
    this.scanFrom = block;
    this.buffer = [];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      if (!this.running) return;
      this.polling = this.poll().then(
        () => (this.lastError = undefined),
        (e: Error) => {
          this.lastError = e.message;
          this.log('warn', `deposit watcher poll failed, will retry: ${e.message}`);
        },
      );
      await this.polling;
      if (this.running) this.timer = setTimeout(loop, this.opts.pollIntervalMs ?? 1_000);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
  }
}
