// The state an eth_simulateV1 request runs on: the selected block's state plus the request's overrides and
// the effects of the calls simulated so far. Enumerable (entries()) when the base is, so the native executor
// can mirror it; `version` changes with every write so a mirror is never reused stale.
import type { AccountChange } from '../executor/types.js';
import { EMPTY_BYTES, type Address, type Hex } from '../primitives/types.js';
import { hashCode, type AccountInfo, type StateReader } from '../state/world-state.js';
import type { AccountOverride } from './overlay-state.js';

type Enumerable = StateReader & { entries?(): Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]>; storageOf?(a: Address): Iterable<[Hex, bigint]> };

export class SimulatedState implements StateReader {
  /** null: the account is gone. */
  private readonly accounts = new Map<Address, AccountInfo | null>();
  private readonly storage = new Map<Address, Map<Hex, bigint>>();
  /** Accounts whose base storage no longer shows through (replaced, re-created or deleted). */
  private readonly cleared = new Set<Address>();
  version = 0;

  constructor(private readonly base: Enumerable) {}

  getAccount(address: Address): AccountInfo | undefined {
    if (this.accounts.has(address)) return this.accounts.get(address) ?? undefined;
    return this.base.getAccount(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const v = this.storage.get(address)?.get(slot);
    if (v !== undefined) return v;
    return this.cleared.has(address) ? 0n : this.base.getStorage(address, slot);
  }

  hasStorage(address: Address): boolean {
    for (const v of this.storage.get(address)?.values() ?? []) if (v !== 0n) return true;
    if (this.cleared.has(address)) return false;
    return this.base.hasStorage?.(address) ?? false;
  }

  /** geth's state override: replace fields, the whole storage (`state`) or some slots (`stateDiff`). */
  applyOverride(address: Address, o: AccountOverride): void {
    const cur = this.getAccount(address) ?? { nonce: 0n, balance: 0n, code: EMPTY_BYTES, codeHash: hashCode(EMPTY_BYTES) };
    const code = o.code ?? cur.code;
    this.accounts.set(address, { nonce: o.nonce ?? cur.nonce, balance: o.balance ?? cur.balance, code, codeHash: hashCode(code) });
    if (o.state !== undefined) this.replaceStorage(address, o.state);
    for (const [k, v] of o.stateDiff ?? []) this.slots(address).set(k, v);
    this.version++;
  }

  /** One executed call's effects. */
  applyChanges(changes: readonly AccountChange[]): void {
    for (const c of changes) {
      if (c.deleted) {
        this.accounts.set(c.address, null);
        this.replaceStorage(c.address, new Map());
        continue;
      }
      const code = c.code ?? this.getAccount(c.address)?.code ?? EMPTY_BYTES;
      this.accounts.set(c.address, { nonce: c.nonce, balance: c.balance, code, codeHash: hashCode(code) });
      if (c.storageReset) this.replaceStorage(c.address, new Map());
      for (const [k, v] of c.storage) this.slots(c.address).set(k, v);
    }
    this.version++;
  }

  /** Every account with its storage, for a native mirror. */
  *entries(): IterableIterator<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]> {
    if (typeof this.base.entries !== 'function') {
      throw new Error('eth_simulateV1: the native executor needs an enumerable state, and this block\'s state is a historical view; simulate on "latest"');
    }
    for (const [address, account] of this.base.entries()) {
      if (!this.accounts.has(address) && !this.storage.has(address) && !this.cleared.has(address)) yield [address, account];
    }
    for (const address of new Set([...this.accounts.keys(), ...this.storage.keys(), ...this.cleared])) {
      const info = this.getAccount(address);
      if (info === undefined) continue;
      const storage = new Map<Hex, bigint>(this.cleared.has(address) ? [] : (this.base.storageOf?.(address) ?? []));
      for (const [slot, value] of this.storage.get(address) ?? []) {
        if (value === 0n) storage.delete(slot);
        else storage.set(slot, value);
      }
      yield [address, { ...info, storage }];
    }
  }

  private slots(address: Address): Map<Hex, bigint> {
    let m = this.storage.get(address);
    if (!m) this.storage.set(address, (m = new Map()));
    return m;
  }

  private replaceStorage(address: Address, slots: ReadonlyMap<Hex, bigint>): void {
    this.cleared.add(address);
    this.storage.set(address, new Map(slots));
  }
}
