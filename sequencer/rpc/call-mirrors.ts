// Native state mirrors for RPC calls. One mirror follows the live WorldState (updated in place with its change
// feed, or on a fork while requests still hold it); a past block's state is a fork of it with that block's
// undo layers applied (cached: a sealed block's post-state never changes); state overrides are a fork of the
// selected state with the overrides applied. A request holds its mirror (a lease) for all its runs, so an
// estimateGas sees one state even while blocks seal.
import type { MirrorHandle, NativeCalls } from '../executor/native/native-calls.js';
import type { AccountChange } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import { EMPTY_BYTES } from '../primitives/types.js';
import type { AccountInfo, StateReader, WorldState } from '../state/world-state.js';
import type { AccountOverride } from './overlay-state.js';

/** A mirror held for one request; release() when the request is done. */
export interface CallMirror extends MirrorHandle {
  release(): void;
}

/** A past state that can say how to get to it from the live state (sequencer/state/history.ts). */
interface Undoable extends StateReader {
  undoChanges(): AccountChange[][];
}

const isUndoable = (s: StateReader): s is Undoable => typeof (s as Partial<Undoable>).undoChanges === 'function';

/** A past state read from the store's history: it can list itself (sequencer/state/history.ts). */
interface Enumerable extends StateReader {
  entries(): Iterable<[Address, AccountInfo & { storage: ReadonlyMap<Hex, bigint> }]>;
}

const isEnumerable = (s: StateReader): s is Enumerable => typeof (s as Partial<Enumerable>).entries === 'function';

interface Live extends MirrorHandle {
  version: number;
  leases: number;
}

export interface CallMirrorStats {
  /** Full loads of the live state (O(state) encode + build). */
  loads: number;
  /** Forks (native copies): live mirrors still held when blocks sealed, past blocks, overrides. */
  forks: number;
  /** In-place updates of the live mirror. */
  updates: number;
}

export class CallMirrors {
  private live?: Live;
  private loading?: Promise<Live>;
  private moving?: Promise<void>;
  /** Past blocks' post-states, most recently used last. */
  private readonly past = new Map<bigint, Promise<MirrorHandle>>();
  readonly stats: CallMirrorStats = { loads: 0, forks: 0, updates: 0 };

  constructor(
    private readonly calls: NativeCalls,
    private readonly world: WorldState,
    private readonly keepPast = 8,
  ) {}

  /**
   * A mirror of `view` (the state after block `number`, as the node's stateAt returns it, or the live state),
   * with `overrides` applied on a fork when given.
   */
  async acquire(view: StateReader, number: bigint, overrides?: ReadonlyMap<Address, AccountOverride>): Promise<CallMirror> {
    const isLive = view === (this.world as StateReader);
    if (!isLive && !isUndoable(view) && isEnumerable(view)) return this.withOverrides(view, this.persistedMirror(view, number), overrides);
    if (!isLive && !isUndoable(view)) throw new Error('native calls need the live state or a state with undo layers (node.stateAt)');
    let live = await this.current();
    // The world may have moved on while that resolved: check again, synchronously with what follows.
    while (live.version !== this.world.version || live !== this.live) live = await this.current();
    // From here to the native calls below (a lease, or a fork that counts as a reader at once) nothing
    // awaits: the live mirror, the world and the undo layers describe the same moment.
    const undo = isLive ? [] : (view as Undoable).undoChanges();
    if (undo.length === 0 && (overrides === undefined || overrides.size === 0)) return this.lease(live);
    // The live mirror is forked right now (not after an await): the copy is of this moment.
    return this.withOverrides(view, undo.length === 0 ? Promise.resolve(live) : this.pastMirror(live, number, undo), overrides, undo.length === 0 ? this.calls.fork(live) : undefined);
  }

  /**
   * `base`, or a fork of it with the overrides applied (a past or forked mirror is never updated: no lease).
   * `forked`: the fork, when the caller had to start it at once.
   */
  private async withOverrides(view: StateReader, base: Promise<MirrorHandle>, overrides?: ReadonlyMap<Address, AccountOverride>, forked?: Promise<MirrorHandle>): Promise<CallMirror> {
    if (overrides === undefined || overrides.size === 0) return { handle: (await base).handle, release() {} };
    const fork = await (forked ?? base.then((b) => this.calls.fork(b)));
    this.stats.forks++;
    if (!this.calls.update(fork, [overrideChanges(view, overrides)])) throw new Error('a fresh mirror fork refused an update');
    return { handle: fork.handle, release() {} };
  }

