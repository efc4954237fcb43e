// State at any kept block. Recent blocks sealed by this process are served from memory: per sealed block,
// the pre-images of what it changed (undo layers over the live state). Every other kept block is served
// from the store's per-key history tables ("latest value at or before n"), through a small cache.
import type { AccountChange } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import type { StateHistoryReads } from '../store/history-reads.js';
import { WorldState, type AccountInfo, type StateReader } from './world-state.js';

interface UndoLayer {
  number: bigint;
  accounts: Map<Address, AccountInfo | undefined>;
  slots: Map<Address, Map<Hex, bigint>>;
  wiped: Map<Address, ReadonlyMap<Hex, bigint>>;
}

/** Where the persisted history comes from (the ChainStore). */
export interface HistorySource {
  oldestStateBlock(): bigint;
  history(): StateHistoryReads;
}

/** The block's state is older than what the node keeps. */
export class StatePrunedError extends Error {
  constructor(
    readonly block: bigint,
    readonly oldest: bigint,
  ) {
    super(`historical state for block ${block} is not available: the oldest kept block is ${oldest}`);
    this.name = 'StatePrunedError';
  }
}

/** Entries one persisted reader caches (one request's working set). */
const READER_CACHE = 4096;
/** Code blobs kept across readers (content-addressed, never stale). */
const CODE_CACHE = 256;
/** Whole-state rebuilds (eth_getProof off the recent blocks) kept. */
const PROVABLE_CACHE = 2;

export class StateHistory {
  private layers: UndoLayer[] = [];
  private readonly code = new BoundedMap<Hex, Uint8Array>(CODE_CACHE);
  private readonly provable = new BoundedMap<bigint, Promise<WorldState>>(PROVABLE_CACHE);

  constructor(
    private readonly world: WorldState,
    private readonly source: HistorySource,
    /** Undo layers kept in memory. */
    private readonly keep = 128,
  ) {}

  /** Call just before `changes` (block `number`'s) are applied to the world state. */
  record(number: bigint, changes: readonly AccountChange[]): void {
    const layer: UndoLayer = { number, accounts: new Map(), slots: new Map(), wiped: new Map() };
    for (const c of changes) {
      const before = this.world.getAccount(c.address);
      layer.accounts.set(c.address, before ? { nonce: before.nonce, balance: before.balance, code: before.code, codeHash: before.codeHash } : undefined);
      if ((c.deleted || c.storageReset) && before) {
        layer.wiped.set(c.address, new Map(this.world.storageOf(c.address)));
      }
      if (c.storage.size > 0) {
        const m = new Map<Hex, bigint>();
        for (const slot of c.storage.keys()) m.set(slot, this.world.getStorage(c.address, slot));
        layer.slots.set(c.address, m);
      }
    }
    this.layers.push(layer);
    if (this.layers.length > this.keep) this.layers.shift();
  }

  /** Takes back block `number`, the last one recorded: the live state returns to block number-1's. */
  revertLatest(number: bigint): void {
    const last = this.layers.at(-1);
    if (last?.number !== number) throw new Error(`cannot revert block ${number}: the last recorded block is ${last?.number ?? 'none'}`);
    this.layers.pop();
    this.world.applyChanges(undoOf(last));
  }

  /** Oldest block whose post-state is available. */
  oldest(): bigint {
    return this.source.oldestStateBlock();
  }

  /** A view of the state after block n; null beyond head; StatePrunedError below the oldest kept block. */
  at(n: bigint, head: bigint): StateReader | null {
    if (n > head) return null;
    const oldest = this.oldest();
    if (n < oldest) throw new StatePrunedError(n, oldest);
    const inMemory = this.layers.length === 0 ? head : this.layers[0].number - 1n;
    return n >= inMemory ? this.undoView(n) : new PersistedState(this.source, n, this.code);
  }

  /**
   * The whole state after block n with its tries (eth_getProof), rebuilt from the history and checked
   * against the block's state root.
   */
  provableAt(n: bigint, stateRoot: Hex): Promise<WorldState> {
    const oldest = this.oldest();
    if (n < oldest) throw new StatePrunedError(n, oldest);
    let built = this.provable.get(n);
    if (built === undefined) {
      built = rebuild(this.source.history(), n, stateRoot);
      built.catch(() => this.provable.delete(n));
      this.provable.set(n, built);
    }
    return built;
  }

