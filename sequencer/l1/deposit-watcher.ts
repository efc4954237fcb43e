// The deposit watcher: reads the Rollup contract's queue (QueueItemAdded events), checks the hash chain
// against the contract, and hands each item, exactly once and in order, to the DepositSink (the node), which
// turns it into L2 effects (ETH mint or forced transaction) at the start of a block.
import type { Address } from '../primitives/types.js';
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

const defaultLog: LogFn = (level, msg, fields) => console.error(JSON.stringify({ level, component: 'deposit-watcher', msg, ...fields }));

export class DepositWatcher {
  private readonly reader: RollupReader;
  private readonly log: LogFn;
  /** Next L1 block to scan; items below it that the sink still wants are re-read from a rescan. */
  private scanFrom: bigint;
  private buffer: L1QueueItem[] = [];
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
    const head = (await this.reader.client.getBlockNumber({ cacheTime: 0 })) - (this.opts.confirmations ?? 0n);
    const range = this.opts.maxBlockRange ?? 5_000n;
    for (let from = this.scanFrom; from <= head; from += range) {
      const to = from + range - 1n < head ? from + range - 1n : head;
      this.buffer.push(...(await this.reader.queueItems(from, to)));
      this.scanFrom = to + 1n;
    }
    const next = await this.opts.sink.nextQueueIndex();
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
