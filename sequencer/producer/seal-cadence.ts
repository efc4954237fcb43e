// When blocks are made in interval mode: at every tick (blockTimeMs) when there is work, and an empty block
// when none was made for idleBlockMs, so that clients waiting for confirmations (ethers tx.wait(n), viem
// confirmations, cast --confirmations) see the chain move on an idle chain. A tick waits for its block to
// execute and commit, not to be durable: the next block's execution overlaps the previous one's sealing.
// A tick may make an empty block after an idle interval even in a burst of failing work (e.g. a tx that
// cannot pay yet): confirmations keep coming.

export interface CadenceSettings {
  blockTimeMs: number;
  /** An empty block after this long without one; 0: never. */
  idleBlockMs: number;
}

export interface CadenceHooks {
  /** Starts a block; resolves true once one executed (false: nothing to do). */
  produce(allowEmpty: boolean): Promise<boolean>;
  hasWork(): boolean;
  /** Production stopped for good (failure or close): no more ticks. */
  stopped(): boolean;
}

export class SealCadence {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private active = false;
  private lastBlockAt = 0;

  constructor(
    private readonly hooks: CadenceHooks,
    private settings: CadenceSettings,
  ) {
    if (!(settings.blockTimeMs > 0)) throw new RangeError(`block time must be positive, got ${settings.blockTimeMs}`);
    if (!(settings.idleBlockMs >= 0)) throw new RangeError(`idle block interval must be 0 (off) or positive, got ${settings.idleBlockMs}`);
  }

  get blockTimeMs(): number {
    return this.settings.blockTimeMs;
  }

  get idleBlockMs(): number {
    return this.settings.idleBlockMs;
  }

  /** Takes effect at the next tick. */
  setBlockTime(ms: number): void {
    if (!(ms > 0)) throw new RangeError(`block time must be positive, got ${ms}`);
    this.settings = { ...this.settings, blockTimeMs: ms };
  }

  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active || this.hooks.stopped()) return;
    this.active = true;
    this.lastBlockAt = performance.now();
    this.schedule(this.settings.blockTimeMs);
  }

  /** No more ticks; resolves once the tick in progress (its block's execution) is done. */
  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick();
    }, delayMs);
  }

  private async tick(): Promise<void> {
    // Behind schedule with work waiting, the next block starts at once, so its execution overlaps this one's
    // sealing; every second such block goes through the timer queue, so I/O (RPC) is served between blocks
    // even when every stage runs on the event loop.
    let immediate = 0;
    for (;;) {
      const started = performance.now();
      const { idleBlockMs } = this.settings;
      const idle = idleBlockMs > 0 && started - this.lastBlockAt >= idleBlockMs;
      if (idle || this.hooks.hasWork()) {
        try {
          if (await this.hooks.produce(idle)) this.lastBlockAt = started;
        } catch {
          // The producer reports its failures (and stops for good on fatal ones: stopped() below).
        }
      }
      if (!this.active || this.hooks.stopped()) {
        this.active = false;
        return;
      }
      const delay = this.settings.blockTimeMs - (performance.now() - started);
      if (delay > 0 || immediate >= 1 || !this.hooks.hasWork()) {
        this.schedule(Math.max(0, delay));
        return;
      }
      immediate++;
    }
  }
}
