// An RPC node with no sequencing of its own (issue #16): it serves the RpcNode view (sequencer/rpc/node-api.ts)
// from the store the sequencer writes, so every RPC method runs unchanged on it. Reads of the sealed chain come
// from the store, capped at the block this replica has applied; state is an in-memory WorldState that the
// ChainFollower moves block by block (eth_call / estimateGas run on the native EVM over it, through the same
// call mirrors as on the sequencer), with undo layers for recent blocks and the store's history tables for
// older ones. Writes (raw transactions, and the pool's pending nonces) go to the sequencer.
import { EventEmitter } from 'node:events';
import type { Common } from '@ethereumjs/common';
import { childEnv, headerFromRlp } from '../block/builder.js';
import { commonFor } from '../chain/common.js';
import { setForkSchedule } from '../chain/config.js';
import type { BlockEnv, Executor, ExecTx, TxOutcome } from '../executor/types.js';
import { devGenesis } from '../genesis/dev.js';
import type { Genesis } from '../genesis/genesis.js';
import { ChainReads } from '../node/chain-reads.js';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';
import { ChainHead } from '../producer/chain-head.js';
import { chainReadMethods, type ChainReadMethods } from '../rpc/chain-read-methods.js';
import type { RpcBlock, RpcLog, RpcNode, RpcReceipt, RpcTransaction, SyncStatus } from '../rpc/node-api.js';
import { prunedAsServerError } from '../rpc/node-adapter.js';
import { toRpcBlock, toRpcLog } from '../rpc/rpc-views.js';
import { StateHistory } from '../state/history.js';
import { WorldState, type StateReader } from '../state/world-state.js';
import { openChainStore, type StoreOptions } from '../store/open-store.js';
import type { ChainStore } from '../store/store.js';
import type { BlockView, FeeHistoryEntry, LogView } from '../node/types.js';
import { ChainFollower } from './chain-follower.js';
import { SequencerClient, SequencerUnavailableError } from './sequencer-client.js';

export interface ReplicaNodeOptions {
  /** The sequencer's store: a postgres:// URL (or a SQLite data directory on the same machine). */
  store: string;
  storeOptions?: StoreOptions;
  /** The sequencer's JSON-RPC URL (writes are forwarded there; its head is the replica's target). */
  sequencer: SequencerClient;
  /** The chain's genesis (its fork schedule); default: the dev genesis. Its chain id must be the store's. */
  genesis?: Genesis;
  /** Look at the store's head at least this often (ms; PostgreSQL notifications wake it sooner). Default 500. */
  pollMs?: number;
  /** Ask the sequencer for its head this often (ms, for eth_syncing and the lag metric). Default 1000. */
  sequencerPollMs?: number;
  /** Executor for eth_simulateV1 (absent: that method says this node does not expose one). */
  executor?: Executor;
}

export interface ReplicaEvents {
  /** A store read failed while following (retried). */
  retrying: [Error];
  /** Following stopped: the applied state diverged from the chain (reads stay at the last good block). */
  failed: [Error];
}

