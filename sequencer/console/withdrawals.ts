// The console's withdrawals view: the bridge's WithdrawalTracker, as the rows the page shows.
import type { WithdrawalStatus, WithdrawalTracker } from '../l1/bridge/index.js';
import type { L1WithdrawalInfo } from './l1-status.js';

function info(s: WithdrawalStatus): L1WithdrawalInfo {
  const row: L1WithdrawalInfo = { hash: s.hash, l2TxHash: s.l2TxHash, l2Block: s.l2Block, sender: s.message.sender, target: s.message.target, value: s.message.value, hasData: s.message.data !== '0x', stage: s.stage, l1Time: s.l1Time };
  if ('batchIndex' in s) row.batchIndex = s.batchIndex;
  if ('finalizableAt' in s) row.finalizableAt = s.finalizableAt;
  return row;
}

/** Pass as `withdrawals` to batcherStatusSource. */
export function trackedWithdrawals(tracker: WithdrawalTracker): () => Promise<L1WithdrawalInfo[]> {
  return async () => (await tracker.recent()).map(info);
}
