// A StateManagerInterface for @ethereumjs/vm that reads through to a snapshot, keeps the transaction's
// writes in an overlay (with an undo log for the EVM's checkpoints), and records every key read.
// After the transaction, the overlay is the write set and the post values.
import type { StateManagerInterface } from '@ethereumjs/common';
import { Account, Address as EjsAddress, KECCAK256_NULL, bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex } from '@ethereumjs/util';
import { keccak256 } from '../../primitives/keccak.js';
import { accessKey, type AccessKey, type AccountChange } from '../types.js';
import { EMPTY_BYTES, toWord, type Address, type Hex } from '../../primitives/types.js';
import { hashCode, type StateReader } from '../../state/world-state.js';

interface OverlayAccount {
  nonce: bigint;
  balance: bigint;
  codeHash: Uint8Array;
}

// The VM only compares an account's storage root with the empty root (EIP-7610 creation collisions);
// real roots are computed on the committed WorldState, so a marker stands for "has storage".
const NON_EMPTY_STORAGE_ROOT = keccak256(new TextEncoder().encode('storage present'));

type Undo = () => void;

export class RecordingStateManager implements StateManagerInterface {
  private snapshot!: StateReader;
  private accounts = new Map<Address, OverlayAccount | null>();
  private code = new Map<Address, Uint8Array>();
  private storage = new Map<Address, Map<Hex, bigint>>();
  /** Accounts whose snapshot storage no longer applies (deleted or re-created this transaction). */
  private storageReset = new Set<Address>();
  private undo: Undo[] = [];
  private marks: number[] = [];
  reads = new Set<AccessKey>();
  /** Called before each read of an account header, so the executor can spot fee-recipient reads. */
  onAccountRead: (address: Address) => void = () => {};

  readonly originalStorageCache = {
    // "Original" (EIP-2200) is the value at the start of the transaction: the snapshot's.
    get: async (address: EjsAddress, key: Uint8Array): Promise<Uint8Array> => {
      const a = address.toString() as Address;
      return bigIntToUnpaddedBytes(this.snapshot.getStorage(a, toWord(key)));
    },
    clear: (): void => {},
  };

  /** Starts a new transaction against `snapshot`, forgetting the previous one. */
  reset(snapshot: StateReader): void {
    this.snapshot = snapshot;
    this.accounts = new Map();
    this.code = new Map();
    this.storage = new Map();
    this.storageReset = new Set();
    this.undo = [];
    this.marks = [];
    this.reads = new Set();
  }

  async getAccount(address: EjsAddress): Promise<Account | undefined> {
    const a = address.toString() as Address;
    this.onAccountRead(a);
    this.reads.add(accessKey.account(a));
    const acc = this.current(a);
    return acc ? new Account(acc.nonce, acc.balance, this.hasStorage(a) ? NON_EMPTY_STORAGE_ROOT : undefined, acc.codeHash) : undefined;
  }

  async putAccount(address: EjsAddress, account?: Account): Promise<void> {
    const a = address.toString() as Address;
    if (account === undefined) return this.deleteAccount(address);
    this.setAccount(a, { nonce: account.nonce, balance: account.balance, codeHash: account.codeHash });
  }

  async deleteAccount(address: EjsAddress): Promise<void> {
    const a = address.toString() as Address;
    this.setAccount(a, null);
    this.resetStorageOf(a);
  }

  async modifyAccountFields(address: EjsAddress, fields: { nonce?: bigint; balance?: bigint; codeHash?: Uint8Array }): Promise<void> {
    const a = address.toString() as Address;
    const acc = this.current(a) ?? { nonce: 0n, balance: 0n, codeHash: KECCAK256_NULL };
    this.setAccount(a, {
      nonce: fields.nonce ?? acc.nonce,
      balance: fields.balance ?? acc.balance,
      codeHash: fields.codeHash ?? acc.codeHash,
    });
  }

  async putCode(address: EjsAddress, value: Uint8Array): Promise<void> {
    const a = address.toString() as Address;
    const prev = this.code.get(a);
    this.code.set(a, value);
    this.undo.push(() => (prev === undefined ? this.code.delete(a) : this.code.set(a, prev)));
    await this.modifyAccountFields(address, { codeHash: value.length === 0 ? KECCAK256_NULL : keccak256(value) });
  }

  async getCode(address: EjsAddress): Promise<Uint8Array> {
    const a = address.toString() as Address;
    this.reads.add(accessKey.code(a));
    return this.codeOf(a);
  }

  async getCodeSize(address: EjsAddress): Promise<number> {
    return (await this.getCode(address)).length;
  }

  async getStorage(address: EjsAddress, key: Uint8Array): Promise<Uint8Array> {
    const a = address.toString() as Address;
    const slot = toWord(key);
    this.reads.add(accessKey.slot(a, slot));
    return bigIntToUnpaddedBytes(this.slotValue(a, slot));
  }

