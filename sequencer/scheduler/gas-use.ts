// What share of their gas limits transactions use, learned across blocks: the scheduler fills a round by the
// gas its transactions are expected to use, since senders set limits well above use (an ERC-20 transfer
// uses 58% of the bench's 80k), and filling by limits halves the room left each round. Inclusion is still
// by gas limit (validation); an expectation that is off costs executions, never correctness.

/** No transaction uses less gas. */
export const INTRINSIC_GAS = 21000n;

export class GasUseShare {
  private used = 0n;
  private limits = 0n;

  /** @param window gas limits after which older executions count half (recent blocks weigh most) */
  constructor(private readonly window = 300_000_000n) {}

  /** One execution: the gas it used of the limit it had. */
  add(used: bigint, limit: bigint): void {
    this.used += used;
    this.limits += limit;
    if (this.limits > this.window) {
      this.used /= 2n;
      this.limits /= 2n;
    }
  }

  /** The gas a transaction with this limit is expected to use (its limit until anything was learned). */
  expected(limit: bigint): bigint {
    if (this.limits === 0n) return limit;
    const e = (limit * this.used) / this.limits;
    return e < INTRINSIC_GAS ? INTRINSIC_GAS : e;
  }
}