  /** A block older than the in-memory undo layers: a full load of its state from the history (cached). */
  private persistedMirror(view: Enumerable, number: bigint): Promise<MirrorHandle> {
    const cached = this.past.get(number);
    if (cached !== undefined) return cached;
    const made = this.calls.load(view.entries()).then((m) => {
      this.stats.loads++;
      return m;
    });
    this.remember(number, made);
    return made;
  }

  /**
   * Brings an idle live mirror up to date now (called on every sealed block), so it never falls behind the
   * world's change log and needs a full reload (O(state) on the event loop).
   */
  follow(): void {
    if (this.live === undefined || this.loading !== undefined || this.moving !== undefined) return;
    this.current().catch(() => {
      this.live = undefined; // the next call reloads
    });
  }

  private lease(live: Live): CallMirror {
    live.leases++;
    let released = false;
    return {
      handle: live.handle,
      release: () => {
        if (released) return;
        released = true;
        live.leases--;
      },
    };
  }

  /** The live mirror at the world's version: updated in place when nobody holds it, else moved to a fork. */
  private async current(): Promise<Live> {
    for (;;) {
      const live = this.live ?? (await this.loadLive());
      if (live !== this.live) continue;
      if (live.version === this.world.version) return live;
      const changes = this.world.changesSince(live.version);
      if (changes === undefined) {
        this.live = undefined; // the change log no longer reaches it
        continue;
      }
      if (live.leases === 0 && this.calls.update(live, changes)) {
        this.stats.updates++;
        live.version = this.world.version;
        return live;
      }
      // Held by requests (or read by a run): they keep it; the live mirror moves on as a copy.
      await this.moveOn(live);
    }
  }

  private moveOn(live: Live): Promise<void> {
    this.moving ??= (async () => {
      try {
        const fork = await this.calls.fork(live);
        this.stats.forks++;
        if (this.live === live) this.live = { handle: fork.handle, version: live.version, leases: 0 };
      } finally {
        this.moving = undefined;
      }
    })();
    return this.moving;
  }

  private loadLive(): Promise<Live> {
    this.loading ??= (async () => {
      try {
        const version = this.world.version;
        const m = await this.calls.load(this.world.entries());
        this.stats.loads++;
        const live: Live = { handle: m.handle, version, leases: 0 };
        this.live = live;
        return live;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** The state after block `number`: the live mirror with the undo layers applied on a fork (cached). */
  private pastMirror(live: MirrorHandle, number: bigint, undo: AccountChange[][]): Promise<MirrorHandle> {
    const cached = this.past.get(number);
    if (cached !== undefined) {
      this.past.delete(number);
      this.past.set(number, cached);
      return cached;
    }
    const made = this.calls.fork(live).then((fork) => {
      this.stats.forks++;
      if (!this.calls.update(fork, undo)) throw new Error('a fresh mirror fork refused an update');
      return fork;
    });
    this.remember(number, made);
    return made;
  }

  private remember(number: bigint, made: Promise<MirrorHandle>): void {
    made.catch(() => {
      if (this.past.get(number) === made) this.past.delete(number);
    });
    this.past.set(number, made);
    if (this.past.size > this.keepPast) this.past.delete(this.past.keys().next().value!);
  }
}

/** geth's state overrides as account changes over the selected state. */
function overrideChanges(view: StateReader, overrides: ReadonlyMap<Address, AccountOverride>): AccountChange[] {
  const out: AccountChange[] = [];
  for (const [address, o] of overrides) {
    const cur = view.getAccount(address);
    out.push({
      address,
      deleted: false,
      balance: o.balance ?? cur?.balance ?? 0n,
      nonce: o.nonce ?? cur?.nonce ?? 0n,
      // A new account's code is set explicitly (empty) so the mirror never keeps stale code.
      code: o.code ?? (cur === undefined ? EMPTY_BYTES : undefined),
      storageReset: o.state !== undefined,
      storage: new Map(o.state ?? o.stateDiff ?? []),
    });
  }
  return out;
}
