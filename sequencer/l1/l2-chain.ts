// Deterministic application of one L2 block (the rules in types.ts SealedL2Block), shared by the verifier
// (which re-derives the chain from L1 data alone) and by test block producers. Serial: one transaction at a
// time with the given executor against the WorldState, exactly the serial-equivalence oracle. The L1 queue
// items go through the same rule as the node's block producer (queue-rule.ts).
import { parentHashSystemCall } from '../chain/history-storage.js';
import type { BlockEnv, ExecTx, Executor } from '../executor/types.js';
import type { Hex } from '../primitives/types.js';
import type { WorldState } from '../state/world-state.js';
import { decodeL2Tx } from './l2-tx.js';
import { applyQueueItems, executeAndCommit } from './queue-rule.js';
import type { L1QueueItem } from './types.js';

/** The header fields a batch carries per block: the executor's block environment, less what L2 derives. */
export type L2BlockHeaderFields = Pick<BlockEnv, 'number' | 'timestamp' | 'coinbase' | 'gasLimit' | 'baseFee' | 'prevRandao'>;

export interface AppliedBlock {
  stateRoot: Hex;
  /** Hashes of the block's own txs plus the forced queue txs that executed. */
  executed: Hex[];
  /** Queue indexes of forced transactions consumed without effect, with the reason. */
  skippedQueueItems: { queueIndex: bigint; reason: string }[];
}

export class InvalidL2BlockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidL2BlockError';
  }
}

/**
 * Applies queue items, then txs, to `state` (mutated). `recentBlockHashes` newest first, for BLOCKHASH.
 * Throws InvalidL2BlockError when one of `txs` cannot be decoded or is rejected by the executor.
 */
export async function applyL2Block(
  state: WorldState,
  executor: Executor,
  chainId: bigint,
  header: L2BlockHeaderFields,
  recentBlockHashes: Hex[],
  queueItems: readonly L1QueueItem[],
  txs: readonly Hex[],
): Promise<AppliedBlock> {
  const env: BlockEnv = {
    chainId,
    number: header.number,
    timestamp: header.timestamp,
    coinbase: header.coinbase,
    gasLimit: header.gasLimit,
    baseFee: header.baseFee,
    prevRandao: header.prevRandao,
    excessBlobGas: 0n,
    recentBlockHashes: recentBlockHashes.slice(0, 256),
  };
  const systemCall = recentBlockHashes.length > 0 ? parentHashSystemCall(state, env, recentBlockHashes[0]) : undefined; // EIP-2935
  if (systemCall) state.applyChanges([systemCall]);
  const queue = await applyQueueItems(state, executor, env, queueItems);
  const executed = [...queue.executed];
  for (const raw of txs) {
    let tx: ExecTx;
    try {
      tx = decodeL2Tx(raw, chainId);
    } catch (e) {
      throw new InvalidL2BlockError(`block ${header.number}: ${(e as Error).message}`);
    }
    const rejected = await executeAndCommit(state, executor, env, tx);
    if (rejected !== undefined) throw new InvalidL2BlockError(`block ${header.number}: tx ${tx.hash} rejected: ${rejected}`);
    executed.push(tx.hash);
  }
  return { stateRoot: await state.stateRoot(), executed, skippedQueueItems: queue.skipped };
}
