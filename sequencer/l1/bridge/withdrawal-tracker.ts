// Every withdrawal initiated on L2, followed through its stages: new MessagePassed events are read forward
// from where the last look stopped, and the stages of those not yet finalized are re-read from L1 at most
// once per `refreshMs` (the console asks on every snapshot).
import type { BridgeClients } from './clients.js';
import { LOG_SPAN, messagesIn, type LocatedWithdrawal } from './locate.js';
import { RollupView } from './rollup-view.js';
import { withdrawalStatus, type WithdrawalStatus } from './status.js';

export interface WithdrawalTrackerOptions {
  /** How many of the newest withdrawals are kept and shown (default 50). */
  keep?: number;
  refreshMs?: number;
}

export class WithdrawalTracker {
  private nextBlock = 0n;
  private known: LocatedWithdrawal[] = [];
  private readonly finalized = new Map<string, WithdrawalStatus>();
  private last: { at: number; list: WithdrawalStatus[] } | undefined;
  private inFlight: Promise<WithdrawalStatus[]> | undefined;
  private readonly view: RollupView;
  private readonly keep: number;
  private readonly refreshMs: number;

  constructor(
    private readonly c: BridgeClients,
    opts: WithdrawalTrackerOptions = {},
  ) {
    this.view = new RollupView(c);
    this.keep = opts.keep ?? 50;
    this.refreshMs = opts.refreshMs ?? 2000;
  }

  /** The newest withdrawals with their stages, newest first. */
  recent(): Promise<WithdrawalStatus[]> {
    if (this.last && Date.now() - this.last.at < this.refreshMs) return Promise.resolve(this.last.list);
    this.inFlight ??= this.refresh().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async refresh(): Promise<WithdrawalStatus[]> {
    const head = await this.c.l2.getBlockNumber();
    for (let from = this.nextBlock; from <= head; from += LOG_SPAN) {
      const to = from + LOG_SPAN - 1n < head ? from + LOG_SPAN - 1n : head;
      this.known.push(...(await messagesIn(this.c, from, to)));
      this.nextBlock = to + 1n;
    }
    this.known = this.known.slice(-this.keep);
    const list: WithdrawalStatus[] = [];
    for (const w of [...this.known].reverse()) {
      const s = this.finalized.get(w.hash) ?? (await withdrawalStatus(this.c, w, this.view));
      if (s.stage === 'finalized') this.finalized.set(w.hash, s);
      list.push(s);
    }
    for (const h of this.finalized.keys()) if (!this.known.some((w) => w.hash === h)) this.finalized.delete(h);
    this.last = { at: Date.now(), list };
    return list;
  }
}
