// What both call executors take and give: a message (an eth_call / estimateGas request, or a mined
// transaction being replayed for a trace), its result, and the two ways a run can fail to produce one.
import type { Authorization, Log } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';

export interface CallMessage {
  from: Address;
  to: Address | null;
  gas: bigint;
  value: bigint;
  data: Uint8Array;
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  accessList?: { address: Address; storageKeys: Hex[] }[];
  /** Present: the message runs as an EIP-7702 set-code transaction. */
  authorizationList?: Authorization[];
  /** Replays check the nonce; calls do not. */
  nonce?: bigint;
  type?: 0 | 1 | 2;
  hash?: Hex;
}

export interface CallResult {
  status: 'success' | 'revert' | 'halt';
  error?: string;
  /** Gas charged (after refunds). */
  gasUsed: bigint;
  /** Gas used before refunds: the least limit that can succeed is at least this. */
  gasUsedBeforeRefund: bigint;
  returnData: Uint8Array;
  logs: Log[];
  createdAddress?: Address;
}

/** The transaction could not run at all (intrinsic gas, funds, fee cap, nonce ...). */
export class CallValidationError extends Error {}

/** The execution ran past its deadline and was stopped. */
export class ExecutionTimeoutError extends Error {}
