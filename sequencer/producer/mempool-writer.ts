// Group commit of mempool rows: every add/remove queued in the same tick goes into one store transaction
// (ingress acknowledges a hash only once its row is durable: DESIGN invariant 4).
import type { Hex } from '../primitives/types.js';
import type { ChainStore, PendingRow } from '../store/store.js';

interface Job {
  add: PendingRow[];
  remove: Hex[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class MempoolWriter {
  private queue: Job[] = [];
  private writing: Promise<void> | undefined;
  private flushScheduled = false;

  constructor(private readonly store: ChainStore) {}

  /** Resolves once `add` is stored and `remove` is gone from the store. */
  persist(add: PendingRow[], remove: Hex[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ add, remove, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Writes everything queued so far (close()). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushScheduled) await this.flush();
    await this.writing?.catch(() => {});
  }

  private async flush(): Promise<void> {
    await this.writing;
    this.flushScheduled = false;
    const jobs = this.queue;
    this.queue = [];
    if (jobs.length === 0) return;
    const run = this.store.updateMempool(
      jobs.flatMap((j) => j.add),
      jobs.flatMap((j) => j.remove),
    );
    this.writing = run.then(
      () => jobs.forEach((j) => j.resolve()),
      (e) => jobs.forEach((j) => j.reject(e)),
    );
    await this.writing;
  }
}
