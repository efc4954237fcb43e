// Block production as a two-stage pipeline (DESIGN.md "State"): block N+1 executes while block N's state
// root, build and persist run.
//
//   execute N+1:  L1 queue items + scheduler rounds on an overlay of the world state
//                 -> wait for N's root (the world must not change under it) -> commit N+1 to the world
//   seal N+1:     wait for N durable -> state root -> build (header needs N's hash) -> persist -> announce
//
// At most one block seals while the next executes (N+2 starts executing once N is durable). A block is
// announced (head, 'block' event, store reads) only once durable; the world state may be up to two blocks
// ahead of the head, and the undo layers (StateHistory) serve the head's state to readers. BLOCKHASH of a
// parent whose hash is not known yet is handled by ParentHashGate; prevRandao does not depend on it.
// A failure after a block's commit (root, build, persist) stops production for good: the in-memory state is
// ahead of the store, and a restart resumes from the store (nothing acknowledged is lost: mempool rows leave
// the store in the block's own transaction).
import { createBlockHeader, type BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { KECCAK256_RLP } from '@ethereumjs/util';
import { buildBlock, childEnv } from '../block/builder.js';
import { HISTORY_STORAGE_ADDRESS, parentHashSystemCall } from '../chain/history-storage.js';
import type { BlockEnv, Executor } from '../executor/types.js';
import { txView, type IngressTx } from '../ingress/decode.js';
import { applyQueueItems, queueRunsTransactions } from '../l1/queue-rule.js';
import type { Mempool, PoolEntry } from '../mempool/mempool.js';
import type { BlockStats, BlockView, LogView } from '../node/types.js';
import { hexToU8, type Address, type Hex } from '../primitives/types.js';
import { BlockOverlay } from '../scheduler/overlay.js';
import { scheduleBlock, type ConflictHints, type ScheduleResult, type SchedulerOptions } from '../scheduler/scheduler.js';
import type { GasUseShare } from '../scheduler/gas-use.js';
import type { StateHistory } from '../state/history.js';
import type { WorldState } from '../state/world-state.js';
import type { ChainStore, StateDiff, StoredReceipt } from '../store/store.js';
import { blockStats, type BlockTimeline, type Span } from './block-stats.js';
import type { ChainHead } from './chain-head.js';
import { Deferred } from './deferred.js';
import type { L1Inbox } from './l1-inbox.js';
import type { MempoolWriter } from './mempool-writer.js';
import { BlockHashReaders, ParentHashGate, UNKNOWN_PARENT_HASH } from './parent-hash-gate.js';

export class NodeFailedError extends Error {
  constructor(cause: unknown) {
    super(`sequencer stopped after a failure: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = 'NodeFailedError';
  }
}

/** What the producer works on (owned by the node). */
export interface ProducerParts {
  common: Common;
  coinbase: Address;
  world: WorldState;
  history: StateHistory;
  pool: Mempool;
  executor: Executor;
  store: ChainStore;
  head: ChainHead;
  inbox: L1Inbox;
  mempoolWriter: MempoolWriter;
  hints: ConflictHints;
  gasUse: GasUseShare;
}

export interface ProducerSettings {
  /** Scheduler options; maxBuildMs() (when set) caps each block's rounds. */
  scheduler?: Partial<SchedulerOptions>;
  maxBuildMs(): number | undefined;
  gasLimit(): bigint | undefined;
  extraData?: Hex;
}

export interface ProducerEvents {
  /**
   * A block is durable: announce it (its view carries the transaction views), with its receipts, statistics
   * and its logs' views (built on call: only log subscribers need them).
   */
  announce(view: BlockView, receipts: StoredReceipt[], logs: () => LogView[], stats: BlockStats): void;
  /** An acknowledged transaction left the pool without inclusion (its nonce was used by another one). */
  dropped(tx: IngressTx, reason: string): void;
  /** A queued transaction became executable: the block filled the nonce gap below it. */
  promoted(tx: IngressTx): void;
}

/** The last block committed to the world state (durable or not yet). */
interface Tip {
  /** Its header; before it is sealed, one with its final env and gas fields but no roots (enough for childEnv). */
  header: BlockHeader;
  hash: Deferred<Hex>;
  rootDone: Deferred<void>;
  durable: Deferred<void>;
  /** Its parent is durable (so at most one block is sealing while the next executes). */
  parentDurable: Promise<void>;
}

interface ExecutedBlock {
  env: BlockEnv;
  sched: ScheduleResult;
  diff: StateDiff;
  queueIndexAfter: bigint;
  dropped: Hex[];
  timeline: Pick<BlockTimeline, 'execStart' | 'scheduled' | 'commitStart' | 'committed'>;
  tip: Tip;
}

export class BlockProducer {
  private tip: Tip;
  private execTail: Promise<unknown> = Promise.resolve();
  private failure: unknown;
  /** Transactions of blocks committed but not yet durable: no longer in the pool, not yet in the store. */
  private readonly sealing = new Map<Hex, IngressTx>();
  private readonly blockHashReaders = new BlockHashReaders();
  private lastSeal: Span | undefined;

  constructor(
    private readonly parts: ProducerParts,
    private readonly settings: ProducerSettings,
    private readonly events: ProducerEvents,
  ) {
    const durable = Deferred.resolved<void>(undefined);
    this.tip = { header: parts.head.header, hash: Deferred.resolved(parts.head.hash), rootDone: durable, durable, parentDurable: durable.promise };
  }

  /** The failure that stopped production, if any. */
  get failed(): unknown {
    return this.failure;
  }

  /**
   * Starts the next block. `executed` resolves once it is committed to the world state (false: there was no
   * work and `allowEmpty` was not set); `sealed` once it is durable and announced (null: no block).
   */
  produce(allowEmpty: boolean): { executed: Promise<boolean>; sealed: Promise<BlockView | null> } {
    const exec = this.execTail.then(() => this.execute(allowEmpty));
    this.execTail = exec.catch(() => {});
    const sealed = exec.then((b) => (b ? this.seal(b) : null));
    const executed = exec.then((b) => b !== null);
    // Callers may use only one of the two: the other's rejection is not an unhandled one.
    sealed.catch(() => {});
    executed.catch(() => {});
    return { executed, sealed };
  }

  /** Resolves once every block started so far is durable (or production failed). */
  async idle(): Promise<void> {
    await this.execTail;
    await this.tip.durable.promise.catch(() => {});
  }

  /** A transaction of a block being sealed (committed, not yet durable). */
  sealingTx(hash: Hex): IngressTx | undefined {
    return this.sealing.get(hash);
  }

  private checkRunning(): void {
    if (this.failure !== undefined) throw new NodeFailedError(this.failure);
  }

  private fail(e: unknown, tip: Tip): NodeFailedError {
    this.failure ??= e;
    for (const d of [tip.rootDone, tip.hash, tip.durable] as Deferred<unknown>[]) if (!d.settled) d.reject(e);
    return new NodeFailedError(this.failure);
  }

  /**
   * The environment of the child of the tip and the start of its state: the EIP-2935 write of the parent's
   * hash (from Prague). While the tip's hash is unknown, a gate holds what may depend on it and applies the
   * write once the hash is known (ParentHashGate).
   */
  private startBlock(parent: Tip, overlay: BlockOverlay): { env: BlockEnv; gate?: ParentHashGate } {
    const { head } = this.parts;
    // The tip is the head, or the head's child (execution waits for the tip's parent to be durable).
    const parentIsHead = parent.header.number === head.number;
    const parentHash = parentIsHead ? head.hash : parent.hash.value;
    const recent = parentIsHead ? head.recentHashes : [parentHash ?? UNKNOWN_PARENT_HASH, ...head.recentHashes].slice(0, 256);
    const env = childEnv(this.parts.common, parent.header, this.parts.coinbase, recent);
    const gasLimit = this.settings.gasLimit();
    if (gasLimit !== undefined) env.gasLimit = gasLimit;
    const writeParentHash = (hash: Hex) => {
      const change = parentHashSystemCall(overlay, env, hash);
      if (change) overlay.applyChanges([change]);
    };
    if (parentHash !== undefined) {
      writeParentHash(parentHash);
      return { env };
    }
    return { env, gate: new ParentHashGate(env, parent.hash.promise, this.blockHashReaders, writeParentHash, new Set([HISTORY_STORAGE_ADDRESS])) };
  }

  private async execute(allowEmpty: boolean): Promise<ExecutedBlock | null> {
    this.checkRunning();
    const parent = this.tip;
    // A rejection here means the parent's sealing failed: checkRunning() reports it.
    await parent.parentDurable.catch(() => {});
    this.checkRunning();
    const { world, pool, executor, inbox, mempoolWriter } = this.parts;
    const execStart = performance.now();
    const overlay = new BlockOverlay(world);
    const { env, gate } = this.startBlock(parent, overlay);
    const queue = inbox.next();
    // Forced transactions run first in the block, so after the parent-hash write: they wait for the hash.
    if (gate && queueRunsTransactions(queue.items)) await gate.wait();
    await applyQueueItems(overlay, executor, env, queue.items);
    const maxBuildMs = this.settings.maxBuildMs();
    const options = { ...(maxBuildMs !== undefined ? { maxBuildMs } : {}), ...this.settings.scheduler };
    const sched = await scheduleBlock({ pool, overlay, executor, env, options, hints: this.parts.hints, gasUse: this.parts.gasUse, gate });
    // Stale entries (nonce below the account's, e.g. after a forced L1 tx of the same sender) leave the pool.
    const staleEntries = sched.drop.flatMap((e) => pool.remove(e.tx.exec.hash));
    for (const e of staleEntries) this.events.dropped(e.tx, `stale: nonce ${e.tx.exec.nonce} of ${e.tx.exec.from} was used by another transaction`);
    const dropped = staleEntries.map((e) => e.tx.exec.hash);
    if (sched.included.length === 0 && queue.items.length === 0 && !allowEmpty) {
      if (dropped.length > 0) await mempoolWriter.persist([], dropped);
      return null;
    }
    const scheduled = performance.now();
    // The block's state is final once the parent-hash write is in (after the parent's root and header).
    if (gate) await gate.wait().catch(() => {});
    await parent.rootDone.promise.catch(() => {});
    this.checkRunning();
    const commitStart = performance.now();
    const tip: Tip = {
      header: executedHeader(this.parts.common, env, sched),
      hash: new Deferred<Hex>(),
      rootDone: new Deferred(),
      durable: new Deferred(),
      parentDurable: parent.durable.promise,
    };
    let diff: StateDiff;
    try {
      // One synchronous step: the world state holds the whole block or none of it.
      diff = overlay.toStateDiff();
      const changes = overlay.lastChanges!;
      this.parts.history.record(env.number, changes);
      // The per-transaction lists behind the merged changes: the native trie reads the executor's records.
      world.applyBlock(changes, overlay.changesSince(0) ?? [changes]);
      for (const inc of sched.included) {
        pool.remove(inc.entry.tx.exec.hash);
        this.sealing.set(inc.entry.tx.exec.hash, inc.entry.tx);
      }
      inbox.consume(queue.items.length);
      // Nonces moved: queued transactions whose gap is now filled become pending, used ones leave (with the block).
      // A promoted entry not yet durable is announced by its own submission once it is.
      const promoted = (e: PoolEntry) => {
        if (e.durable) this.events.promoted(e.tx);
      };
      for (const ev of pool.reconcile((a) => world.getAccount(a)?.nonce ?? 0n, promoted)) {
        dropped.push(ev.entry.tx.exec.hash);
        this.events.dropped(ev.entry.tx, ev.reason);
      }
    } catch (e) {
      throw this.fail(e, tip);
    }
    this.tip = tip;
    return { env, sched, diff, queueIndexAfter: queue.indexAfter, dropped, timeline: { execStart, scheduled, commitStart, committed: performance.now() }, tip };
  }

  private async seal(b: ExecutedBlock): Promise<BlockView> {
    const { tip, env, sched } = b;
    const { world, store, head } = this.parts;
    try {
      await tip.parentDurable.catch(() => {});
      this.checkRunning();
      const sealStart = performance.now();
      const stateRoot = await world.stateRoot();
      tip.rootDone.resolve();
      const rooted = performance.now();
      const built = await buildBlock({ common: this.parts.common, parentHash: head.hash, env, included: sched.included, stateRoot, blobGasUsed: sched.blobGasUsed, extraData: this.settings.extraData });
      tip.header = built.header;
      tip.hash.resolve(built.hash);
      const builtAt = performance.now();
      await store.commitBlock({
        block: built.stored,
        txs: built.txs,
        receipts: built.receipts,
        state: b.diff,
        removeFromMempool: [...sched.included.map((i) => i.entry.tx.exec.hash), ...b.dropped],
        queueIndexAfter: b.queueIndexAfter,
      });
      const persisted = performance.now();
      // Durable: now announce.
      head.advance(built.header, built.stored.size, built.txs.map((t) => t.hash));
      const view: BlockView = { header: head.view.header, txHashes: head.view.txHashes, txs: sched.included.map((i) => txView(i.entry.tx)) };
      for (const t of built.txs) this.sealing.delete(t.hash);
      const stats = blockStats(env.number, sched, b.dropped.length, { ...b.timeline, sealStart, rooted, built: builtAt, persisted }, this.lastSeal);
      this.lastSeal = { start: sealStart, end: persisted };
      tip.durable.resolve();
      this.events.announce(view, built.receipts, () => receiptLogs(built.receipts), stats);
      return view;
    } catch (e) {
      throw this.fail(e, tip);
    }
  }
}

/** The header of an executed block as far as its children's environment needs it (roots not final). */
function executedHeader(common: Common, env: BlockEnv, sched: ScheduleResult): BlockHeader {
  return createBlockHeader(
    {
      number: env.number,
      coinbase: hexToU8(env.coinbase),
      gasLimit: env.gasLimit,
      gasUsed: sched.gasUsed,
      timestamp: env.timestamp,
      mixHash: hexToU8(env.prevRandao),
      baseFeePerGas: env.baseFee,
      withdrawalsRoot: KECCAK256_RLP,
      blobGasUsed: sched.blobGasUsed,
      excessBlobGas: env.excessBlobGas,
      parentBeaconBlockRoot: new Uint8Array(32),
    },
    { common, setHardfork: false, skipConsensusFormatValidation: true },
  );
}

function receiptLogs(receipts: StoredReceipt[]): LogView[] {
  return receipts.flatMap((r) =>
    r.logs.map((l) => ({ address: l.address, topics: l.topics, data: l.data, blockNumber: r.blockNumber, blockHash: r.blockHash, txHash: r.txHash, txIndex: r.index, logIndex: l.logIndex, removed: false as const })),
  );
}
