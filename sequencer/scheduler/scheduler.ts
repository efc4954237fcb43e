// The block scheduler (DESIGN.md, "Conflict detection and batching"): rounds of at most one transaction per
// sender, executed together against one snapshot (the block overlay), validated in priority order — a
// transaction is accepted when its reads do not meet the writes of transactions accepted before it in the
// round (and, when it read the fee recipient, when nothing was accepted before it) — and committed in that
// order; the rest retry in the next round against the new state. The block's order is the commit order.
// Transactions predicted to conflict run as one chain, each seeing the earlier ones' writes (chains.ts):
// on hot keys a block then takes a few rounds instead of one per conflicting transaction.
import type { AccessKey, BlockEnv, Executor, ExecTx, TxExecuted, TxOutcome } from '../executor/types.js';
import { compareTips, effectiveTip, type PoolEntry } from '../mempool/entry.js';
import type { Mempool } from '../mempool/mempool.js';
import type { Address } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';
import type { BlockOverlay } from './overlay.js';
import { GasUseShare, INTRINSIC_GAS } from './gas-use.js';
import { ChainPlanner, RoundWrites } from './chains.js';
import { HotKeyHints } from './hot-keys.js';

export const GAS_PER_BLOB = 131072n;
export const MAX_BLOB_GAS_PER_BLOCK = 786432n;

export interface SchedulerOptions {
  /** Most transactions executed in one round (default 1024). */
  maxRoundSize: number;
  /**
   * Defer a transaction whose previous execution in this block read keys that another transaction already
   * picked for the round is predicted to write (from its own previous execution). Cuts repeated
   * conflicts on hot keys; validation still decides. Default true.
   */
  predictConflicts: boolean;
  /**
   * Run a transaction predicted to conflict with exactly one chain of the round in that chain (ordered,
   * seeing its writes) instead of deferring it, when the executor runs chains (Executor.executeChains).
   * Needs predictConflicts. Default true.
   */
  chains: boolean;
  /**
   * Also keep a transaction not yet executed in this block out of a round that already calls a contract
   * that conflicted recently (ConflictHints). Off by default: it serialises every call into a busy contract
   * (an ERC-20 block took 627 rounds for 1,000 transfers at a 2-4% conflict rate, 10 rounds without it),
   * and a round costs far more than the occasional wasted native execution it saves.
   */
  hotContractHints: boolean;
  /** Stop starting rounds after this long (default: none). */
  maxBuildMs?: number;
  /** Most transactions per block (default: none). */
  maxTxs?: number;
  /**
   * Most raw transaction bytes per block (default: none): what the batcher can post as one batch
   * (l1/batcher.ts blockBytesLimit()). A transaction larger than this alone still gets a block of its own.
   */
  maxBlockBytes?: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { maxRoundSize: 1024, predictConflicts: true, chains: true, hotContractHints: false };

/**
 * Learned across blocks: contracts (transaction targets) whose transactions recently conflicted with each
 * other. A transaction with no execution history in this block that targets a hot contract is kept out of a
 * round that already has one for that contract (a static pre-partition by each contract's last seen
 * behaviour, as DESIGN.md allows; validation still decides correctness).
 */
export class ConflictHints {
  private readonly hot = new Map<Address, number>();
  /** Contended keys by kind of call, from the last block (where chains place a transaction not run yet). */
  readonly keys = new HotKeyHints();
  constructor(
    private readonly capacity = 4096,
    /** Blocks a contract stays hot without new conflicts. */
    private readonly ttlBlocks = 64n,
  ) {}

  isHot(to: Address | null, block: bigint): boolean {
    if (to === null) return false;
    const last = this.hot.get(to);
    return last !== undefined && block - BigInt(last) <= this.ttlBlocks;
  }

