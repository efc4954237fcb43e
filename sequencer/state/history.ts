// Recent state history: per sealed block, the pre-images of what it changed (accounts, written slots, wiped
// storage). stateAt(n) reads the live state through the undo layers of blocks n+1..head, so the last
// `keep` blocks' post-states are available without copies.
import type { AccountChange } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import type { AccountInfo, StateReader, WorldState } from './world-state.js';

interface UndoLayer {
  number: bigint;
  accounts: Map<Address, AccountInfo | undefined>;
  slots: Map<Address, Map<Hex, bigint>>;
  wiped: Map<Address, ReadonlyMap<Hex, bigint>>;
}

export class StateHistory {
  private layers: UndoLayer[] = [];

  constructor(
    private readonly world: WorldState,
    private readonly keep = 128,
  ) {}

  /** Call just before `changes` (block `number`'s) are applied to the world state. */
  record(number: bigint, changes: readonly AccountChange[]): void {
    const layer: UndoLayer = { number, accounts: new Map(), slots: new Map(), wiped: new Map() };
    for (const c of changes) {
      const before = this.world.getAccount(c.address);
      layer.accounts.set(c.address, before ? { nonce: before.nonce, balance: before.balance, code: before.code, codeHash: before.codeHash } : undefined);
      if ((c.deleted || c.storageReset) && before) {
        layer.wiped.set(c.address, this.storageOf(c.address));
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

  /** A copy of the account's storage (WorldState's records carry their storage map). */
  private storageOf(address: Address): Map<Hex, bigint> {
    const record = this.world.getAccount(address) as (AccountInfo & { storage?: ReadonlyMap<Hex, bigint> }) | undefined;
    return new Map(record?.storage ?? []);
  }

  /** Oldest block whose post-state is available (head - kept layers). */
  oldest(head: bigint): bigint {
    return this.layers.length === 0 ? head : this.layers[0].number - 1n;
  }

  /**
   * A live view of the state after block n (null when n is older than the kept layers or beyond head), and
   * the change sets that turn the live state back into it (newest block first), for mirrors of it.
   */
  at(n: bigint, head: bigint): HistoricalState | null {
    if (n > head || n < this.oldest(head)) return null;
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

/** A past state: reads, and the undo change sets from the live state to it (applied in order). */
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