  /**
   * A live view through the undo layers of blocks n+1..head (it stays at n while later blocks commit), with
   * the change sets that turn the live state back into it (for native mirrors of it).
   */
  private undoView(n: bigint): HistoricalState {
    const layers = () => this.layers.filter((l) => l.number > n);
    const world = this.world;
    return {
      getAccount(address: Address): AccountInfo | undefined {
        for (const l of layers()) if (l.accounts.has(address)) return l.accounts.get(address);
        return world.getAccount(address);
      },
      getStorage(address: Address, slot: Hex): bigint {
        for (const l of layers()) {
          const v = l.slots.get(address)?.get(slot);
          if (v !== undefined) return v;
          const w = l.wiped.get(address);
          if (w !== undefined) return w.get(slot) ?? 0n;
          // Account created in this block (absent before): its storage before the block was empty.
          if (l.accounts.has(address) && l.accounts.get(address) === undefined) return 0n;
        }
        return world.getStorage(address, slot);
      },
      undoChanges: () => layers().reverse().map(undoOf),
    };
  }
}

/** A recent past state: reads, and the undo change sets from the live state to it (applied in order). */
export interface HistoricalState extends StateReader {
  undoChanges(): AccountChange[][];
}

/** One undo layer as account changes that restore the pre-block values. */
function undoOf(l: UndoLayer): AccountChange[] {
  const out: AccountChange[] = [];
  for (const [address, before] of l.accounts) {
    if (before === undefined) {
      out.push({ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() });
      continue;
    }
    const wiped = l.wiped.get(address);
    const storage = new Map(wiped ?? []);
    for (const [slot, v] of l.slots.get(address) ?? []) storage.set(slot, v);
    out.push({ address, deleted: false, balance: before.balance, nonce: before.nonce, code: before.code, storageReset: wiped !== undefined, storage });
  }
  return out;
}

/** The state after block n read from the store's history tables, cached per reader. */
class PersistedState implements StateReader {
  private readonly accounts = new BoundedMap<Address, AccountInfo | undefined>(READER_CACHE);
  private readonly slots = new BoundedMap<string, bigint>(READER_CACHE);
  private readonly nonEmpty = new BoundedMap<Address, boolean>(READER_CACHE);

  constructor(
    private readonly source: HistorySource,
    private readonly n: bigint,
    private readonly code: BoundedMap<Hex, Uint8Array>,
  ) {}

  /** Pruning may pass this block while the reader lives (a long trace): refuse rather than mix states. */
  private reads(): StateHistoryReads {
    const oldest = this.source.oldestStateBlock();
    if (this.n < oldest) throw new StatePrunedError(this.n, oldest);
    return this.source.history();
  }

  getAccount(address: Address): AccountInfo | undefined {
    if (this.accounts.has(address)) return this.accounts.get(address);
    const reads = this.reads();
    const a = reads.account(address, this.n);
    let info: AccountInfo | undefined;
    if (a !== null) {
      info = { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash, code: this.codeOf(reads, a.codeHash) };
    }
    this.accounts.set(address, info);
    return info;
  }

  /** Code by hash through the cache shared by all readers (content-addressed, never stale). */
  private codeOf(reads: StateHistoryReads, codeHash: Hex): Uint8Array {
    let code = this.code.get(codeHash);
    if (code === undefined) this.code.set(codeHash, (code = reads.code(codeHash)));
    return code;
  }

  getStorage(address: Address, slot: Hex): bigint {
    const key = `${address}:${slot}`;
    let v = this.slots.get(key);
    if (v === undefined) this.slots.set(key, (v = this.reads().storage(address, slot, this.n)));
    return v;
  }

  /** The whole state after block n (O(state): what a native mirror of this block loads). */
  *entries(): Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]> {
    const reads = this.reads();
    for (const r of reads.dump(this.n)) {
      const { address, nonce, balance, codeHash } = r.account;
      yield [address, { nonce, balance, codeHash, code: this.codeOf(reads, codeHash), storage: r.storage }];
    }
  }

  hasStorage(address: Address): boolean {
    let v = this.nonEmpty.get(address);
    if (v === undefined) this.nonEmpty.set(address, (v = this.reads().hasStorage(address, this.n)));
    return v;
  }
}

async function rebuild(reads: StateHistoryReads, n: bigint, stateRoot: Hex): Promise<WorldState> {
  const rows = reads.dump(n);
  const world = WorldState.fromAlloc(
    rows.map((r) => [r.account.address, { nonce: r.account.nonce, balance: r.account.balance, code: reads.code(r.account.codeHash), storage: r.storage }]),
  );
  const root = await world.stateRoot();
  if (root !== stateRoot) throw new Error(`state of block ${n} rebuilt from the history has root ${root}, the block header says ${stateRoot}`);
  return world;
}

/** A Map that forgets its oldest entry past `capacity`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
