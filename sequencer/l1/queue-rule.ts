// The L1 queue rule (types.ts SealedL2Block, rule 1), in one place for the node's block producer and the
// verifier's re-derivation (l2-chain.ts): at the start of a block, in queue order, an ETH deposit mints
// `value` to `to`; a forced L2 transaction executes like any transaction, or is consumed without effect when
// it cannot (undecodable, wrong chain, blob type, bad signature: decodeL2Tx; bad nonce or balance: the
// executor rejects it).
import type { AccountChange, BlockEnv, Executor, ExecTx } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';
import { toAddress } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';
import { decodeL2Tx, L2TxDecodeError } from './l2-tx.js';
import { QUEUE_ETH_DEPOSIT, type L1QueueItem } from './types.js';

/** The state queue items are applied to: the block overlay (sequencer) or the WorldState (verifier). */
export interface QueueTarget extends StateReader {
  applyChanges(changes: readonly AccountChange[]): void;
  credit(address: Address, amount: bigint): void;
}

export interface QueueApplication {
  /** Hashes of the forced transactions that executed, in order. */
  executed: Hex[];
  /** Forced transactions consumed without effect, with the reason. */
  skipped: { queueIndex: bigint; reason: string }[];
}

/** Executes one transaction on `target` alone and commits it; the executor's rejection reason otherwise. */
export async function executeAndCommit(target: QueueTarget, executor: Executor, env: BlockEnv, tx: ExecTx): Promise<string | undefined> {
  const [outcome] = await executor.executeBatch(target, [tx], env);
  if (outcome.kind === 'rejected') return outcome.error;
  target.applyChanges(outcome.changes);
  target.credit(env.coinbase, outcome.coinbaseCredit);
  return undefined;
}

/** Whether applying `items` executes code (then BLOCKHASH of the parent may be read: see the producer's gate). */
export function queueRunsTransactions(items: readonly L1QueueItem[]): boolean {
  return items.some((i) => i.kind !== QUEUE_ETH_DEPOSIT);
}

/** Applies `items` to `target` in order, per the rule above. */
export async function applyQueueItems(target: QueueTarget, executor: Executor, env: BlockEnv, items: readonly L1QueueItem[]): Promise<QueueApplication> {
  const out: QueueApplication = { executed: [], skipped: [] };
  for (const item of items) {
    if (item.kind === QUEUE_ETH_DEPOSIT) {
      target.credit(toAddress(item.to), item.value);
      continue;
    }
    let tx: ExecTx;
    try {
      tx = decodeL2Tx(item.data, env.chainId);
    } catch (e) {
      if (!(e instanceof L2TxDecodeError)) throw e;
      out.skipped.push({ queueIndex: item.queueIndex, reason: e.message });
      continue;
    }
    const rejected = await executeAndCommit(target, executor, env, tx);
    if (rejected === undefined) out.executed.push(tx.hash);
    else out.skipped.push({ queueIndex: item.queueIndex, reason: rejected });
  }
  return out;
}
