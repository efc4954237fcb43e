// The sequencer node facade: the one object the JSON-RPC server, the CLI and tests talk to. It wires the
// stages: submitRawTransaction -> ingress (decode, recover, validate) -> mempool (persisted, MempoolWriter)
// -> block production (sequencer/producer/: scheduler rounds, commit, state root, build, persist, pipelined)
// -> announced head (ChainHead) -> events; the L1 queue comes in through the L1Inbox.
import { EventEmitter } from 'node:events';
import type { BlockHeader } from '@ethereumjs/block';
import type { Common } from '@ethereumjs/common';
import { commonFor } from '../chain/common.js';
import { maxTxGas, setForkSchedule } from '../chain/config.js';
import { isDelegation } from '../chain/delegation.js';
import { childEnv, genesisHeader, headerFromRlp } from '../block/builder.js';
import { ReferenceExecutor } from '../executor/reference/reference-executor.js';
import type { BlockEnv, Executor, ExecTx, TxExecuted } from '../executor/types.js';
import { devGenesis } from '../genesis/dev.js';
import type { Genesis } from '../genesis/genesis.js';
import { txView, type DecodeOptions, type IngressTx } from '../ingress/decode.js';
import { storedTxDecoder } from '../ingress/stored-tx.js';
import { IngressError } from '../ingress/errors.js';
import { defaultIngressDecoder, type IngressDecoder } from '../ingress/ingress-decoder.js';
import { Mempool, feeCap, type MempoolLimits, type PoolEntry } from '../mempool/mempool.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, ZERO_ADDRESS, type Address, type Hex } from '../primitives/types.js';
import { BlockProducer, NodeFailedError } from '../producer/block-producer.js';
import { ChainHead } from '../producer/chain-head.js';
import { L1Inbox } from '../producer/l1-inbox.js';
import { MempoolWriter } from '../producer/mempool-writer.js';
import { SealCadence } from '../producer/seal-cadence.js';
import { ConflictHints, MAX_BLOB_GAS_PER_BLOCK, GAS_PER_BLOB, type SchedulerOptions } from '../scheduler/scheduler.js';
import { GasUseShare } from '../scheduler/gas-use.js';
import { openChainStore, type StoreOptions } from '../store/open-store.js';
import type { ChainStore, PendingRow, StateDiff, StoredBlock } from '../store/store.js';
import { StateHistory } from '../state/history.js';
import { ChainReads } from './chain-reads.js';
import { RecentBlocks } from './recent-blocks.js';
import type { DepositSink, L1QueueItem, SealedBatchSource, SealedL2Block } from '../l1/types.js';
import { WorldState, type StateReader } from '../state/world-state.js';
import type {
  BlockStats,
  BlockView,
  FeeHistoryEntry,
  LogFilter,
  LogView,
  NextBlockEnv,
  ReceiptView,
  TxLookup,
  TxView,
} from './types.js';

export type SealMode = 'interval' | 'on-demand';

export interface SequencerNodeOptions {
  /** Directory of the SQLite database (created if missing), ':memory:' (nothing survives close), or a postgres:// URL. */
  dataDir: string;
  /** Used when the database is new; when resuming, its chain id must match the stored one. Default: dev genesis. */
  genesis?: Genesis;
  /** Interval mode: a block every blockTimeMs when there is work (default 250). */
  blockTimeMs?: number;
  /** Interval mode: an empty block after this long without a block (default 1000; 0: never). */
  idleBlockMs?: number;
  /** 'interval' (default): a timer seals blocks; 'on-demand': only sealBlock() seals. */
  sealMode?: SealMode;
  /** Default: a new reference executor (closed by close()). A given executor is not closed. */
  executor?: Executor;
  mempool?: Partial<MempoolLimits>;
  scheduler?: Partial<SchedulerOptions>;
  /** Ingress limits (chain id comes from the genesis). */
  ingress?: Omit<DecodeOptions, 'chainId'>;
  /** Decodes and recovers raw transactions; default: the native addon's batch decoder, else the reference. */
  ingressDecoder?: IngressDecoder;
  /** Store options; `historyBlocks` there: keep the state of that many recent blocks (default: every block). */
  store?: StoreOptions;
  /** Extra data of sealed blocks (≤ 32 bytes). */
  extraData?: Hex;
}

