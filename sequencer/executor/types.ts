// The executor seam: what the scheduler hands any backend (reference @ethereumjs/vm, native CPU/CUDA)
// and what it gets back. Executors never commit: they return each transaction's effects and access sets,
// and the scheduler decides what is committed, in which order.
import type { ForkName } from '../chain/forks.js';
import type { Address, Hex } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';

export interface AccessListItem {
  address: Address;
  storageKeys: Hex[];
}

/**
 * One EIP-7702 authorization tuple as signed (the authority is recovered, and each tuple checked, during
 * execution: a tuple that fails is skipped, the transaction goes on).
 */
export interface Authorization {
  chainId: bigint;
  address: Address;
  nonce: bigint;
  yParity: bigint;
  r: bigint;
  s: bigint;
}

/** A transaction with its sender already recovered. */
export interface ExecTx {
  hash: Hex;
  type: 0 | 1 | 2 | 3 | 4;
  from: Address;
  to: Address | null;
  nonce: bigint;
  gasLimit: bigint;
  value: bigint;
  data: Uint8Array;
  /** Legacy and EIP-2930 transactions. */
  gasPrice?: bigint;
  /** EIP-1559 and EIP-4844 transactions. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList: AccessListItem[];
  /** EIP-4844 only. */
  maxFeePerBlobGas?: bigint;
  blobVersionedHashes?: Hex[];
  /** EIP-7702 (type 4) only. */
  authorizationList?: Authorization[];
  chainId?: bigint;
}

export interface BlockEnv {
  /**
   * The fork the block runs under. Absent: the chain's fork schedule at `timestamp` decides
   * (sequencer/chain/config.ts, blockFork); state tests name it.
   */
  fork?: ForkName;
  chainId: bigint;
  number: bigint;
  timestamp: bigint;
  coinbase: Address;
  gasLimit: bigint;
  baseFee: bigint;
  prevRandao: Hex;
  excessBlobGas: bigint;
  /** Hashes of the preceding blocks, newest first: [hash(number-1), hash(number-2), ...], at most 256. */
  recentBlockHashes: Hex[];
}

export interface Log {
  address: Address;
  topics: Hex[];
  data: Uint8Array;
}

/**
 * Keys of state that a transaction read or wrote:
 * `a:<addr>` the whole account header (existence, balance, nonce, code hash),
 * `b:<addr>` balance, `n:<addr>` nonce, `c:<addr>` code, `s:<addr>:<slot>` one storage slot.
 * A write always records both its field key and `a:<addr>`, so a read of the header meets any field write.
 */
export type AccessKey = string;

export const accessKey = {
  account: (a: Address): AccessKey => `a:${a}`,
  balance: (a: Address): AccessKey => `b:${a}`,
  nonce: (a: Address): AccessKey => `n:${a}`,
  code: (a: Address): AccessKey => `c:${a}`,
  slot: (a: Address, slot: Hex): AccessKey => `s:${a}:${slot}`,
};

/** Post-transaction values of one account the transaction changed. */
export interface AccountChange {
  address: Address;
  /** The account no longer exists (self-destructed, or touched while empty per EIP-161). */
  deleted: boolean;
  balance: bigint;
  nonce: bigint;
  /** Present when the code changed (contract creation). */
  code?: Uint8Array;
  /** Storage from before the transaction is gone (account re-created over an old one, or deleted). */
  storageReset: boolean;
  /** Slots written, with their final values (0n deletes). */
  storage: Map<Hex, bigint>;
}

export type TxStatus = 'success' | 'revert' | 'halt';

/** A transaction that executed (it can be included in a block, whatever its EVM status). */
export interface TxExecuted {
  kind: 'executed';
  status: TxStatus;
  /** Why execution stopped other than by success (revert, out of gas, invalid opcode ...). */
  error?: string;
  /** Gas charged to the sender, after refunds. */
  gasUsed: bigint;
  logs: Log[];
  returnData: Uint8Array;
  createdAddress?: Address;
  reads: Set<AccessKey>;
  writes: Set<AccessKey>;
  changes: AccountChange[];
  /** The fee recipient's credit (priority fee x gas used): commutative, applied at commit. */
  coinbaseCredit: bigint;
  /** The transaction itself read the fee recipient's account, so it must see all earlier credits. */
  readsCoinbase: boolean;
  /** EIP-4844 blob gas used. */
  blobGasUsed: bigint;
}

/** A transaction that cannot be included in this state (nonce, balance, fee cap, gas limit ...). */
export interface TxRejected {
  kind: 'rejected';
  error: string;
  reads: Set<AccessKey>;
}

export type TxOutcome = TxExecuted | TxRejected;

export interface Executor {
  readonly name: 'reference' | 'native';
  /**
   * Executes each transaction on its own against `snapshot`: no transaction sees another's effects,
   * and the snapshot is not changed. outcomes[i] belongs to txs[i].
   */
  executeBatch(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv): Promise<TxOutcome[]>;
  /**
   * The same with chains: `chains[i]` names txs[i]'s chain. A chain's transactions run in batch order, each
   * against `snapshot` plus the changes of the ones before it in its chain; different chains see nothing of
   * each other. undefined: the transaction did not run (its chain stopped before it at a change the executor
   * does not carry along a chain: new code, a deleted account, cleared storage).
   */
  executeChains?(snapshot: StateReader, txs: readonly ExecTx[], env: BlockEnv, chains: Uint32Array): Promise<(TxOutcome | undefined)[]>;
  close?(): Promise<void>;
}

export class ExecutorError extends Error {
  constructor(message: string, readonly txHash?: Hex, options?: { cause?: unknown }) {
    super(txHash ? `tx ${txHash}: ${message}` : message, options);
    this.name = 'ExecutorError';
  }
}
