// Wake-ups for the follower from PostgreSQL: the sequencer's block transaction notifies HEAD_CHANNEL
// (store/kysely-store.ts), and PostgreSQL delivers a notification only once that transaction has committed,
// so a wake-up never announces a block that is not durable. Notifications are hints: the follower reads the
// head from the tables and also polls, so one lost while the connection was down costs only latency.
import pg from 'pg';
import { HEAD_CHANNEL } from '../store/kysely-store.js';

/** Wait before reconnecting after the listening connection failed. */
const RECONNECT_MS = 1000;

export class HeadListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly wake: () => void,
    private readonly onError: (e: Error) => void = () => {},
  ) {}

  /** Connects and listens; a failure is reported and retried, never thrown (polling covers the gap). */
  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url });
    this.client = client;
    client.on('notification', () => this.wake());
    client.on('error', (e) => this.reconnect(client, e));
    client.on('end', () => this.reconnect(client, new Error('listening connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${HEAD_CHANNEL}`);
      // Blocks committed while (re)connecting produced no notification we saw.
      this.wake();
    } catch (e) {
      this.reconnect(client, e as Error);
    }
  }

  private reconnect(client: pg.Client, e: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    this.onError(e);
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
