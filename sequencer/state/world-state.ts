// The committed world state in memory, with its Merkle-Patricia state root kept up to date incrementally:
// each commit marks accounts and slots dirty, and stateRoot() hands only those to the state commitment
// (the native trie in the addon; @ethereumjs/mpt as the reference), which re-hashes the dirty paths.
import { KECCAK256_NULL, KECCAK256_RLP } from '@ethereumjs/util';
import { keccak256 } from '../primitives/keccak.js';
import type { AccountChange } from '../executor/types.js';
import { EMPTY_BYTES, bytesToHex, type Address, type Hex } from '../primitives/types.js';
import { createStateCommitment, type CommitmentKind } from './create-commitment.js';
import type { DirtyAccount, StateCommitment } from './state-commitment.js';

export interface AccountInfo {
  nonce: bigint;
  balance: bigint;
  code: Uint8Array;
  codeHash: Hex;
}

/** Read access to a state snapshot: what executors need. */
export interface StateReader {
  getAccount(address: Address): AccountInfo | undefined;
  getStorage(address: Address, slot: Hex): bigint;
  /** Whether the account has any non-zero slot (EIP-7610: creating over such an account collides). */
  hasStorage?(address: Address): boolean;
}

/**
 * A snapshot that can say what changed since one of its versions, so a mirror (the native executor's) can
 * follow it instead of reloading it: the change sets applied after `version`, oldest first, or undefined
 * when that version is too old (or unknown).
 */
export interface ChangeFeed {
  readonly version: number;
  changesSince(version: number): (readonly AccountChange[])[] | undefined;
}

/** The change sets behind versions logStart+1 .. logStart+log.length (the last `capacity` kept). */
export class ChangeLog {
  private readonly log: (readonly AccountChange[])[] = [];
  private logStart = 0;
  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  record(versionBefore: number, changes: readonly AccountChange[]): void {
    if (this.log.length === 0) this.logStart = versionBefore;
    this.log.push(changes);
    if (this.log.length > this.capacity) {
      this.log.shift();
      this.logStart++;
    }
  }

  since(version: number, current: number): (readonly AccountChange[])[] | undefined {
    if (version === current) return [];
    if (version < this.logStart || version > current || this.logStart + this.log.length !== current) return undefined;
    return this.log.slice(version - this.logStart);
  }
}

/** The slots of an account with none written since the last root. */
const NO_SLOTS: readonly [Hex, bigint][] = [];

export const EMPTY_CODE_HASH: Hex = bytesToHex(KECCAK256_NULL) as Hex;
export const EMPTY_TRIE_ROOT: Hex = bytesToHex(KECCAK256_RLP) as Hex;

interface AccountRecord extends AccountInfo {
  storage: Map<Hex, bigint>;
}

export interface GenesisAccount {
  balance?: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<Hex, bigint>;
}

/** eth_getProof's material (EIP-1186), hex-encoded, for one account and some of its slots. */
export interface StateProof {
  stateRoot: Hex;
  accountProof: Hex[];
  storageHash: Hex;
  /** The nodes for each requested slot, in request order. */
  storageProofs: Hex[][];
}

export interface WorldStateOptions {
  /** The state commitment: 'native' (the default whenever the addon is built) or 'reference' (@ethereumjs/mpt). */
  commitment?: CommitmentKind;
}

export class WorldState implements StateReader, ChangeFeed {
  private readonly accounts = new Map<Address, AccountRecord>();
  private readonly changeLog = new ChangeLog(64);
  /** Accounts changed since the last root (read as they are when the root is staged). */
  private readonly dirtyAccounts = new Set<Address>();
  private readonly dirtySlots = new Map<Address, Set<Hex>>();
  private readonly resetStorage = new Set<Address>();
  /** Per-transaction change lists applied since the last root without dirty marks (applyBlock), in order. */
  private trail: (readonly AccountChange[])[] = [];
  private readonly commitment: StateCommitment;
  /** The commitment's jobs (roots, proofs), one at a time in call order. */
  private commitmentQueue: Promise<unknown> = Promise.resolve();
  /** Bumped on every commit, so mirrors (the native executor's) can tell when they are stale. */
  version = 0;

