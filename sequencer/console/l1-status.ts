// The console's view of the L1 side (batches posted, deposits seen). The batcher lives on another branch:
// until it is plugged in, the console shows "L1 batcher not connected" — it never invents data.

export interface L1BatchInfo {
  index: bigint;
  /** L2 block range carried by the batch (inclusive). */
  fromBlock: bigint;
  toBlock: bigint;
  /** Transactions carried, when the source knows it. */
  txCount?: number;
  /** Compressed payload bytes posted (calldata or blob data). */
  bytes: number;
  kind: 'calldata' | 'blob';
  stateRoot: string;
  l1TxHash?: string;
  l1Block?: bigint;
  status: 'pending' | 'submitted' | 'confirmed' | 'failed';
  /** Wall-clock ms when submitted. */
  postedAt?: number;
}

export interface L1DepositInfo {
  queueIndex?: bigint;
  kind?: 'deposit' | 'forced-tx';
  /** Applied by the node at the start of a sealed block (false: accepted, waiting for the next block). */
  applied?: boolean;
  l1TxHash: string;
  l1Block: bigint;
  from: string;
  to: string;
  value: bigint;
  /** L2 transaction hash once included. */
  l2TxHash?: string;
}

/** A withdrawal started on L2 and where it stands on L1 (sequencer/l1/bridge stages). */
export interface L1WithdrawalInfo {
  hash: string;
  l2TxHash: string;
  l2Block: bigint;
  sender: string;
  target: string;
  value: bigint;
  /** Calls its L1 target with data when finalized. */
  hasData: boolean;
  stage: 'initiated' | 'in-posted-batch' | 'proven' | 'finalizable' | 'finalized' | 'rolled-back';
  batchIndex?: bigint;
  /** L1 unix seconds from which it can be finalized (proven / finalizable). */
  finalizableAt?: bigint;
  /** L1's clock when the stage was read. */
  l1Time: bigint;
}

export interface L1Status {
  connected: boolean;
  /** Why not connected, or a health note. */
  reason?: string;
  l1Url?: string;
  l1ChainId?: bigint;
  l1Head?: bigint;
  /** Highest L2 block whose batch is on L1 (submitted or confirmed). */
  lastBatchedBlock?: bigint;
  batches?: L1BatchInfo[];
  deposits?: L1DepositInfo[];
  /** The newest withdrawals, newest first. */
  withdrawals?: L1WithdrawalInfo[];
  /** Why the withdrawals could not be read this time (the rest of the status still shows). */
  withdrawalsError?: string;
}

/** What the batcher plugs into the console. */
export interface L1StatusSource {
  status(): L1Status | Promise<L1Status>;
  /** Posts a batch now (admin "force batch post"); absent when the source cannot. */
  postBatchNow?(): Promise<{ batch?: L1BatchInfo; message: string }>;
}

export const NOT_CONNECTED = 'L1 batcher not connected';

/** The default source until the batcher exists. */
export const disconnectedL1: L1StatusSource = {
  status: () => ({ connected: false, reason: NOT_CONNECTED }),
};