/**
 * Events: 'block' (BlockView with txs, after it is durable), 'acceptedTransaction' (hash), 'pendingTransaction'
 * (hash), 'logs' (LogView[]), 'stats' (BlockStats).
 */
export interface SequencerEvents {
  /** Every input submitRawTransactions refused (code: IngressError code, or INTERNAL). */
  rejected: [{ code: string; message: string; hash?: Hex }];
  block: [BlockView];
  /** The pool acknowledged a transaction (durable), executable or queued behind a nonce gap. */
  acceptedTransaction: [Hex];
  /**
   * A transaction became executable: acknowledged with its sender's next nonce, or promoted once the gap below
   * it filled (what newPendingTransactions announces, as geth does).
   */
  pendingTransaction: [Hex];
  logs: [LogView[]];
  stats: [BlockStats];
  /** An acknowledged transaction left the pool without being mined (evicted under the pool caps, or its nonce was used). */
  dropped: [{ hash: Hex; sender: Address; nonce: bigint; reason: string }];
}

/** A call for eth_call / eth_estimateGas (no signature, no nonce check). */
export interface CallRequest {
  from?: Address;
  to?: Address | null;
  gas?: bigint;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value?: bigint;
  data?: Uint8Array;
  accessList?: ExecTx['accessList'];
}

export type CallResult =
  | { ok: true; status: TxExecuted['status']; returnData: Uint8Array; gasUsed: bigint; error?: string; logs: TxExecuted['logs'] }
  | { ok: false; error: string };

export type BlockTag = 'latest' | 'pending' | 'earliest' | 'safe' | 'finalized' | bigint;