  constructor(options: WorldStateOptions = {}) {
    this.commitment = createStateCommitment(options.commitment);
  }

  static fromAlloc(alloc: Iterable<[Address, GenesisAccount]>, options: WorldStateOptions = {}): WorldState {
    const state = new WorldState(options);
    for (const [address, a] of alloc) {
      const code = a.code ?? EMPTY_BYTES;
      const record: AccountRecord = {
        nonce: a.nonce ?? 0n,
        balance: a.balance ?? 0n,
        code,
        codeHash: hashCode(code),
        storage: new Map([...(a.storage ?? new Map())].filter(([, v]) => v !== 0n)),
      };
      state.accounts.set(address, record);
      state.dirtyAccounts.add(address);
      for (const slot of a.storage?.keys() ?? []) state.markSlotDirty(address, slot);
    }
    return state;
  }

  getAccount(address: Address): AccountInfo | undefined {
    return this.accounts.get(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    return this.accounts.get(address)?.storage.get(slot) ?? 0n;
  }

  /** One account's non-zero slots. */
  storageOf(address: Address): ReadonlyMap<Hex, bigint> {
    return this.accounts.get(address)?.storage ?? new Map();
  }

  hasStorage(address: Address): boolean {
    return (this.accounts.get(address)?.storage.size ?? 0) > 0;
  }

  /** Every account, for dumps and for mirrors that load the full state once. */
  *entries(): IterableIterator<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]> {
    yield* this.accounts.entries();
  }

  get size(): number {
    return this.accounts.size;
  }

  changesSince(version: number): (readonly AccountChange[])[] | undefined {
    return this.changeLog.since(version, this.version);
  }

  /** Applies one transaction's changes (in commit order). */
  applyChanges(changes: readonly AccountChange[]): void {
    this.apply(changes, true);
  }

  /**
   * Applies a block's merged changes (what applyChanges takes), given `trail`: the same block as the
   * per-transaction change lists they merge, in commit order (the BlockOverlay's log). A commitment that
   * reads trails (the native trie) takes those, with the records the native EVM wrote, instead of this
   * state's dirty accounts; for any other the accounts are marked dirty as applyChanges does.
   */
  applyBlock(changes: readonly AccountChange[], trail: readonly (readonly AccountChange[])[]): void {
    if (!this.commitment.readsTrails) {
      this.apply(changes, true);
      return;
    }
    this.apply(changes, false);
    for (const t of trail) this.trail.push(t);
  }

  /** `track`: mark what changes dirty for the next root (else a trail tells the commitment). */
  private apply(changes: readonly AccountChange[], track: boolean): void {
    this.changeLog.record(this.version, changes);
    for (const c of changes) {
      if (c.deleted) {
        this.deleteAccount(c.address, track);
        continue;
      }
      let record = this.accounts.get(c.address);
      if (record === undefined || c.storageReset) {
        if (record !== undefined) this.dropStorage(c.address, record, track);
        record = record ?? { nonce: 0n, balance: 0n, code: EMPTY_BYTES, codeHash: EMPTY_CODE_HASH, storage: new Map() };
        this.accounts.set(c.address, record);
      }
      record.balance = c.balance;
      record.nonce = c.nonce;
      if (c.code !== undefined) {
        record.code = c.code;
        record.codeHash = hashCode(c.code);
      }
      for (const [slot, value] of c.storage) {
        if (value === 0n) record.storage.delete(slot);
        else record.storage.set(slot, value);
        if (track) this.markSlotDirty(c.address, slot);
      }
      if (track) this.dirtyAccounts.add(c.address);
    }
    this.version++;
  }

  /** Credits the fee recipient (creating it if needed); a zero credit changes nothing (EIP-161). */
  credit(address: Address, amount: bigint): void {
    if (amount === 0n) return;
    let record = this.accounts.get(address);
    if (record === undefined) {
      record = { nonce: 0n, balance: 0n, code: EMPTY_BYTES, codeHash: EMPTY_CODE_HASH, storage: new Map() };
      this.accounts.set(address, record);
    }
    record.balance += amount;
    this.dirtyAccounts.add(address);
    this.changeLog.record(this.version, [{ address, deleted: false, balance: record.balance, nonce: record.nonce, storageReset: false, storage: new Map() }]);
    this.version++;
  }

