// The L1 side of the rollup, for the node to wire in (see types.ts for the interfaces it implements).
export * from './types.js';
export { startLocalL1, ANVIL_DEV_KEY_0, type LocalL1, type LocalL1Options } from './local-l1.js';
export { deployRollup, RollupReader, publicClientFor, type RollupConfig, type RollupDeployment } from './l1-client.js';
export { Batcher, BatcherBlockedError, blockBytesLimit, type BatcherOptions, type LogFn } from './batcher.js';
export { BatchStore, type DaMode } from './batch-store.js';
export { encodeBatch, decodeBatch, type Compression } from './batch-codec.js';
export { DepositWatcher, type DepositWatcherOptions } from './deposit-watcher.js';
export { Verifier, AnvilBlobSource, type BlobSource, type VerifierReport, type BatchVerdict } from './verifier.js';
export { applyL2Block, InvalidL2BlockError } from './l2-chain.js';
export { decodeL2Tx, L2TxDecodeError } from './l2-tx.js';
export { applyQueueItems, type QueueApplication, type QueueTarget } from './queue-rule.js';
export { L2_MESSAGE_PASSER, hashWithdrawal, messagePasserGenesis, proveWithdrawalInState, type WithdrawalMessage } from './withdrawals.js';
export { loadArtifacts } from './artifacts.js';