  async putStorage(address: EjsAddress, key: Uint8Array, value: Uint8Array): Promise<void> {
    const a = address.toString() as Address;
    const slot = toWord(key);
    let slots = this.storage.get(a);
    if (slots === undefined) this.storage.set(a, (slots = new Map()));
    const prev = slots.get(slot);
    slots.set(slot, bytesToBigInt(value));
    const s = slots;
    this.undo.push(() => (prev === undefined ? s.delete(slot) : s.set(slot, prev)));
  }

  async clearStorage(address: EjsAddress): Promise<void> {
    this.resetStorageOf(address.toString() as Address);
  }

  async checkpoint(): Promise<void> {
    this.marks.push(this.undo.length);
  }

  async commit(): Promise<void> {
    this.marks.pop();
  }

  async revert(): Promise<void> {
    const mark = this.marks.pop() ?? 0;
    while (this.undo.length > mark) this.undo.pop()!();
  }

  async getStateRoot(): Promise<Uint8Array> {
    throw new Error('RecordingStateManager has no state root: roots are computed on the committed WorldState');
  }
  async setStateRoot(): Promise<void> {
    throw new Error('RecordingStateManager cannot switch state roots');
  }
  async hasStateRoot(): Promise<boolean> {
    return false;
  }
  clearCaches(): void {}
  shallowCopy(): StateManagerInterface {
    throw new Error('RecordingStateManager cannot be copied');
  }

  /** The transaction's effects: every account whose post values differ from the snapshot. */
  changes(): AccountChange[] {
    const touched = new Set<Address>([...this.accounts.keys(), ...this.storage.keys(), ...this.storageReset]);
    const out: AccountChange[] = [];
    for (const a of touched) {
      const before = this.snapshot.getAccount(a);
      const after = this.current(a);
      if (after === null || after === undefined) {
        if (before !== undefined) out.push({ address: a, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() });
        continue;
      }
      const storage = new Map<Hex, bigint>();
      const reset = this.storageReset.has(a);
      for (const [slot, value] of this.storage.get(a) ?? []) {
        if (reset || value !== this.snapshot.getStorage(a, slot)) storage.set(slot, value);
      }
      const codeHash = bytesToHex(after.codeHash) as Hex;
      const codeChanged = codeHash !== (before?.codeHash ?? hashCode(EMPTY_BYTES));
      const hasOldStorage = reset && before !== undefined;
      if (before && !codeChanged && !hasOldStorage && storage.size === 0 && before.balance === after.balance && before.nonce === after.nonce) continue;
      out.push({
        address: a,
        deleted: false,
        balance: after.balance,
        nonce: after.nonce,
        code: codeChanged ? this.codeOf(a) : undefined,
        storageReset: hasOldStorage,
        storage,
      });
    }
    return out;
  }

  private current(a: Address): OverlayAccount | null | undefined {
    if (this.accounts.has(a)) return this.accounts.get(a);
    const s = this.snapshot.getAccount(a);
    return s ? { nonce: s.nonce, balance: s.balance, codeHash: hexBytes(s.codeHash) } : undefined;
  }

  private setAccount(a: Address, value: OverlayAccount | null): void {
    const had = this.accounts.has(a);
    const prev = this.accounts.get(a);
    this.accounts.set(a, value);
    this.undo.push(() => (had ? this.accounts.set(a, prev!) : this.accounts.delete(a)));
  }

  private resetStorageOf(a: Address): void {
    const hadReset = this.storageReset.has(a);
    const prevSlots = this.storage.get(a);
    this.storageReset.add(a);
    this.storage.set(a, new Map());
    this.undo.push(() => {
      if (!hadReset) this.storageReset.delete(a);
      if (prevSlots === undefined) this.storage.delete(a);
      else this.storage.set(a, prevSlots);
    });
  }

  private hasStorage(a: Address): boolean {
    for (const v of this.storage.get(a)?.values() ?? []) if (v !== 0n) return true;
    if (this.storageReset.has(a)) return false;
    return this.snapshot.hasStorage?.(a) ?? false;
  }

  private slotValue(a: Address, slot: Hex): bigint {
    const v = this.storage.get(a)?.get(slot);
    if (v !== undefined) return v;
    return this.storageReset.has(a) ? 0n : this.snapshot.getStorage(a, slot);
  }

  private codeOf(a: Address): Uint8Array {
    const own = this.code.get(a);
    if (own !== undefined) return own;
    const acc = this.current(a);
    if (!acc) return EMPTY_BYTES;
    const snap = this.snapshot.getAccount(a);
    return snap && snap.codeHash === bytesToHex(acc.codeHash) ? snap.code : EMPTY_BYTES;
  }
}

function hexBytes(h: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
}
