// Follows the chain the sequencer writes into the shared store: for each block past its own head, in order,
// it reads the block and its state diff, applies the diff to the in-memory state (keeping an undo layer for
// recent history), checks the result against the block's state root, and only then announces the block. The
// store holds only committed blocks (one DB transaction each), so nothing announced here can be lost; blocks
// are announced one at a time in number order, so subscribers see no gap and no repeat.
import { EventEmitter } from 'node:events';
import type { Common } from '@ethereumjs/common';
import { headerFromRlp } from '../block/builder.js';
import type { ChainReads } from '../node/chain-reads.js';
import type { BlockView, LogView } from '../node/types.js';
import type { Hex } from '../primitives/types.js';
import type { ChainHead } from '../producer/chain-head.js';
import type { StateHistory } from '../state/history.js';
import type { WorldState } from '../state/world-state.js';
import type { ChainStore } from '../store/store.js';
import { changesOfDiff } from './state-diff.js';

export interface FollowerEvents {
  /** A block applied and verified, with its transactions. */
  block: [BlockView];
  /** The logs of that block (emitted right after it, only when there are some). */
  logs: [LogView[]];
  /** A store read failed; the follower retries at the next wake-up or poll. */
  retrying: [Error];
  /** Following stopped for good (ReplicaDivergedError). */
  failed: [Error];
}

export interface FollowerParts {
  store: ChainStore;
  reads: ChainReads;
  common: Common;
  world: WorldState;
  history: StateHistory;
  head: ChainHead;
  /** Code hashes the world state already holds code for (the diff reads skip their code). */
  knownCode: Set<Hex>;
}

/** The applied state no longer matches the chain: following stops, since every later answer would be wrong. */
export class ReplicaDivergedError extends Error {
  constructor(number: bigint, computed: Hex, expected: Hex) {
    super(`replica state after block ${number} has root ${computed}, the block header says ${expected}: stopped following`);
    this.name = 'ReplicaDivergedError';
  }
}

export class ChainFollower {
  readonly events = new EventEmitter<FollowerEvents>();
  /** Newest block number the store said it holds. */
  storeHead: bigint;
  /** Set when following stopped for good (ReplicaDivergedError). */
  failure: Error | undefined;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly parts: FollowerParts,
    private readonly pollMs: number,
  ) {
    this.storeHead = parts.head.number;
    this.events.setMaxListeners(0);
  }

  start(): void {
    this.loop = this.run();
  }

  /** Something may have committed (a PostgreSQL notification): look now rather than at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.failure === undefined) {
      try {
        await this.catchUp();
      } catch (e) {
        if (e instanceof ReplicaDivergedError) {
          this.failure = e;
          this.events.emit('failed', e);
        } else this.events.emit('retrying', e as Error);
      }
      if (this.stopped || this.failure !== undefined) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** Applies every block the store has past this replica's head. */
  private async catchUp(): Promise<void> {
    const stored = await this.parts.store.head();
    if (stored === null) return;
    if (stored.number > this.storeHead) this.storeHead = stored.number;
    if (stored.number <= this.parts.head.number) return;
    await this.parts.store.reloadHistoryBounds();
    for (let n = this.parts.head.number + 1n; n <= stored.number && !this.stopped; n++) await this.apply(n);
  }

  private async apply(n: bigint): Promise<void> {
    const { store, reads, common, world, history, head, knownCode } = this.parts;
    // Every read first: a failed read leaves the state untouched and the block is retried whole.
    const block = await store.blockByNumber(n);
    if (block === null) throw new Error(`block ${n} is missing from the store below its head ${this.storeHead}`);
    const view = await reads.blockView(block, true);
    const diff = await store.blockStateDiff(n, (h) => knownCode.has(h));
    const logs = await reads.logs({ fromBlock: n, toBlock: n }, n);
    const changes = changesOfDiff(n, diff, world);
    history.record(n, changes);
    world.applyChanges(changes);
    const root = await world.stateRoot();
    if (root !== view.header.stateRoot) {
      // Serve block n-1's state, which was verified, rather than the diverged one while stopped.
      history.revertLatest(n);
      throw new ReplicaDivergedError(n, root, view.header.stateRoot);
    }
    for (const h of diff.code.keys()) knownCode.add(h);
    head.advance(headerFromRlp(block.header, common), block.size, view.txHashes);
    this.events.emit('block', view);
    if (logs.length > 0) this.events.emit('logs', logs);
  }
}