  markConflict(to: Address | null, block: bigint): void {
    if (to === null) return;
    this.hot.delete(to);
    this.hot.set(to, Number(block));
    if (this.hot.size > this.capacity) this.hot.delete(this.hot.keys().next().value as Address);
  }
}

/**
 * Holds back executions that ran on an environment not final yet (pipelined production: the parent's hash,
 * which BLOCKHASH reads, is known only once the parent's state root is). A held transaction is retried in a
 * later round, after wait().
 */
export interface ExecutionGate {
  /** The environment is final: a round that starts now needs no gate. */
  readonly open: boolean;
  /**
   * Whether an execution that started before the gate was open must be re-run. `state` may not have the
   * round's fee credits in yet: the fee recipient's balance is not for a gate to read.
   */
  holds(tx: ExecTx, outcome: TxExecuted, state: StateReader): boolean;
  /** Resolves once the gate is open. */
  wait(): Promise<void>;
}

export interface IncludedTx {
  entry: PoolEntry;
  outcome: TxExecuted;
  cumulativeGasUsed: bigint;
}

export interface ScheduleResult {
  included: IncludedTx[];
  /** Entries to remove from the pool without inclusion (stale nonces). */
  drop: PoolEntry[];
  /** Senders skipped for this block because their next transaction cannot run now (reason per sender). */
  skipped: Map<Address, string>;
  rounds: number;
  executions: number;
  /** Executions that ran after another transaction of their chain (seeing its writes). */
  chained: number;
  conflicts: number;
  reExecutions: number;
  /** Executions the gate held back (retried once the environment was final). */
  held: number;
  gasUsed: bigint;
  blobGasUsed: bigint;
  execMs: number;
  /** Per round: [executed, accepted]. */
  roundLog: [number, number][];
  /** Keys that caused the most conflicts (top 10). */
  hotKeys: { key: AccessKey; conflicts: number }[];
}

function blobGasOf(tx: ExecTx): bigint {
  const blobs = tx.blobVersionedHashes?.length ?? 0;
  return blobs === 0 ? 0n : BigInt(blobs) * GAS_PER_BLOB;
}

/** Fills one block from the pool; commits accepted transactions into `overlay` as it goes. */
export async function scheduleBlock(args: {
  pool: Mempool;
  overlay: BlockOverlay;
  executor: Executor;
  env: BlockEnv;
  options?: Partial<SchedulerOptions>;
  hints?: ConflictHints;
  gasUse?: GasUseShare;
  gate?: ExecutionGate;
}): Promise<ScheduleResult> {
  const { pool, overlay, executor, env } = args;
  const opts = { ...DEFAULT_SCHEDULER_OPTIONS, ...args.options };
  const start = Date.now();
  const cursor = new Map<Address, number>();
  const skipped = new Map<Address, string>();
  const lastAccess = new Map<PoolEntry, { reads: Set<AccessKey>; writes: Set<AccessKey>; readsCoinbase: boolean }>();
  const executedOnce = new Set<PoolEntry>();
  const res: ScheduleResult = {
    included: [],
    drop: [],
    skipped,
    rounds: 0,
    executions: 0,
    chained: 0,
    conflicts: 0,
    reExecutions: 0,
    held: 0,
    gasUsed: 0n,
    blobGasUsed: 0n,
    execMs: 0,
    roundLog: [],
    hotKeys: [],
  };
  const hot = new Map<AccessKey, number>();
  const countHot = (keys: Iterable<AccessKey>, coinbase: boolean) => {
    if (coinbase) hot.set(`coinbase:${env.coinbase}`, (hot.get(`coinbase:${env.coinbase}`) ?? 0) + 1);
    for (const k of keys) hot.set(k, (hot.get(k) ?? 0) + 1);
  };
  const useChains = opts.chains && executor.executeChains !== undefined;

  // Rounds are filled by expected gas use (learned across blocks when the caller keeps a GasUseShare).
  const gasUse = args.gasUse ?? new GasUseShare();

  // Effective tips at the block's base fee, once per entry rather than per comparison of every round's sort.
  const tips = new Map<PoolEntry, bigint>();
  const tipOf = (e: PoolEntry): bigint => {
    let t = tips.get(e);
    if (t === undefined) tips.set(e, (t = effectiveTip(e.tx.exec, env.baseFee)));
    return t;
  };

  let blockBytes = 0;
  const fitsBytes = (entry: PoolEntry, used: number) =>
    opts.maxBlockBytes === undefined || used === 0 || used + entry.tx.raw.length <= opts.maxBlockBytes;
  let holding = false;
  for (;;) {
    if (opts.maxTxs !== undefined && res.included.length >= opts.maxTxs) break;
    if (env.gasLimit - res.gasUsed < INTRINSIC_GAS) break;
    if (opts.maxBuildMs !== undefined && Date.now() - start > opts.maxBuildMs) break;
    // Candidates: each sender's next transaction. Every pool sender every round: no big-number sums per sender.
    const candidates: PoolEntry[] = [];
    const gasLeft = env.gasLimit - res.gasUsed;
    const blobGasLeft = MAX_BLOB_GAS_PER_BLOCK - res.blobGasUsed;
    for (const sender of pool.senders()) {
      if (skipped.has(sender)) continue;
      const entry = pool.queue(sender)[cursor.get(sender) ?? 0];
      if (entry === undefined || !entry.durable) continue;
      const tx = entry.tx.exec;
      if (tx.gasLimit > gasLeft) {
        skipped.set(sender, 'gas limit exceeds remaining block gas');
        continue;
      }
      if (tx.blobVersionedHashes !== undefined && blobGasOf(tx) > blobGasLeft) {
        skipped.set(sender, 'blob gas exceeds remaining block blob gas');
        continue;
      }
      candidates.push(entry);
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => compareTips(a, tipOf(a), b, tipOf(b)));

    // Pick the round: a predicted conflict joins the chain it meets, or waits when it meets several (or
    // any, without chains).
    const round: PoolEntry[] = [];
    const chainOf: number[] = [];
    const planner = new ChainPlanner();
    const chainsInRound = new Set<number>();
    let chainedInRound = 0;
    const hotInRound = new Set<Address>();
    let roundGas = res.gasUsed;
    let roundBytes = blockBytes;
    for (const c of candidates) {
      if (round.length >= opts.maxRoundSize) break;
      const prev = opts.predictConflicts ? lastAccess.get(c) : undefined;
      if (prev !== undefined && round.length > 0 && prev.readsCoinbase) continue;
      // Not run yet in this block: the contended keys its kind of call touched in the last block.
      const learned = prev === undefined && useChains ? args.hints?.keys.predicted(c.tx.exec) : undefined;
      const chain = planner.place(prev?.reads ?? learned, useChains);
      if (chain === undefined) continue;
      const to = c.tx.exec.to;
      const hot = opts.hotContractHints && args.hints !== undefined && to !== null && args.hints.isHot(to, env.number);
      if (hot && prev === undefined && hotInRound.has(to!)) continue;
      // The inclusion rule (the gas limit fits what is left) over the gas expected before it in the round.
      if (roundGas + c.tx.exec.gasLimit > env.gasLimit) continue;
      if (!fitsBytes(c, roundBytes)) continue;
      roundGas += gasUse.expected(c.tx.exec.gasLimit);
      roundBytes += c.tx.raw.length;
      if (chainsInRound.has(chain)) chainedInRound++;
      chainsInRound.add(chain);
      round.push(c);
      chainOf.push(chain);
      if (hot) hotInRound.add(to!);
      const writes = prev?.writes ?? learned;
      if (writes !== undefined) planner.predictWrites(chain, writes);
    }
    if (round.length === 0) break;
    if (holding) {
      await args.gate!.wait();
      holding = false;
    }

    res.rounds++;
    // Read before executing: the environment may become final while the round runs.
    const gated = args.gate !== undefined && !args.gate.open;
    const t0 = Date.now();
    for (const e of round) e.busy = true;
    let outcomes: (TxOutcome | undefined)[];
    try {
      const txs = round.map((e) => e.tx.exec);
      outcomes = chainedInRound > 0 ? await executor.executeChains!(overlay, txs, env, Uint32Array.from(chainOf)) : await executor.executeBatch(overlay, txs, env);
    } finally {
      for (const e of round) e.busy = false;
    }
    res.execMs += Date.now() - t0;

    // Validate in order, commit the accepted ones.
    const acceptedWrites = new RoundWrites();
    const chainsRun = new Set<number>();
    let accepted = 0;
    // The round's fee credits go in as one change (one change set fewer per transaction for the overlay and
    // the native mirror): only a change of the fee recipient itself, or a read of the overlay, needs them in
    // before the round ends.
    let pendingCredit = 0n;
    const flushCredit = () => {
      overlay.credit(env.coinbase, pendingCredit);
      pendingCredit = 0n;
    };
    for (let i = 0; i < round.length; i++) {
      const entry = round[i];
      const o = outcomes[i];
      const chain = chainOf[i];
      const sender = entry.tx.exec.from;
      // Not run: its chain stopped before it (a change chains do not carry). It comes back next round.
      if (o === undefined) continue;
      res.executions++;
      if (chainsRun.has(chain)) res.chained++;
      chainsRun.add(chain);
      if (executedOnce.has(entry)) res.reExecutions++;
      executedOnce.add(entry);
      // It saw the writes of an earlier transaction of its chain that was not accepted.
      const brokenChain = acceptedWrites.isBroken(chain);
      if (o.kind === 'rejected') {
        if (brokenChain || acceptedWrites.meets(o.reads, chain)) {
          // It ran on state an earlier transaction of this round changed: retry on the new state.
          res.conflicts++;
          countHot(acceptedWrites.met(o.reads, chain), false);
          lastAccess.set(entry, { reads: o.reads, writes: new Set(), readsCoinbase: false });
          continue;
        }
        // A nonce below the account's can never run again: drop it. Anything else (balance, fee cap below
        // base fee ...) may become valid later: the sender waits for the next block.
        flushCredit();
        if (isStale(entry, overlay)) res.drop.push(entry);
        skipped.set(sender, o.error);
        continue;
      }
      lastAccess.set(entry, { reads: o.reads, writes: o.writes, readsCoinbase: o.readsCoinbase });
      gasUse.add(o.gasUsed, entry.tx.exec.gasLimit);
      // From here on, a transaction not accepted breaks its chain: the chain's later ones saw its changes.
      if (brokenChain || (o.readsCoinbase && accepted > 0) || acceptedWrites.meets(o.reads, chain)) {
        res.conflicts++;
        acceptedWrites.breakChain(chain);
        countHot(acceptedWrites.met(o.reads, chain), o.readsCoinbase && accepted > 0);
        args.hints?.markConflict(entry.tx.exec.to, env.number);
        continue;
      }
      if (gated && args.gate!.holds(entry.tx.exec, o, overlay)) {
        res.held++;
        holding = true;
        acceptedWrites.breakChain(chain);
        continue;
      }
      if (res.gasUsed + entry.tx.exec.gasLimit > env.gasLimit) {
        skipped.set(sender, 'gas limit exceeds remaining block gas');
        acceptedWrites.breakChain(chain);
        continue;
      }
      if (!fitsBytes(entry, blockBytes)) {
        skipped.set(sender, 'transaction bytes exceed what the block can still carry');
        acceptedWrites.breakChain(chain);
        continue;
      }
      blockBytes += entry.tx.raw.length;
      if (o.changes.some((c) => c.address === env.coinbase)) flushCredit();
      overlay.applyChanges(o.changes);
      pendingCredit += o.coinbaseCredit;
      acceptedWrites.accept(o.writes, chain);
      accepted++;
      res.gasUsed += o.gasUsed;
      res.blobGasUsed += o.blobGasUsed;
      entry.inBlock = true;
      cursor.set(sender, (cursor.get(sender) ?? 0) + 1);
      res.included.push({ entry, outcome: o, cumulativeGasUsed: res.gasUsed });
    }
    flushCredit();
    res.roundLog.push([round.length, accepted]);
  }
  args.hints?.keys.learnBlock(res.included.map((t) => ({ tx: t.entry.tx.exec, reads: t.outcome.reads, writes: t.outcome.writes })));
  res.hotKeys = [...hot].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([key, conflicts]) => ({ key, conflicts }));
  return res;
}

/** The entry's nonce is below its sender's current nonce: it can never run. */
function isStale(entry: PoolEntry, overlay: BlockOverlay): boolean {
  const acc = overlay.getAccount(entry.tx.exec.from);
  return (acc?.nonce ?? 0n) > entry.tx.exec.nonce;
}
