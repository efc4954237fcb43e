// The bridge from a wallet's side (issue #19): typed functions over viem clients, shared by the
// `npm run bridge` command, the console and the tests. See README.md in this folder.
export { bridgeClients, bridgeWallet, type BridgeClients, type BridgeEndpoints, type BridgeWallet } from './clients.js';
export { BridgeError, l1TimeIso, type BridgeErrorCode, type BridgeErrorDetails } from './errors.js';
export { decodeRevert, type DecodedRevert } from './contract-errors.js';
export { depositETH, waitForDepositOnL2, type DepositRequest, type DepositResult } from './deposit.js';
export { initiateWithdrawal, type WithdrawalRequest } from './withdraw.js';
export { locateWithdrawal, withdrawalsFrom, withdrawalsInTx, isSentOnL2, type LocatedWithdrawal, type WithdrawalRef } from './locate.js';
export { withdrawalStatus, waitForStage, waitForStatus, provable, type WithdrawalStage, type WithdrawalStatus } from './status.js';
export { buildWithdrawalProof, type WithdrawalProof } from './proof.js';
export { proveWithdrawal, type ProveOptions, type ProveResult } from './prove.js';
export { finalizeWithdrawal, type FinalizeResult } from './finalize.js';
export { RollupView, type PostedBatch, type ProofRecord } from './rollup-view.js';
export { WithdrawalTracker, type WithdrawalTrackerOptions } from './withdrawal-tracker.js';
