// The sequencer node facade: the one object the JSON-RPC server, the CLI and tests talk to.
// Data flow: submitRawTransaction -> ingress (decode, recover, validate) -> mempool (persisted) ->
// scheduler rounds (executor.executeBatch on one snapshot, conflict check, commit in order) ->
// block builder (header, receipts) -> store (one SQLite transaction per block) -> events.
import { EventEmitter } from 'node:events';
import type { Address, Hex } from '../primitives/types.js';
import type { Executor, ExecTx, TxExecuted } from '../executor/types.js';
import type { StateReader, WorldState } from '../state/world-state.js';
import type { Genesis } from '../genesis/genesis.js';
import type {
  BlockStats,
  BlockView,
  FeeHistoryEntry,
  LogFilter,
  LogView,
  NextBlockEnv,
  ReceiptView,
  TxLookup,
} from './types.js';

export type SealMode = 'interval' | 'on-demand';

export interface SequencerNodeOptions {
  /** Directory of the SQLite database (created if missing), or ':memory:' (nothing survives close). */
  dataDir: string;
  /** Used when the database is new; ignored (but checked for chain id) when resuming. Default: dev genesis. */
  genesis?: Genesis;
  /** Interval mode: a block every blockTimeMs when there is work (default 250). */
  blockTimeMs?: number;
  /** 'interval' (default): a timer seals blocks; 'on-demand': only sealBlock() seals. */
  sealMode?: SealMode;
  /** Default: the reference executor. */
  executor?: Executor;
  /** Seal empty blocks on the interval too (default false: only when the mempool has work). */
  sealEmptyBlocks?: boolean;
}

/** Events: 'block' (BlockView with txs, after it is durable), 'pendingTransaction' (hash), 'logs' (LogView[]), 'stats' (BlockStats). */
export interface SequencerEvents {
  block: [BlockView];
  pendingTransaction: [Hex];
  logs: [LogView[]];
  stats: [BlockStats];
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

export class SequencerNode {
  /** Typed event emitter: 'block' | 'pendingTransaction' | 'logs' | 'stats'. */
  readonly events = new EventEmitter<SequencerEvents>();

  protected constructor(readonly chainId: bigint) {}

  /** Opens (or creates from genesis) the chain in dataDir, reloads state and mempool, starts sealing. */
  static async open(_opts: SequencerNodeOptions): Promise<SequencerNode> {
    throw new NotImplementedError('SequencerNode.open');
  }

  /**
   * Decodes, recovers, validates and persists a raw signed transaction; resolves to its hash once it is
   * durable in the mempool. Throws IngressError (`.code`, specific message) for every rejection rule.
   */
  async submitRawTransaction(_raw: Uint8Array): Promise<Hex> {
    throw new NotImplementedError('submitRawTransaction');
  }

  /** Many at once (batched sender recovery); one result per input, in order. */
  async submitRawTransactions(_raws: Uint8Array[]): Promise<({ hash: Hex } | { error: Error })[]> {
    throw new NotImplementedError('submitRawTransactions');
  }

  /** Builds, persists and announces one block from the mempool (any mode); null when there was no work. */
  async sealBlock(): Promise<BlockView | null> {
    throw new NotImplementedError('sealBlock');
  }

  /** The latest sealed block (the genesis block before any other). */
  head(): BlockView {
    throw new NotImplementedError('head');
  }

  /** Number of the latest sealed block. */
  blockNumber(): bigint {
    throw new NotImplementedError('blockNumber');
  }

  async getBlockByNumber(_n: bigint, _full = false): Promise<BlockView | null> {
    throw new NotImplementedError('getBlockByNumber');
  }

  async getBlockByHash(_hash: Hex, _full = false): Promise<BlockView | null> {
    throw new NotImplementedError('getBlockByHash');
  }

  /** Mined (with location) or pending (without), or null. */
  async getTransaction(_hash: Hex): Promise<TxLookup | null> {
    throw new NotImplementedError('getTransaction');
  }

  async getReceipt(_hash: Hex): Promise<ReceiptView | null> {
    throw new NotImplementedError('getReceipt');
  }

  async getLogs(_filter: LogFilter): Promise<LogView[]> {
    throw new NotImplementedError('getLogs');
  }

  /**
   * The committed state after the head block ('pending' is the same state: there is no pending block).
   * The WorldState is live: it changes when the next block commits; do not mutate it. trie()/storageTrie()
   * serve eth_getProof (call `await state.stateRoot()` first).
   */
  getState(_tag: 'latest' | 'pending' = 'latest'): WorldState {
    throw new NotImplementedError('getState');
  }

  /** State after block n, for the last few blocks kept in memory (undo diffs); null when not kept. */
  stateAt(_n: bigint): StateReader | null {
    throw new NotImplementedError('stateAt');
  }

  /** Next nonce for a sender counting its pending transactions. */
  pendingNonce(_address: Address): bigint {
    throw new NotImplementedError('pendingNonce');
  }

  /** Hashes of pending transactions, in priority order. */
  pendingTransactions(): Hex[] {
    throw new NotImplementedError('pendingTransactions');
  }

  /** The environment of the next block (for eth_call/estimateGas as 'pending'). */
  nextBlockEnv(): NextBlockEnv {
    throw new NotImplementedError('nextBlockEnv');
  }

  /** Executes a call against the latest state (no commit); baseFee is 0 when the call gives no fee. */
  async call(_req: CallRequest, _tag: BlockTag = 'latest'): Promise<CallResult> {
    throw new NotImplementedError('call');
  }

  /** Smallest gas limit with which the call succeeds (binary search over call()). */
  async estimateGas(_req: CallRequest): Promise<bigint> {
    throw new NotImplementedError('estimateGas');
  }

  /** Fee history entries for blocks [newest-count+1, newest]. */
  async feeHistory(_count: number, _newest: bigint): Promise<FeeHistoryEntry[]> {
    throw new NotImplementedError('feeHistory');
  }

  /** Scheduler statistics of the last sealed blocks (most recent last). */
  recentStats(): BlockStats[] {
    throw new NotImplementedError('recentStats');
  }

  /** Stops sealing, waits for the block in progress, flushes and closes the store and executor. */
  async close(): Promise<void> {
    throw new NotImplementedError('close');
  }
}
