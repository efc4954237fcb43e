// Timestamps of sealed blocks for the `blockTimestamp` field of transactions and logs (execution-apis).
// Sealed blocks never change here (no reorgs), so a bounded memo of recent lookups is always right.
const KEPT = 4096;

export class BlockTimestamps {
  private readonly memo = new Map<bigint, bigint>();

  constructor(private readonly lookup: (n: bigint) => Promise<bigint | undefined>) {}

  async of(n: bigint): Promise<bigint | undefined> {
    const hit = this.memo.get(n);
    if (hit !== undefined) return hit;
    const t = await this.lookup(n);
    if (t === undefined) return undefined;
    this.memo.set(n, t);
    if (this.memo.size > KEPT) this.memo.delete(this.memo.keys().next().value as bigint);
    return t;
  }
}
