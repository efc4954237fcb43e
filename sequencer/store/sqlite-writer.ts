// The chain database's writes on a thread of their own: a worker owns the write connection and commits each
// write (a block, a mempool group commit) atomically (those that wait together share one transaction, each
// in a savepoint: sqlite-writer-worker.mjs), so the event loop and the executor keep running
// while SQLite inserts, maintains indexes and fsyncs. The main thread only encodes the rows (row-stream.ts)
// and transfers the buffer. A write's promise resolves once the worker's COMMIT returned (durable under the
// connection's synchronous setting); writes commit in the order they were made. Readers on other connections
// see a write once it has committed (WAL), so a block is readable exactly when its commit has resolved.
import { Worker } from 'node:worker_threads';
import { RowEncoder } from './row-stream.js';
import { WRITE_SQL_LIST, type RowSink } from './sqlite-statements.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  what: string;
}

interface Reply {
  id?: number;
  ready?: boolean;
  error?: string;
  closed?: boolean;
}

export class SqliteWriter {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => this.settle(m));
    worker.on('error', (e) => this.stop(new Error(`SQLite writer thread failed: ${e.message}`, { cause: e })));
    worker.on('exit', (code) => this.stop(new Error(`SQLite writer thread exited (code ${code})`)));
    worker.unref();
  }

  /** Starts the writer on `file` with these pragmas; resolves once its statements are prepared. */
  static async open(file: string, pragmas: readonly string[]): Promise<SqliteWriter> {
    const worker = new Worker(new URL('./sqlite-writer-worker.mjs', import.meta.url), { workerData: { file, pragmas, statements: WRITE_SQL_LIST } });
    const first = await new Promise<Reply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (!first.ready) {
      await worker.terminate();
      throw new Error(`SQLite writer thread could not open ${file}: ${first.error}`);
    }
    return new SqliteWriter(worker);
  }

  /** Encodes `rows` now and commits them on the writer thread as one transaction; `what` names the write in errors. */
  write(what: string, rows: (out: RowSink) => void): Promise<void> {
    const encoder = new RowEncoder();
    rows(encoder);
    const { bytes, length } = encoder.finish();
    return this.send(what, { bytes, length }, [bytes]);
  }

  /** Runs compiled statements (SQL text and parameters) on the writer thread as one transaction. */
  execute(what: string, queries: readonly { sql: string; parameters: readonly unknown[] }[]): Promise<void> {
    return this.send(what, { queries: queries.map((q) => ({ sql: q.sql, parameters: q.parameters })) }, []);
  }

  private send(what: string, message: object, transfer: ArrayBuffer[]): Promise<void> {
    if (this.failure) return Promise.reject(new Error(`${what} failed to persist: ${this.failure.message}`, { cause: this.failure }));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, what });
      // Keeps the process alive while a write is in flight (a caller awaiting it must see it land).
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ id, ...message }, transfer);
    });
  }

  /** Waits for the writes in flight, then closes the connection and ends the thread. */
  async close(): Promise<void> {
    if (this.failure) return;
    await this.send('close', { close: true }, []);
    this.failure = new Error('SQLite writer is closed');
    await this.worker.terminate();
  }

  private settle(m: Reply): void {
    if (m.id === undefined) return;
    const w = this.waiting.get(m.id);
    if (w === undefined) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (m.error !== undefined) w.reject(new Error(`${w.what} failed to persist: ${m.error}`));
    else w.resolve();
  }

  /** The thread is gone: every write in flight fails, and so does every later one. */
  private stop(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(new Error(`${w.what} failed to persist: ${this.failure.message}`, { cause: this.failure }));
    this.waiting.clear();
  }
}
