// The state of the block being built: the committed WorldState plus this block's committed transactions.
// Executors read it as their snapshot; at seal it is applied to the WorldState in one synchronous step (so
// readers never see half a block) and it is the block's state diff for the store.
import type { AccountChange } from '../executor/types.js';
import { EMPTY_BYTES, type Address, type Hex } from '../primitives/types.js';
import type { StateDiff } from '../store/store.js';
import { ChangeLog, EMPTY_CODE_HASH, hashCode, type AccountInfo, type ChangeFeed, type StateReader, type WorldState } from '../state/world-state.js';

interface Touched {
  info: AccountInfo | null;
  codeChanged: boolean;
}

export class BlockOverlay implements StateReader, ChangeFeed {
  private readonly accounts = new Map<Address, Touched>();
  private readonly changeLog = new ChangeLog();
  /** The last toChanges() result: what the node applies to the base when the block seals. */
  lastChanges?: AccountChange[];
  private readonly storage = new Map<Address, Map<Hex, bigint>>();
  private readonly resets = new Set<Address>();

  /** Bumped on every change, so mirrors (the native executor's) can tell when they are stale. */
  version = 0;

  constructor(readonly base: WorldState) {}

  hasStorage(address: Address): boolean {
    for (const v of this.storage.get(address)?.values() ?? []) if (v !== 0n) return true;
    if (this.resets.has(address) || this.accounts.get(address)?.info === null) return false;
    return this.base.hasStorage(address);
  }

  /** Every account of base + overlay with its merged storage: what a native mirror loads. */
  *entries(): IterableIterator<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]> {
    for (const [address, account] of this.base.entries()) {
      if (!this.accounts.has(address) && !this.storage.has(address)) yield [address, account];
    }
    const touched = new Set([...this.accounts.keys(), ...this.storage.keys()]);
    for (const address of touched) {
      const info = this.getAccount(address);
      if (info === undefined) continue;
      const storage = new Map(this.resets.has(address) ? [] : this.base.storageOf(address));
      for (const [slot, value] of this.storage.get(address) ?? []) {
        if (value === 0n) storage.delete(slot);
        else storage.set(slot, value);
      }
      yield [address, { ...info, storage }];
    }
  }

  getAccount(address: Address): AccountInfo | undefined {
    const t = this.accounts.get(address);
    if (t !== undefined) return t.info ?? undefined;
    return this.base.getAccount(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    const v = this.storage.get(address)?.get(slot);
    if (v !== undefined) return v;
    if (this.resets.has(address)) return 0n;
    if (this.accounts.get(address)?.info === null) return 0n;
    return this.base.getStorage(address, slot);
  }

  changesSince(version: number): (readonly AccountChange[])[] | undefined {
    return this.changeLog.since(version, this.version);
  }

  /** Applies one transaction's changes, in commit order (same semantics as WorldState.applyChanges). */
  applyChanges(changes: readonly AccountChange[]): void {
    this.changeLog.record(this.version, changes);
    this.version++;
    for (const c of changes) {
      if (c.deleted) {
        this.accounts.set(c.address, { info: null, codeChanged: false });
        this.resets.add(c.address);
        this.storage.set(c.address, new Map());
        continue;
      }
      const prev = this.getAccount(c.address);
      const t = this.accounts.get(c.address);
      if (prev === undefined || c.storageReset) {
        this.resets.add(c.address);
        this.storage.set(c.address, new Map());
      }
      const code = c.code ?? prev?.code ?? EMPTY_BYTES;
      const codeHash = c.code !== undefined ? hashCode(c.code) : (prev?.codeHash ?? EMPTY_CODE_HASH);
      this.accounts.set(c.address, {
        info: { nonce: c.nonce, balance: c.balance, code, codeHash },
        codeChanged: (t?.codeChanged ?? false) || c.code !== undefined || prev === undefined,
      });
      if (c.storage.size > 0) {
        let slots = this.storage.get(c.address);
        if (!slots) this.storage.set(c.address, (slots = new Map()));
        for (const [slot, value] of c.storage) slots.set(slot, value);
      }
    }
  }

  /** Adds the fee recipient's credit (creates the account if needed); zero changes nothing. */
  credit(address: Address, amount: bigint): void {
    if (amount === 0n) return;
    const prev = this.getAccount(address);
    this.applyChanges([
      { address, deleted: false, balance: (prev?.balance ?? 0n) + amount, nonce: prev?.nonce ?? 0n, storageReset: false, storage: new Map() },
    ]);
  }

  /** The block's changes as one AccountChange per touched account (for WorldState.applyChanges). */
  toChanges(): AccountChange[] {
    const out: AccountChange[] = [];
    for (const [address, t] of this.accounts) {
      if (t.info === null) {
        out.push({ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() });
        continue;
      }
      out.push({
        address,
        deleted: false,
        balance: t.info.balance,
        nonce: t.info.nonce,
        code: t.codeChanged ? t.info.code : undefined,
        storageReset: this.resets.has(address),
        storage: this.storage.get(address) ?? new Map(),
      });
    }
    // Slots written on accounts whose header did not change cannot occur (a write touches the account), but
    // keep them if they do.
    for (const [address, slots] of this.storage) {
      if (!this.accounts.has(address) && slots.size > 0) {
        const a = this.base.getAccount(address);
        if (a) out.push({ address, deleted: false, balance: a.balance, nonce: a.nonce, storageReset: false, storage: slots });
      }
    }
    this.lastChanges = out;
    return out;
  }

  /** The block's state diff for the store. */
  toStateDiff(): StateDiff {
    const diff: StateDiff = { accounts: new Map(), storageResets: new Set(this.resets), slots: new Map(), code: new Map() };
    for (const c of this.toChanges()) {
      if (c.deleted) {
        diff.accounts.set(c.address, null);
        continue;
      }
      const info = this.getAccount(c.address)!;
      diff.accounts.set(c.address, { address: c.address, nonce: info.nonce, balance: info.balance, codeHash: info.codeHash });
      if (c.code !== undefined && c.code.length > 0) diff.code.set(info.codeHash, c.code);
      if (c.storage.size > 0) diff.slots.set(c.address, new Map(c.storage));
    }
    return diff;
  }

  get touchedAccounts(): number {
    return this.accounts.size;
  }
}
