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
  /** Past blocks' post-states, most recently used last. */
  private readonly past = new Map<bigint, MirrorHandle>();
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
    if (view !== (this.world as StateReader) && !isUndoable(view) && isEnumerable(view)) {
      return this.withOverrides(view, await this.persistedMirror(view, number), overrides);
    }
    for (;;) {
      const live = this.live ?? (await this.loadLive());
      // From here to the lease everything is synchronous: the live mirror, the world and the undo layers
      // describe the same moment.
      if (!this.catchUp(live)) {
        this.live = undefined;
        continue;
      }
      const current = this.live!;
      let base: MirrorHandle = current;
      const undo = view !== (this.world as StateReader) && isUndoable(view) ? view.undoChanges() : [];
      if (undo.length > 0) base = this.pastMirror(current, number, undo);
      else if (view !== (this.world as StateReader) && !isUndoable(view)) {
        throw new Error('native calls need the live state or a state with undo layers (node.stateAt)');
      }
      if ((overrides !== undefined && overrides.size > 0) || base !== current) return this.withOverrides(view, base, overrides);
      current.leases++;
      let released = false;
      return {
        handle: current.handle,
        release: () => {
          if (released) return;
          released = true;
          current.leases--;
        },
      };
    }
  }

  /** `base`, or a fork of it with the overrides applied (a past or forked mirror is never updated: no lease). */
  private withOverrides(view: StateReader, base: MirrorHandle, overrides?: ReadonlyMap<Address, AccountOverride>): CallMirror {
    if (overrides === undefined || overrides.size === 0) return { handle: base.handle, release() {} };
    const fork = this.calls.fork(base);
    this.stats.forks++;
    if (!this.calls.update(fork, [overrideChanges(view, overrides)])) throw new Error('a fresh mirror fork refused an update');
    return { handle: fork.handle, release() {} };
  }

  /** A block older than the in-memory undo layers: a full load of its state from the history (cached). */
  private async persistedMirror(view: Enumerable, number: bigint): Promise<MirrorHandle> {
    const cached = this.past.get(number);
    if (cached !== undefined) return cached;
    const m = await this.calls.load(view.entries());
    this.stats.loads++;
    this.remember(number, m);
    return m;
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

  /** Brings the live mirror to the world's version (sync). false: the change log no longer reaches it. */
  private catchUp(live: Live): boolean {
    if (live.version === this.world.version) return true;
    const changes = this.world.changesSince(live.version);
    if (changes === undefined) return false;
    if (live.leases === 0 && this.calls.update(live, changes)) {
      this.stats.updates++;
      live.version = this.world.version;
      return true;
    }
    // Held by requests (or read by a run): they keep the old mirror; the live one moves on as a copy.
    const fork = this.calls.fork(live);
    this.stats.forks++;
    if (!this.calls.update(fork, changes)) throw new Error('a fresh mirror fork refused an update');
    this.live = { handle: fork.handle, version: this.world.version, leases: 0 };
    return true;
  }

  private pastMirror(live: MirrorHandle, number: bigint, undo: AccountChange[][]): MirrorHandle {
    const cached = this.past.get(number);
    if (cached !== undefined) {
      this.past.delete(number);
      this.past.set(number, cached);
      return cached;
    }
    const fork = this.calls.fork(live);
    this.stats.forks++;
    if (!this.calls.update(fork, undo)) throw new Error('a fresh mirror fork refused an update');
    this.remember(number, fork);
    return fork;
  }

  private remember(number: bigint, m: MirrorHandle): void {
    this.past.set(number, m);
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
