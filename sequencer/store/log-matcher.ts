// An eth_getLogs condition: the per-block filter test (log-filter.ts) and the exact test of one log.
// Addresses and topics compare case-insensitively (stored hex is lowercase).
import { LogFilterQuery } from './log-filter.js';
import type { StoredLog } from './store.js';

export class LogMatcher {
  readonly filter: LogFilterQuery;
  private readonly addresses: Set<string> | null;
  private readonly topics: (Set<string> | null)[];

  constructor(addresses: readonly string[] | undefined, topics: readonly (readonly string[] | null)[] | undefined) {
    this.filter = new LogFilterQuery(addresses, topics);
    const set = (xs: readonly string[] | null | undefined) => (xs && xs.length > 0 ? new Set(xs.map((x) => x.toLowerCase())) : null);
    this.addresses = set(addresses);
    this.topics = (topics ?? []).map(set);
  }

  matches(l: StoredLog): boolean {
    if (this.addresses !== null && !this.addresses.has(l.address)) return false;
    for (let i = 0; i < this.topics.length; i++) {
      const want = this.topics[i];
      if (want === null) continue;
      const t = l.topics[i];
      if (t === undefined || !want.has(t)) return false;
    }
    return true;
  }
}
