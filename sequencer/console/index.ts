// The operator console: startConsole() (served by the node on its own port), the L1 status seam.
export { startConsole, TOKEN_FILE, type AdminHooks, type ConsoleServer, type StartConsoleOptions } from './server.js';
export { disconnectedL1, NOT_CONNECTED, type L1BatchInfo, type L1DepositInfo, type L1Status, type L1StatusSource, type L1WithdrawalInfo } from './l1-status.js';
export { trackedWithdrawals } from './withdrawals.js';
export { batcherStatusSource, nodeQueueDeposits, type BatcherLike, type BatchStoreLike, type BatchRowLike, type BatcherSourceOptions } from './l1-batcher-source.js';
