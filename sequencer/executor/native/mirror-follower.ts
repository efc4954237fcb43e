// Keeps one native state mirror in step with the chain instead of reloading it: the block being built
// (a BlockOverlay over the committed WorldState) and the WorldState itself publish change feeds, and each
// new version is applied to the mirror in place (O(changes), not O(state)). When the mirror cannot follow
// (a change set it never saw, a batch still reading it) the caller loads a fresh one.
import type { AccountChange } from '../types.js';
import type { ChangeFeed } from '../../state/world-state.js';

/** A change feed layered on a base feed (BlockOverlay): sealed when the base applied its lastChanges. */
export interface LayeredFeed extends ChangeFeed {
  readonly base: ChangeFeed;
  readonly lastChanges?: readonly AccountChange[];
}

export function isFeed(s: object): s is ChangeFeed {
  return typeof (s as Partial<ChangeFeed>).changesSince === 'function' && typeof (s as Partial<ChangeFeed>).version === 'number';
}

function isLayered(s: ChangeFeed): s is LayeredFeed {
  const base = (s as Partial<LayeredFeed>).base;
  return base !== undefined && isFeed(base);
}

interface Position {
  base: ChangeFeed;
  baseVersion: number;
  overlay?: LayeredFeed;
  overlayVersion: number;
}

export class MirrorFollower {
  private position?: Position;
  handle?: object;

  /** Starts following from a freshly loaded mirror of `snapshot` as it is now. */
  adopt(snapshot: ChangeFeed, handle: object): void {
    this.handle = handle;
    this.position = isLayered(snapshot)
      ? { base: snapshot.base, baseVersion: snapshot.base.version, overlay: snapshot, overlayVersion: snapshot.version }
      : { base: snapshot, baseVersion: snapshot.version, overlayVersion: 0 };
  }

  /** Whether a fresh load of this snapshot should become the followed mirror (not while a block builds on it). */
  mayAdopt(snapshot: ChangeFeed): boolean {
    const p = this.position;
    return p === undefined || p.overlay === undefined || p.overlay.version === 0 || isLayered(snapshot);
  }

  /**
   * The change sets that bring the mirror to `snapshot`, with the position they lead to; undefined when it
   * cannot get there.
   */
  plan(snapshot: ChangeFeed): { changes: (readonly AccountChange[])[]; next: Position } | undefined {
    const p = this.position;
    if (p === undefined) return undefined;
    if (p.overlay !== undefined && snapshot === p.overlay) {
      const changes = snapshot.changesSince(p.overlayVersion);
      return changes && { changes, next: { ...p, overlayVersion: snapshot.version } };
    }
    const target = isLayered(snapshot) ? snapshot.base : snapshot;
    if (target !== p.base) return undefined;
    // Back to the plain base: the overlay applied nothing, or the base has since sealed exactly it. The
    // overlay may have changed after the mirror's last step (the last round's commits, the EIP-2935 parent-hash
    // write once the parent's hash is known): the mirror catches up on it rather than reloading the whole state.
    let baseVersion = p.baseVersion;
    let overlayTail: (readonly AccountChange[])[] = [];
    if (p.overlay !== undefined && p.overlayVersion > 0) {
      const since = p.base.changesSince(p.baseVersion);
      if (since === undefined || since.length === 0 || since[0] !== p.overlay.lastChanges) return undefined;
      // The mirror holds the overlay as of the last batch that read it; the block's sealed diff is that plus
      // what the overlay took after it (the last round's commits), so only those are applied, not the
      // whole diff again (every account the block touched).
      const tail = p.overlay.changesSince(p.overlayVersion);
      if (tail === undefined) return undefined;
      overlayTail = tail;
      baseVersion++;
    }
    const baseChanges = p.base.changesSince(baseVersion);
    if (baseChanges === undefined) return undefined;
    const caughtUp = overlayTail.length === 0 ? baseChanges : [...overlayTail, ...baseChanges];
    if (!isLayered(snapshot)) return { changes: caughtUp, next: { base: p.base, baseVersion: p.base.version, overlayVersion: 0 } };
    const overlayChanges = snapshot.changesSince(0);
    if (overlayChanges === undefined) return undefined;
    return {
      changes: [...caughtUp, ...overlayChanges],
      next: { base: p.base, baseVersion: p.base.version, overlay: snapshot, overlayVersion: snapshot.version },
    };
  }

  moveTo(next: Position): void {
    this.position = next;
  }
}