export class NotImplementedError extends Error {
  constructor(what: string) {
    super(`${what}: not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

export { NodeFailedError };

const STATS_KEPT = 256;
export const DEFAULT_BLOCK_TIME_MS = 250;
export const DEFAULT_IDLE_BLOCK_MS = 1000;

export class SequencerNode {
  /** Typed event emitter: 'block' | 'pendingTransaction' | 'logs' | 'stats'. */
  readonly events = new EventEmitter<SequencerEvents>();
  readonly chainId: bigint;
  readonly common: Common;
  readonly pool: Mempool;
  private readonly chainHead: ChainHead;
  private readonly stats: BlockStats[] = [];
  private closed = false;
  private readonly mempoolWriter: MempoolWriter;
  private readonly history: StateHistory;
  /** Reads of the sealed chain from the store (blocks, transactions, receipts, logs, fee history). */
  readonly reads: ChainReads;
  private readonly recentBlocks = new RecentBlocks();
  private readonly producer: BlockProducer;
  private readonly cadence: SealCadence | undefined;
  private pausedFlag = false;
  private gasLimitOverride: bigint | undefined;

  protected constructor(
    private readonly opts: SequencerNodeOptions,
    readonly store: ChainStore,
    private readonly world: WorldState,
    readonly executor: Executor,
    private readonly ownsExecutor: boolean,
    private readonly ingressDecoder: IngressDecoder,
    head: { header: BlockHeader; size: number; txHashes: Hex[] },
    recentHashes: Hex[],
    readonly coinbase: Address,
    private readonly inbox: L1Inbox,
  ) {
    this.common = commonFor(head.header.common.chainId());
    this.chainId = this.common.chainId();
    this.pool = new Mempool(opts.mempool);
    this.chainHead = new ChainHead(head.header, head.size, head.txHashes, recentHashes);
    this.history = new StateHistory(world, store);
    this.reads = new ChainReads(store, this.common, this.recentBlocks);
    this.mempoolWriter = new MempoolWriter(store);
    const interval = (opts.sealMode ?? 'interval') === 'interval';
    this.cadence = interval
      ? new SealCadence(
          {
            produce: (allowEmpty) => this.producer.produce(allowEmpty).executed,
            hasWork: () => this.pool.pendingCount > 0 || this.inbox.pending().length > 0,
            stopped: () => this.closed || this.producer.failed !== undefined,
          },
          { blockTimeMs: opts.blockTimeMs ?? DEFAULT_BLOCK_TIME_MS, idleBlockMs: opts.idleBlockMs ?? DEFAULT_IDLE_BLOCK_MS },
        )
      : undefined;
    this.producer = new BlockProducer(
      { common: this.common, coinbase, world, history: this.history, pool: this.pool, executor, store, head: this.chainHead, inbox, mempoolWriter: this.mempoolWriter, hints: new ConflictHints(), gasUse: new GasUseShare() },
      {
        scheduler: opts.scheduler,
        // Interval mode: stop starting rounds once the block time is used up (the rest waits for the next block).
        maxBuildMs: () => this.cadence?.blockTimeMs,
        gasLimit: () => this.gasLimitOverride,
        extraData: opts.extraData,
      },
      {
        announce: (view, receipts, logs, stats) => {
          this.recentBlocks.add(view, receipts);
          this.announce(view, logs, stats);
        },
        dropped: (tx, reason) => this.events.emit('dropped', { hash: tx.exec.hash, sender: tx.exec.from, nonce: tx.exec.nonce, reason }),
        promoted: (tx) => this.events.emit('pendingTransaction', tx.exec.hash),
      },
    );
  }

  /** Opens (or creates from genesis) the chain in dataDir, reloads state and mempool, starts sealing. */
  static async open(opts: SequencerNodeOptions): Promise<SequencerNode> {
    const store = await openChainStore(opts.dataDir, opts.store);
    try {
      const genesis = opts.genesis ?? devGenesis();
      setForkSchedule(genesis.chainId, genesis.forks);
      const common = commonFor(genesis.chainId);
      let head = await store.head();
      let world: WorldState;
      let coinbase: Address;
      if (head === null) {
        world = WorldState.fromAlloc(genesis.alloc);
        const stateRoot = await world.stateRoot();
        const header = genesisHeader(common, { ...genesis, stateRoot });
        const stored: StoredBlock = { number: 0n, hash: bytesToHex(header.hash()) as Hex, header: header.serialize(), size: 0 };
        stored.size = (await import('../block/builder.js')).blockSize(stored.header, []);
        await store.setMeta('chainId', genesis.chainId.toString());
        await store.setMeta('coinbase', genesis.coinbase);
        await store.commitGenesis(stored, genesisDiff(world));
        head = stored;
        coinbase = genesis.coinbase;
      } else {
        const storedChain = BigInt((await store.meta('chainId')) ?? '0');
        if (opts.genesis && opts.genesis.chainId !== storedChain) throw new Error(`data dir holds chain ${storedChain}, genesis says ${opts.genesis.chainId}`);
        coinbase = ((await store.meta('coinbase')) ?? genesis.coinbase) as Address;
        const rows = await store.loadState();
        world = WorldState.fromAlloc(rows.map((r) => [r.account.address, { balance: r.account.balance, nonce: r.account.nonce, code: r.code, storage: r.storage }]));
        const root = await world.stateRoot();
        const header = headerFromRlp(head.header, commonFor(storedChain));
        const expected = bytesToHex(header.stateRoot) as Hex;
        if (root !== expected) throw new Error(`stored state root ${root} does not match head block ${head.number} state root ${expected}`);
      }
      const chainCommon = commonFor(BigInt((await store.meta('chainId')) ?? genesis.chainId.toString()));
      const header = headerFromRlp(head.header, chainCommon);
      const txHashes = (await store.txsOfBlock(head.number)).map((t) => t.hash);
      const recent = await store.recentBlockHashes(256);
      const executor = opts.executor ?? new ReferenceExecutor();
      const inbox = await L1Inbox.open(store, head.number);
      const node = new SequencerNode(opts, store, world, executor, opts.executor === undefined, opts.ingressDecoder ?? (await defaultIngressDecoder()), { header, size: head.size, txHashes }, recent, coinbase, inbox);
      await node.restoreMempool();
      node.cadence?.start();
      return node;
    } catch (e) {
      await store.close().catch(() => {});
      throw e;
    }
  }

  /** Reloads the persisted pool: contiguous nonces as pending, future ones as queued, used ones deleted. */
  private async restoreMempool(): Promise<void> {
    const rows = await this.store.loadMempool();
    rows.sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : a.seq - b.seq));
    const stale: Hex[] = [];
    const txs = storedTxDecoder(this.chainId)(rows);
    rows.forEach((r, i) => {
      if (!this.pool.restore(txs[i], r.seq, this.world.getAccount(r.sender)?.nonce ?? 0n)) stale.push(r.hash);
    });
    if (stale.length > 0) await this.store.updateMempool([], stale);
  }

  // ---- operator hooks (console) ----

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Stops interval sealing (sealBlock() still works); resolves once the blocks in progress are durable. */
  async pause(): Promise<void> {
    this.pausedFlag = true;
    await this.cadence?.stop();
    await this.producer.idle();
  }

  /** Restarts interval sealing after pause(). */
  resume(): void {
    if (!this.pausedFlag) return;
    this.pausedFlag = false;
    if (!this.closed) this.cadence?.start();
  }

  /** Block time of interval mode (ms). */
  get blockTimeMs(): number {
    return this.cadence?.blockTimeMs ?? this.opts.blockTimeMs ?? DEFAULT_BLOCK_TIME_MS;
  }

  /** Interval mode: the empty-block interval of an idle chain (ms; 0: none). On-demand mode: 0. */
  get idleBlockMs(): number {
    return this.cadence?.idleBlockMs ?? 0;
  }

  /** Changes the block time; takes effect at the next tick. */
  setBlockTime(ms: number): void {
    if (!(ms > 0)) throw new RangeError(`block time must be positive, got ${ms}`);
    this.cadence?.setBlockTime(ms);
  }

  /** Gas limit of the next blocks (exact; the genesis gas limit until set). */
  setGasLimit(gas: bigint): void {
    if (gas < 21000n) throw new RangeError(`gas limit ${gas} below 21000`);
    this.gasLimitOverride = gas;
  }

  /** Removes every pending tx of `sender` (pool and store); returns their hashes. Txs being included now stay. */
  async dropSender(sender: Address): Promise<Hex[]> {
    const s = sender.toLowerCase() as Address;
    const gone = this.pool.removeSender(s).map((e) => e.tx.exec.hash);
    if (gone.length === 0) return [];
    await this.persist([], gone);
    return gone;
  }

  private checkOpen(): void {
    if (this.producer.failed !== undefined) throw new NodeFailedError(this.producer.failed);
    if (this.closed) throw new IngressError('CLOSED', 'sequencer is shutting down');
  }

  // ---- ingress ----

  /**
   * Decodes, recovers, validates and persists a raw signed transaction; resolves to its hash once it is
   * durable in the mempool. Throws IngressError (`.code`, specific message) for every rejection rule.
   */
  async submitRawTransaction(raw: Uint8Array): Promise<Hex> {
    const [r] = await this.submitRawTransactions([raw]);
    if ('error' in r) throw r.error;
    return r.hash;
  }

  /** Many at once (batched sender recovery); one result per input, in order. */
  async submitRawTransactions(raws: Uint8Array[]): Promise<({ hash: Hex } | { error: Error })[]> {
    this.checkOpen();
    const decoded = await this.ingressDecoder.decodeBatch(raws, { ...this.opts.ingress, chainId: this.chainId });
    this.checkOpen();
    const env = this.nextBlockEnv();
    // One group-commit job for the whole batch: its accepted rows are durable (or fail) together.
    const rows: PendingRow[] = [];
    const removed: Hex[] = [];
    const accepted: PoolEntry[] = [];
    const promoted: PoolEntry[] = [];
    const verdicts: (Hex | Error)[] = decoded.map((d) => {
      if (d instanceof IngressError) return d;
      try {
        this.validateAgainstState(d, env);
        const stateNonce = this.world.getAccount(d.exec.from)?.nonce ?? 0n;
        const { replaced, evicted, promoted: moved } = this.pool.add(d, stateNonce, env.baseFee);
        const entry = this.pool.get(d.exec.hash)!;
        promoted.push(...moved);
        for (const ev of evicted) this.events.emit('dropped', { hash: ev.entry.tx.exec.hash, sender: ev.entry.tx.exec.from, nonce: ev.entry.tx.exec.nonce, reason: ev.reason });
        if (replaced) removed.push(replaced.tx.exec.hash);
        for (const ev of evicted) removed.push(ev.entry.tx.exec.hash);
        rows.push({ hash: d.exec.hash, sender: d.exec.from, nonce: d.exec.nonce, raw: d.raw, seq: entry.seq });
        accepted.push(entry);
        return d.exec.hash;
      } catch (e) {
        return e as Error;
      }
    });
    let persistError: Error | undefined;
    if (rows.length > 0 || removed.length > 0) {
      try {
        await this.persist(rows, removed);
        for (const entry of accepted) entry.durable = true;
      } catch (e) {
        persistError = e as Error;
        for (const entry of accepted) this.pool.remove(entry.tx.exec.hash);
      }
    }
    const out: ({ hash: Hex } | { error: Error })[] = [];
    verdicts.forEach((v, i) => {
      const d = decoded[i];
      const hash = d instanceof IngressError ? undefined : d.exec.hash;
      const error = v instanceof Error ? v : persistError;
      if (error) {
        out.push({ error });
        this.events.emit('rejected', { code: (error as IngressError).code ?? 'INTERNAL', message: error.message, hash });
        return;
      }
      out.push({ hash: v as Hex });
      this.events.emit('acceptedTransaction', v as Hex);
    });
    if (persistError === undefined) this.announceExecutable([...accepted, ...promoted]);
    return out;
  }

  /**
   * 'pendingTransaction' for the entries (durable now) that are executable now: those accepted with their
   * sender's next nonce and the queued ones they moved up, each once. An entry that left the pool or waits
   * queued meanwhile is not announced.
   */
  private announceExecutable(entries: PoolEntry[]): void {
    const announced = new Set<PoolEntry>();
    for (const entry of entries) {
      if (announced.has(entry) || this.pool.get(entry.tx.exec.hash) !== entry || this.pool.isQueued(entry)) continue;
      announced.add(entry);
      this.events.emit('pendingTransaction', entry.tx.exec.hash);
    }
  }

  /** Stateful ingress rules against the committed state and the next block's fees. */
  private validateAgainstState(t: IngressTx, env: NextBlockEnv): void {
    const e = t.exec;
    if (this.pool.has(e.hash)) throw new IngressError('ALREADY_KNOWN', `already known: ${e.hash}`);
    if (e.gasLimit > env.gasLimit) throw new IngressError('GAS_LIMIT_EXCEEDED', `exceeds block gas limit: tx gas ${e.gasLimit}, block gas limit ${env.gasLimit}`);
    const account = this.world.getAccount(e.from);
    if (account && account.code.length > 0 && !isDelegation(account.code)) throw new IngressError('SENDER_NOT_EOA', `sender not an eoa: ${e.from} has code`);
    const stateNonce = account?.nonce ?? 0n;
    if (e.nonce < stateNonce) throw new IngressError('NONCE_TOO_LOW', `nonce too low: next nonce ${stateNonce}, tx nonce ${e.nonce}`);
    const cap = feeCap(e);
    if (cap < env.baseFee) throw new IngressError('FEE_CAP_TOO_LOW', `max fee per gas less than block base fee: fee cap ${cap}, base fee ${env.baseFee}`);
    let cost = e.value + e.gasLimit * cap;
    if (e.type === 3) {
      const blobs = BigInt(e.blobVersionedHashes?.length ?? 0);
      if (blobs * GAS_PER_BLOB > MAX_BLOB_GAS_PER_BLOCK) throw new IngressError('BLOB_INVALID', `too many blobs: ${blobs}, at most ${MAX_BLOB_GAS_PER_BLOCK / GAS_PER_BLOB}`);
      const blobPrice = this.chainHead.header.calcNextBlobGasPrice(this.chainHead.header.common);
      if ((e.maxFeePerBlobGas ?? 0n) < blobPrice) throw new IngressError('BLOB_INVALID', `max fee per blob gas ${e.maxFeePerBlobGas} below blob base fee ${blobPrice}`);
      cost += blobs * GAS_PER_BLOB * (e.maxFeePerBlobGas ?? 0n);
    }
    const balance = account?.balance ?? 0n;
    if (balance < cost) throw new IngressError('INSUFFICIENT_FUNDS', `insufficient funds for gas * price + value: balance ${balance}, tx cost ${cost}`);
  }

  /** Group commit of mempool rows (MempoolWriter): durable before a hash is acknowledged. */
  private persist(add: PendingRow[], remove: Hex[]): Promise<void> {
    return this.mempoolWriter.persist(add, remove);
  }

  // ---- block production (sequencer/producer/) ----

  /**
   * Produces one block from the L1 queue and the mempool (any mode); resolves once it is durable and
   * announced; null when there was no work. Calls may overlap: the next block executes while this one seals.
   */
  sealBlock(allowEmpty = false): Promise<BlockView | null> {
    if (this.closed) return Promise.resolve(null);
    return this.producer.produce(allowEmpty).sealed;
  }

  private announce(view: BlockView, logs: () => LogView[], stats: BlockStats): void {
    this.stats.push(stats);
    if (this.stats.length > STATS_KEPT) this.stats.shift();
    this.events.emit('block', view);
    const logViews = this.events.listenerCount('logs') > 0 ? logs() : [];
    if (logViews.length > 0) this.events.emit('logs', logViews);
    this.events.emit('stats', stats);
  }

  // ---- reads ----

  /** The latest sealed (durable, announced) block (the genesis block before any other). */
  head(): BlockView {
    return this.chainHead.view;
  }

  /** Number of the latest sealed block. */
  blockNumber(): bigint {
    return this.chainHead.number;
  }

  getBlockByNumber(n: bigint, full = false): Promise<BlockView | null> {
    return this.reads.blockByNumber(n, full);
  }

  getBlockByHash(hash: Hex, full = false): Promise<BlockView | null> {
    return this.reads.blockByHash(hash, full);
  }

  /** Mined (with location) or pending (without; also while its block is being sealed), or null. */
  async getTransaction(hash: Hex): Promise<TxLookup | null> {
    const h = hash.toLowerCase() as Hex;
    const pending = this.pendingTransaction(h);
    return pending ? { tx: pending } : this.reads.minedTransaction(h);
  }

  /** A transaction in the pool or in the block being sealed, read without the store (synchronous). */
  pendingTransaction(hash: Hex): TxView | undefined {
    const p = this.pool.get(hash)?.tx ?? this.producer.sealingTx(hash);
    return p && txView(p);
  }

  getReceipt(hash: Hex): Promise<ReceiptView | null> {
    return this.reads.receipt(hash);
  }

  getLogs(filter: LogFilter): Promise<LogView[]> {
    return this.reads.logs(filter, this.blockNumber());
  }

  /**
   * The working state of block production: every block executed so far, including up to two not yet
   * durable (the pipeline commits block N+1 while N seals). Reads for the announced head go through
   * stateAt(blockNumber()), which undoes those. The WorldState is live: it changes when the next block
   * commits; do not mutate it. proof() serves eth_getProof.
   */
  getState(_tag: 'latest' | 'pending' = 'latest'): WorldState {
    return this.world;
  }

  /**
   * State after block n (any kept block; the view stays at n as later blocks commit, and blocks committed
   * but not yet durable are undone); null beyond the head; throws StatePrunedError (naming the oldest kept
   * block) below what the store keeps.
   */
  stateAt(n: bigint): StateReader | null {
    return this.history.at(n, this.blockNumber());
  }

  /** The whole state after kept block n with its tries (eth_getProof off the head); null beyond the head. */
  async provableStateAt(n: bigint): Promise<WorldState | null> {
    const b = n <= this.blockNumber() ? await this.store.blockByNumber(n) : null;
    return b ? this.history.provableAt(n, bytesToHex(headerFromRlp(b.header, this.common).stateRoot) as Hex) : null;
  }

  /** The genesis this node was opened with (for replays from genesis). */
  get genesis(): Genesis {
    return this.opts.genesis ?? devGenesis();
  }

  /** Next nonce for a sender counting its pending transactions. */
  pendingNonce(address: Address): bigint {
    const a = address.toLowerCase() as Address;
    return this.pool.pendingNonce(a, this.world.getAccount(a)?.nonce ?? 0n);
  }

  /** Hashes of pending transactions, in priority order. */
  pendingTransactions(): Hex[] {
    return this.pool.ordered(this.nextBlockEnv().baseFee);
  }

  private childEnv(recent: Hex[]): BlockEnv {
    const env = childEnv(this.common, this.chainHead.header, this.coinbase, recent);
    if (this.gasLimitOverride !== undefined) env.gasLimit = this.gasLimitOverride;
    return env;
  }

  /** The environment of the next block (for eth_call/estimateGas as 'pending'). */
  nextBlockEnv(): NextBlockEnv {
    const env = this.childEnv([]);
    return {
      number: env.number,
      timestamp: env.timestamp,
      coinbase: env.coinbase,
      gasLimit: env.gasLimit,
      baseFee: env.baseFee,
      prevRandao: env.prevRandao,
      excessBlobGas: env.excessBlobGas,
      parentHash: this.chainHead.hash,
    };
  }

  /** Executes a call against the latest state (no commit); baseFee is 0 when the call gives no fee (as geth). */
  async call(req: CallRequest, tag: BlockTag = 'latest'): Promise<CallResult> {
    if (typeof tag === 'bigint' && tag !== this.blockNumber()) return { ok: false, error: `historical state unavailable for block ${tag}` };
    const from = (req.from ?? ZERO_ADDRESS).toLowerCase() as Address;
    const env = this.childEnv(this.chainHead.recentHashes);
    const priced = req.gasPrice !== undefined || req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined;
    if (!priced) env.baseFee = 0n;
    const eip1559 = req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined;
    const nonce = this.world.getAccount(from)?.nonce ?? 0n;
    const tx: ExecTx = {
      hash: bytesToHex(keccak256(new TextEncoder().encode(`call:${from}:${nonce}:${Date.now()}:${Math.random()}`))) as Hex,
      type: eip1559 ? 2 : req.accessList ? 1 : 0,
      from,
      to: req.to === undefined ? null : req.to === null ? null : (req.to.toLowerCase() as Address),
      nonce,
      gasLimit: req.gas ?? maxTxGas(env),
      value: req.value ?? 0n,
      data: req.data ?? new Uint8Array(0),
      gasPrice: eip1559 ? undefined : (req.gasPrice ?? 0n),
      maxFeePerGas: eip1559 ? (req.maxFeePerGas ?? env.baseFee + (req.maxPriorityFeePerGas ?? 0n)) : undefined,
      maxPriorityFeePerGas: eip1559 ? (req.maxPriorityFeePerGas ?? 0n) : undefined,
      accessList: req.accessList ?? [],
      chainId: this.chainId,
    };
    const [o] = await this.executor.executeBatch(this.world, [tx], env);
    if (o.kind === 'rejected') return { ok: false, error: o.error };
    return { ok: true, status: o.status, returnData: o.returnData, gasUsed: o.gasUsed, error: o.error, logs: o.logs };
  }

  /** Smallest gas limit with which the call succeeds (binary search over call()). Throws with the revert reason when it never does. */
  async estimateGas(req: CallRequest): Promise<bigint> {
    const cap = req.gas ?? maxTxGas(this.childEnv([]));
    const top = await this.call({ ...req, gas: cap });
    if (!top.ok) throw new Error(top.error);
    if (top.status !== 'success') throw Object.assign(new Error(top.status === 'revert' ? 'execution reverted' : `execution failed: ${top.error}`), { data: top.returnData });
    let lo = top.gasUsed - 1n;
    let hi = cap;
    // Most calls succeed with gasUsed + the 1/64 retention margin: try that first.
    const guess = (top.gasUsed * 64n) / 63n + 2300n;
    if (guess < hi) {
      const g = await this.call({ ...req, gas: guess });
      if (g.ok && g.status === 'success') hi = guess;
      else lo = guess;
    }
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      const r = await this.call({ ...req, gas: mid });
      if (r.ok && r.status === 'success') hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Fee history entries for blocks [newest-count+1, newest]. */
  feeHistory(count: number, newest: bigint): Promise<FeeHistoryEntry[]> {
    return this.reads.feeHistory(count, newest);
  }

  // ---- L1 seams (sequencer/l1/types.ts) ----

  /** Where the L1 deposit watcher puts queue items: persisted before accept() resolves, applied at the next block's start. */
  depositSink(): DepositSink {
    return this.inbox.sink(() => this.checkOpen());
  }

  /** The sealed, durable blocks for the batcher. */
  batchSource(): SealedBatchSource {
    return {
      latestSealedBlockNumber: async () => this.blockNumber(),
      getSealedBlocks: async (from: bigint, to: bigint) => {
        const out: SealedL2Block[] = [];
        for (let n = from; n <= to; n++) {
          const b = await this.store.blockByNumber(n);
          if (!b) throw new Error(`block ${n} is not sealed`);
          const h = headerFromRlp(b.header, this.common);
          const txs = await this.store.txsOfBlock(n);
          out.push({
            number: n,
            hash: b.hash,
            parentHash: bytesToHex(h.parentHash) as Hex,
            stateRoot: bytesToHex(h.stateRoot) as Hex,
            timestamp: h.timestamp,
            coinbase: toAddressLower(h.coinbase.toString()),
            gasLimit: h.gasLimit,
            baseFee: h.baseFeePerGas ?? 0n,
            prevRandao: bytesToHex(h.mixHash) as Hex,
            queueIndexAfter: (await this.store.queueIndexAfter(n)) ?? 0n,
            txs: txs.map((t) => bytesToHex(t.raw) as Hex),
          });
        }
        return out;
      },
    };
  }

  /** L1 queue items accepted but not yet applied. */
  pendingQueueItems(): readonly L1QueueItem[] {
    return this.inbox.pending();
  }

  /** Scheduler statistics of the last sealed blocks (most recent last). */
  recentStats(): BlockStats[] {
    return [...this.stats];
  }

  /** Stops sealing, waits until the blocks in progress are durable, flushes and closes the store and executor. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.cadence?.stop();
    await this.producer.idle();
    await this.mempoolWriter.drain();
    if (this.ownsExecutor) await this.executor.close?.();
    await this.ingressDecoder.close?.();
    await this.store.close();
  }
}

function toAddressLower(a: string): Address {
  return a.toLowerCase() as Address;
}

function genesisDiff(world: WorldState): StateDiff {
  const diff: StateDiff = { accounts: new Map(), storageResets: new Set(), slots: new Map(), code: new Map() };
  for (const [address, a] of world.entries()) {
    diff.accounts.set(address, { address, nonce: a.nonce, balance: a.balance, codeHash: a.codeHash });
    if (a.code.length > 0) diff.code.set(a.codeHash, a.code);
    if (a.storage.size > 0) diff.slots.set(address, new Map(a.storage));
  }
  return diff;
}

export type { PoolEntry };
