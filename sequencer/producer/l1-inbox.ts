// The node's side of the L1 queue: items the deposit watcher hands over (persisted before accept() resolves,
// in queue order), waiting to be applied at the start of the next block (by the rule in l1/queue-rule.ts).
import { queueItemFromJson, queueItemToJson } from '../node/l1-queue.js';
import type { DepositSink, L1QueueItem } from '../l1/types.js';
import type { ChainStore } from '../store/store.js';

export class L1Inbox {
  private accepting: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: ChainStore,
    /** Accepted, not yet applied, in order. */
    private items: L1QueueItem[],
    /** Queue index of items[0]: the count applied by the blocks so far. */
    private cursor: bigint,
    /** The index the next accepted item must have. */
    private nextIndex: bigint,
  ) {}

  /** Reloads what the blocks up to `headNumber` have not applied yet. */
  static async open(store: ChainStore, headNumber: bigint): Promise<L1Inbox> {
    const cursor = (await store.queueIndexAfter(headNumber)) ?? 0n;
    const items = (await store.queueItems(cursor)).map(queueItemFromJson);
    return new L1Inbox(store, items, cursor, await store.queueLength());
  }

  /** The sink for the deposit watcher; `checkOpen` throws when the node no longer takes input. */
  sink(checkOpen: () => void): DepositSink {
    return {
      nextQueueIndex: async () => this.nextIndex,
      accept: (item: L1QueueItem) => {
        const run = this.accepting.then(async () => {
          checkOpen();
          if (item.queueIndex !== this.nextIndex) throw new Error(`queue item ${item.queueIndex} out of order: expected ${this.nextIndex}`);
          await this.store.addQueueItem(item.queueIndex, queueItemToJson(item));
          this.nextIndex++;
          this.items.push(item);
        });
        this.accepting = run.catch(() => {});
        return run;
      },
    };
  }

  /** Accepted items not yet applied by a block. */
  pending(): readonly L1QueueItem[] {
    return this.items;
  }

  /** What the next block applies: every pending item, and the queue index after them. */
  next(): { items: L1QueueItem[]; indexAfter: bigint } {
    const items = this.items.slice();
    return { items, indexAfter: this.cursor + BigInt(items.length) };
  }

  /** A block applied the first `count` pending items (its state is committed; it is durable once sealed). */
  consume(count: number): void {
    this.items.splice(0, count);
    this.cursor += BigInt(count);
  }
}
