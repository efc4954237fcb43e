// A mutable layer over a read-only state snapshot: geth's state overrides for calls, and the effects of a
// block's earlier transactions when a later one is traced.
import type { AccountChange } from '../executor/types.js';
import { EMPTY_BYTES, type Address, type Hex } from '../primitives/types.js';
import { hashCode, type AccountInfo, type StateReader } from '../state/world-state.js';

export interface AccountOverride {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  /** Replaces the whole storage. */
  state?: Map<Hex, bigint>;
  /** Changes some slots. */
  stateDiff?: Map<Hex, bigint>;
}

/** A mutable layer over a read-only snapshot. */
export class OverlayState implements StateReader {
  private readonly accounts = new Map<Address, AccountInfo | null>();
  private readonly storage = new Map<Address, Map<Hex, bigint>>();
  private readonly storageCleared = new Set<Address>();

  constructor(private readonly base: StateReader) {}

  getAccount(address: Address): AccountInfo | undefined {
    if (this.accounts.has(address)) return this.accounts.get(address) ?? undefined;
    return this.base.getAccount(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const local = this.storage.get(address)?.get(slot);
    if (local !== undefined) return local;
    if (this.storageCleared.has(address)) return 0n;
    return this.base.getStorage(address, slot);
  }

  applyOverride(address: Address, o: AccountOverride): void {
    const cur = this.getAccount(address) ?? { nonce: 0n, balance: 0n, code: EMPTY_BYTES, codeHash: hashCode(EMPTY_BYTES) };
    const code = o.code ?? cur.code;
    this.accounts.set(address, { nonce: o.nonce ?? cur.nonce, balance: o.balance ?? cur.balance, code, codeHash: hashCode(code) });
    if (o.state !== undefined) {
      this.storageCleared.add(address);
      this.storage.set(address, new Map(o.state));
    }
    if (o.stateDiff !== undefined) {
      let slots = this.storage.get(address);
      if (slots === undefined) this.storage.set(address, (slots = new Map()));
      for (const [k, v] of o.stateDiff) slots.set(k, v);
    }
  }

  applyChanges(changes: readonly AccountChange[]): void {
    for (const c of changes) {
      if (c.deleted) {
        this.accounts.set(c.address, null);
        this.storageCleared.add(c.address);
        this.storage.set(c.address, new Map());
        continue;
      }
      const cur = this.getAccount(c.address);
      const code = c.code ?? cur?.code ?? EMPTY_BYTES;
      this.accounts.set(c.address, { nonce: c.nonce, balance: c.balance, code, codeHash: hashCode(code) });
      if (c.storageReset) {
        this.storageCleared.add(c.address);
        this.storage.set(c.address, new Map());
      }
      let slots = this.storage.get(c.address);
      if (slots === undefined) this.storage.set(c.address, (slots = new Map()));
      for (const [k, v] of c.storage) slots.set(k, v);
    }
  }
}
