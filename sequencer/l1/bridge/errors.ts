// The bridge's one error family: every refusal says which withdrawal (or deposit) it is about, what the
// user must wait for and, where the chain knows it, until when; `contractError` names the Rollup revert the
// same request would hit on L1, so callers (and tests) can match the library's refusal to the contract's.
import type { Hex } from '../../primitives/types.js';

/** An L1 time (unix seconds) as the ISO date the bridge's messages print beside it. */
export const l1TimeIso = (t: bigint): string => new Date(Number(t) * 1000).toISOString();

export type BridgeErrorCode =
  /** No MessagePassed event on L2 for these fields: the withdrawal was never initiated (or a field differs). */
  | 'WITHDRAWAL_NOT_FOUND'
  /** The L2 transaction has no receipt, reverted, or initiated no withdrawal. */
  | 'NOT_A_WITHDRAWAL'
  /** No posted batch carries the withdrawal's L2 block yet: wait for the batcher. */
  | 'NOT_IN_POSTED_BATCH'
  /** The chosen batch ends before the withdrawal's L2 block: its root cannot contain it. */
  | 'WRONG_BATCH'
  /** The batch index is not on L1 (never posted, or rolled back). */
  | 'UNKNOWN_BATCH'
  /** The node's header for the batch's last block has another state root than the one posted on L1. */
  | 'ROOT_MISMATCH'
  /** The node's eth_getProof does not verify against the block's state root, or shows the message absent. */
  | 'PROOF_INVALID'
  | 'ALREADY_PROVEN'
  | 'NOT_PROVEN'
  /** The challenge window is open: finalizable at `until` (L1 unix seconds). */
  | 'CHALLENGE_WINDOW_OPEN'
  | 'ALREADY_FINALIZED'
  /** The batch the withdrawal was proven against was rolled back by the guardian: prove again once re-posted. */
  | 'ROLLED_BACK'
  /** An L1 or L2 transaction reverted (or would revert) for a reason not listed above. */
  | 'TRANSACTION_REVERTED'
  /** Waiting (--wait) ran out of time before the awaited stage. */
  | 'TIMEOUT';

export interface BridgeErrorDetails {
  withdrawalHash?: Hex;
  l2TxHash?: Hex;
  l2Block?: bigint;
  batchIndex?: bigint;
  /** What has to happen before the request can succeed, in words. */
  waitFor?: string;
  /** L1 time (unix seconds) from which the request can succeed. */
  until?: bigint;
  /** The Rollup contract's custom error the same request reverts with on L1. */
  contractError?: string;
}

export class BridgeError extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    readonly details: BridgeErrorDetails = {},
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}