  /** Which implementation computes roots and proofs. */
  get commitmentKind(): CommitmentKind {
    return this.commitment.kind;
  }

  /**
   * The Merkle-Patricia root of the state as of this call; only what changed since the last call is
   * re-hashed (off the event loop with the native trie).
   */
  stateRoot(): Promise<Hex> {
    const job = this.commitment.stage(this.dirtyEntries(), this.trail);
    this.trail = [];
    this.dirtyAccounts.clear();
    this.dirtySlots.clear();
    this.resetStorage.clear();
    return this.enqueue(job);
  }

  /**
   * CPU time the commitment's native work for the last root took on its own threads (the native trie;
   * undefined for the reference), apart from whatever else the process ran meanwhile.
   */
  lastRootCpuMs(): number | undefined {
    return this.commitment.lastJobCpuMs?.();
  }

  /** EIP-1186 proof nodes of an account and some of its slots (32-byte hex), as of this call. */
  async proof(address: Address, slots: readonly Hex[]): Promise<StateProof> {
    const root = this.stateRoot();
    return this.enqueue(async () => {
      const p = await this.commitment.prove(address, slots);
      return {
        stateRoot: await root,
        accountProof: p.accountProof.map((n) => bytesToHex(n) as Hex),
        storageHash: p.storageHash,
        storageProofs: p.storageProofs.map((nodes) => nodes.map((n) => bytesToHex(n) as Hex)),
      };
    });
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.commitmentQueue.then(job);
    this.commitmentQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * What changed since the last root, as it is now (so it holds over any trail). The entries point at the
   * live records and their slot values are read lazily: the commitment reads them before stateRoot returns
   * (one array, no copies: a block's root reads thousands of accounts).
   */
  private dirtyEntries(): DirtyAccount[] {
    const out: DirtyAccount[] = [];
    for (const address of this.dirtyAccounts) {
      const record = this.accounts.get(address);
      if (record === undefined) {
        out.push({ address, storageReset: true, slots: NO_SLOTS });
        continue;
      }
      const storageReset = this.resetStorage.has(address);
      const written = storageReset ? undefined : this.dirtySlots.get(address);
      const slots = storageReset ? record.storage : written === undefined ? NO_SLOTS : this.currentValues(record, written);
      out.push({ address, account: record, storageReset, slots });
    }
    return out;
  }

  private *currentValues(record: AccountRecord, slots: Set<Hex>): IterableIterator<[Hex, bigint]> {
    for (const slot of slots) yield [slot, record.storage.get(slot) ?? 0n];
  }

  /** A deep copy that shares nothing mutable (its commitment is rebuilt on its first stateRoot()). */
  clone(): WorldState {
    const copy = new WorldState({ commitment: this.commitment.kind });
    for (const [address, r] of this.accounts) {
      const record = { ...r, storage: new Map(r.storage) };
      copy.accounts.set(address, record);
      copy.dirtyAccounts.add(address);
      copy.resetStorage.add(address);
    }
    return copy;
  }

  private deleteAccount(address: Address, track: boolean): void {
    const record = this.accounts.get(address);
    if (record === undefined) return;
    this.dropStorage(address, record, track);
    this.accounts.delete(address);
    if (track) this.dirtyAccounts.add(address);
  }

  private dropStorage(address: Address, record: AccountRecord, track: boolean): void {
    record.storage = new Map();
    if (!track) return;
    this.resetStorage.add(address);
    this.dirtySlots.delete(address);
  }

  private markSlotDirty(address: Address, slot: Hex): void {
    let slots = this.dirtySlots.get(address);
    if (slots === undefined) this.dirtySlots.set(address, (slots = new Set()));
    slots.add(slot);
  }
}

export function hashCode(code: Uint8Array): Hex {
  return code.length === 0 ? EMPTY_CODE_HASH : (bytesToHex(keccak256(code)) as Hex);
}

