// Synchronous PostgreSQL reads for the state history (executors read state synchronously, see
// history-reads.ts): a worker thread owns a pg client and the caller blocks on Atomics.wait until it
// answers. Each read blocks the event loop for one round trip (~0.1-0.5 ms on a local server); the
// historical StateReader caches what it read, and recent blocks are served from memory without this path.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SyncQueryRunner } from './history-reads.js';

/** Longest a single history read may block before it fails. */
const READ_TIMEOUT_MS = 10_000;

export class PgSyncRunner implements SyncQueryRunner {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;

  constructor(connectionString: string) {
    const flag = new SharedArrayBuffer(4);
    this.signal = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./pg-sync-worker.mjs', import.meta.url), { workerData: { connectionString, flag, port: port2 }, transferList: [port2] });
    this.worker.unref();
    this.port.unref();
  }

  all(sqlText: string, parameters: readonly unknown[]): Record<string, unknown>[] {
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ sql: sqlText, parameters });
    if (Atomics.wait(this.signal, 0, 0, READ_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`PostgreSQL state history read timed out after ${READ_TIMEOUT_MS} ms: ${sqlText.slice(0, 80)}`);
    }
    const reply = receiveMessageOnPort(this.port)?.message as { rows?: Record<string, unknown>[]; error?: string } | undefined;
    if (reply === undefined) throw new Error('PostgreSQL state history read: the worker signalled without an answer');
    if (reply.error !== undefined) throw new Error(`PostgreSQL state history read failed: ${reply.error}`);
    return reply.rows!;
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }
}