export class ReplicaNode implements RpcNode {
  readonly events = new EventEmitter<ReplicaEvents>();
  readonly chainId: bigint;
  /** The sequencer's head as last seen (undefined before the first answer). */
  sequencerHead: bigint | undefined;
  /** Whether the sequencer answered the last head poll. */
  sequencerUp = false;
  readonly executeBatch?: (snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv) => Promise<TxOutcome[]>;
  private readonly chain: ChainReadMethods;
  private readonly history: StateHistory;
  private readonly follower: ChainFollower;
  private readonly startingBlock: bigint;
  private readonly poll: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly store: ChainStore,
    private readonly common: Common,
    private readonly world: WorldState,
    private readonly head: ChainHead,
    private readonly coinbase: Address,
    private readonly sequencer: SequencerClient,
    knownCode: Set<Hex>,
    opts: ReplicaNodeOptions,
  ) {
    this.chainId = common.chainId();
    const reads = new ChainReads(store, common);
    this.chain = chainReadMethods(reads, this.chainId, () => this.head.number);
    this.history = new StateHistory(world, store);
    this.follower = new ChainFollower({ store, reads, common, world, history: this.history, head, knownCode }, opts.pollMs ?? 500);
    this.follower.events.on('retrying', (e) => this.events.emit('retrying', e));
    this.follower.events.on('failed', (e) => this.events.emit('failed', e));
    this.startingBlock = head.number;
    const executor = opts.executor;
    if (executor) this.executeBatch = (snapshot, txs, env) => executor.executeBatch(snapshot, txs, env);
    this.poll = setInterval(() => void this.pollSequencer(), opts.sequencerPollMs ?? 1000).unref();
    void this.pollSequencer();
    this.follower.start();
  }

  /** Opens the store, loads the state after its head block (checked against that block's root) and starts following. */
  static async open(opts: ReplicaNodeOptions): Promise<ReplicaNode> {
    const store = await openChainStore(opts.store, opts.storeOptions);
    try {
      const genesis = opts.genesis ?? devGenesis();
      setForkSchedule(genesis.chainId, genesis.forks);
      const stored = await store.head();
      if (stored === null) throw new Error('the store holds no chain yet: start the sequencer on it first');
      const chainId = BigInt((await store.meta('chainId')) ?? '0');
      if (chainId !== genesis.chainId) throw new Error(`the store holds chain ${chainId}, the genesis says ${genesis.chainId}`);
      const common = commonFor(chainId);
      const header = headerFromRlp(stored.header, common);
      const reads = store.history();
      const knownCode = new Set<Hex>();
      // The state after exactly this block, from its history rows: the sequencer may commit more meanwhile.
      const world = WorldState.fromAlloc(
        reads.dump(stored.number).map((r) => {
          knownCode.add(r.account.codeHash);
          return [r.account.address, { nonce: r.account.nonce, balance: r.account.balance, code: reads.code(r.account.codeHash), storage: r.storage }];
        }),
      );
      const root = await world.stateRoot();
      const expected = bytesToHex(header.stateRoot) as Hex;
      if (root !== expected) throw new Error(`state of block ${stored.number} loaded from the store has root ${root}, the header says ${expected}`);
      const txHashes = (await store.txsOfBlock(stored.number)).map((t) => t.hash);
      const head = new ChainHead(header, stored.size, txHashes, [stored.hash]);
      const coinbase = ((await store.meta('coinbase')) ?? genesis.coinbase) as Address;
      return new ReplicaNode(store, common, world, head, coinbase, opts.sequencer, knownCode, opts);
    } catch (e) {
      await store.close().catch(() => {});
      throw e;
    }
  }

  private async pollSequencer(): Promise<void> {
    try {
      const n = await this.sequencer.blockNumber();
      this.sequencerHead = n;
      this.sequencerUp = true;
    } catch {
      this.sequencerUp = false;
    }
  }

  /** Why following stopped for good (the applied state diverged from the chain), if it did. */
  get failure(): Error | undefined {
    return this.follower.failure;
  }

  /** The newest block this replica knows exists: the sequencer's head or the store's, whichever is further. */
  highestBlock(): bigint {
    const candidates = [this.head.number, this.follower.storeHead, this.sequencerHead ?? 0n];
    return candidates.reduce((a, b) => (b > a ? b : a));
  }

  // ---- RpcNode ----

  headNumber(): bigint {
    return this.head.number;
  }

  syncing(): SyncStatus | false {
    const highest = this.highestBlock();
    if (highest <= this.head.number) return false;
    return { startingBlock: this.startingBlock, currentBlock: this.head.number, highestBlock: highest };
  }

  getBlockByNumber(n: bigint): Promise<RpcBlock | undefined> {
    return this.chain.getBlockByNumber(n);
  }

  getBlockByHash(h: Hex): Promise<RpcBlock | undefined> {
    return this.chain.getBlockByHash(h);
  }

  /** Mined transactions only: the pool is the sequencer's (a pending transaction reads null here until it is mined). */
  getTransaction(h: Hex): Promise<RpcTransaction | undefined> {
    return this.chain.minedTransaction(h);
  }

  getReceipt(h: Hex): Promise<RpcReceipt | undefined> {
    return this.chain.getReceipt(h);
  }

  getBlockReceipts(n: bigint): Promise<RpcReceipt[] | undefined> {
    return this.chain.getBlockReceipts(n);
  }

  getLogs(q: Parameters<RpcNode['getLogs']>[0]): Promise<RpcLog[]> {
    return this.chain.getLogs(q);
  }

  blockHash(n: bigint): Promise<Hex | undefined> {
    return this.chain.blockHash(n);
  }

  feeHistory(count: number, newest: bigint): Promise<FeeHistoryEntry[]> {
    return this.chain.feeHistory(count, newest);
  }

  blockEnv(n: bigint): Promise<BlockEnv | undefined> {
    return this.chain.blockEnv(n);
  }

  latestState(): WorldState {
    return this.world;
  }

  stateAt(n: bigint): Promise<StateReader | undefined> {
    return prunedAsServerError(() => this.history.at(n, this.head.number) ?? undefined);
  }

  async provableStateAt(n: bigint): Promise<WorldState | undefined> {
    const b = n <= this.head.number ? await this.store.blockByNumber(n) : null;
    if (b === null) return undefined;
    const root = bytesToHex(headerFromRlp(b.header, this.common).stateRoot) as Hex;
    return prunedAsServerError(() => this.history.provableAt(n, root));
  }

  /** The sequencer's pool decides; while it cannot be asked, the nonce in this replica's latest state. */
  async pendingNonce(address: Address): Promise<bigint> {
    try {
      const r = await this.sequencer.call('eth_getTransactionCount', [address, 'pending']);
      if (typeof r === 'string' && /^0x[0-9a-f]+$/i.test(r)) return BigInt(r);
    } catch (e) {
      if (!(e instanceof SequencerUnavailableError)) throw e;
    }
    return this.world.getAccount(address.toLowerCase() as Address)?.nonce ?? 0n;
  }

  /** Forwarded to the sequencer: its answer (hash or rejection) is the answer. */
  async submitRawTransaction(raw: Uint8Array): Promise<Hex> {
    const r = await this.sequencer.call('eth_sendRawTransaction', [bytesToHex(raw)]);
    if (typeof r !== 'string' || !/^0x[0-9a-f]{64}$/i.test(r)) throw new SequencerUnavailableError(this.sequencer.url, 'eth_sendRawTransaction', `unexpected answer ${JSON.stringify(r)}`);
    return r.toLowerCase() as Hex;
  }

  nextBlockEnv(): BlockEnv {
    return childEnv(this.common, this.head.header, this.coinbase, [this.head.hash]);
  }

  onBlock(fn: (block: RpcBlock) => void): () => void {
    const h = (b: BlockView) => fn(toRpcBlock(b));
    this.follower.events.on('block', h);
    return () => this.follower.events.off('block', h);
  }

  onLogs(fn: (logs: RpcLog[]) => void): () => void {
    // Emitted right after their block, which is the head by then.
    const h = (logs: LogView[]) => fn(logs.map((l) => toRpcLog(l, this.head.view.header.timestamp)));
    this.follower.events.on('logs', h);
    return () => this.follower.events.off('logs', h);
  }

  /** The pool is the sequencer's: newPendingTransactions subscriptions on a replica stay silent. */
  onPendingTransaction(): () => void {
    return () => {};
  }

  /** Wakes the follower (a PostgreSQL notification that a block committed). */
  wake(): void {
    this.follower.wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    await this.follower.stop();
    await this.store.close();
  }
}
