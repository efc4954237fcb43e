// Caps on heavy RPC work in flight (calls, log queries, fee history, full blocks, traces): per client
// connection and for the whole server. Work past a cap waits in arrival order; a client's own cap keeps one
// client from taking every global slot. Light methods (eth_blockNumber, balances, sendRawTransaction) never
// wait here, so they stay fast whatever heavy work others queue.

/** Methods whose cost grows with the chain, the state or the request (everything else is a point read). */
export const HEAVY_METHODS: ReadonlySet<string> = new Set([
  'eth_call',
  'eth_estimateGas',
  'eth_createAccessList',
  'eth_getLogs',
  'eth_getFilterLogs',
  'eth_getFilterChanges',
  'eth_feeHistory',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBlockReceipts',
  'eth_getProof',
  'debug_traceTransaction',
  'debug_traceCall',
  'debug_traceBlockByNumber',
  'debug_traceBlockByHash',
]);

export interface WorkLimits {
  /** Heavy requests one client connection may run at once. */
  perConnection: number;
  /** Heavy requests the server runs at once. */
  global: number;
}

export class WorkLimiter {
  private active = 0;
  private readonly perClient = new WeakMap<object, number>();
  private readonly waiting: { client: object; start: () => void }[] = [];

  constructor(private readonly limits: WorkLimits) {}

  /** Runs fn when both the client's and the server's caps allow. */
  async run<T>(client: object, fn: () => Promise<T>): Promise<T> {
    if (this.mayStart(client)) this.take(client);
    else await new Promise<void>((start) => this.waiting.push({ client, start })); // wakeNext took its slots
    try {
      return await fn();
    } finally {
      this.active--;
      this.perClient.set(client, (this.perClient.get(client) ?? 1) - 1);
      this.wakeNext();
    }
  }

  get inFlight(): number {
    return this.active;
  }

  private mayStart(client: object): boolean {
    return this.active < this.limits.global && (this.perClient.get(client) ?? 0) < this.limits.perConnection;
  }

  private take(client: object): void {
    this.active++;
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
  }

  /** The first waiter whose client is under its cap (others keep their place). */
  private wakeNext(): void {
    if (this.active >= this.limits.global) return;
    const i = this.waiting.findIndex((w) => (this.perClient.get(w.client) ?? 0) < this.limits.perConnection);
    if (i < 0) return;
    const [w] = this.waiting.splice(i, 1);
    // Its slots are taken now, so a newcomer cannot take them before it resumes.
    this.take(w.client);
    w.start();
  }
}
