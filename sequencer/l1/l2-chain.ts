// Deterministic application of one L2 block (the rules in types.ts SealedL2Block), shared by the verifier
// (which re-derives the chain from L1 data alone) and by test block producers. Serial: one transaction at a
// time with the given executor against the WorldState, exactly the serial-equivalence oracle.
import { createTxFromRLP } from '@ethereumjs/tx';
import { commonFor } from '../chain/common.js';
import { parentHashSystemCall } from '../chain/history-storage.js';
import type { BlockEnv, ExecTx, Executor } from '../executor/types.js';
import { execTxFromEthereumJs } from '../ingress/decode.js';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, toAddress, type Address, type Hex } from '../primitives/types.js';
import type { WorldState } from '../state/world-state.js';
import { QUEUE_ETH_DEPOSIT, type L1QueueItem } from './types.js';

export class L2TxDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'L2TxDecodeError';
  }
}

/** Decodes a raw signed L2 transaction and recovers its sender; rejects other chains and blob txs. */
export function decodeL2Tx(raw: Hex, chainId: bigint): ExecTx {
  let tx;
  try {
    tx = createTxFromRLP(hexToU8(raw), { common: commonFor(chainId) });
  } catch (e) {
    throw new L2TxDecodeError(`undecodable transaction: ${(e as Error).message}`);
  }
  if (tx.type === 3 || tx.type > 3) throw new L2TxDecodeError(`transaction type ${tx.type} is not allowed on L2`);
  let from: Address;
  try {
    if (!tx.isSigned() || !tx.verifySignature()) throw new Error('bad signature');
    from = toAddress(tx.getSenderAddress().toString());
  } catch (e) {
    throw new L2TxDecodeError(`invalid signature: ${(e as Error).message}`);
  }
  const t = tx as unknown as { chainId?: bigint };
  if (tx.type !== 0 && t.chainId !== chainId) throw new L2TxDecodeError(`wrong chain id ${t.chainId}`);
  if (tx.type === 0 && tx.supports(155) && (tx as unknown as { common: { chainId(): bigint } }).common.chainId() !== chainId) {
    throw new L2TxDecodeError('wrong chain id');
  }
  const exec = execTxFromEthereumJs(tx, from);
  if ('decodeError' in exec) throw new L2TxDecodeError(exec.decodeError);
  // The hash of the bytes the batch carries; the chain id of L2 also on legacy transactions.
  return { ...exec, hash: bytesToHex(keccak256(hexToU8(raw))) as Hex, chainId };
}

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
  const executed: Hex[] = [];
  const skippedQueueItems: AppliedBlock['skippedQueueItems'] = [];
  const run = async (tx: ExecTx): Promise<string | undefined> => {
    const [outcome] = await executor.executeBatch(state, [tx], env);
    if (outcome.kind === 'rejected') return outcome.error;
    state.applyChanges(outcome.changes);
    state.credit(env.coinbase, outcome.coinbaseCredit);
    executed.push(tx.hash);
    return undefined;
  };
  for (const item of queueItems) {
    if (item.kind === QUEUE_ETH_DEPOSIT) {
      state.credit(item.to, item.value);
      continue;
    }
    let tx: ExecTx;
    try {
      tx = decodeL2Tx(item.data, chainId);
    } catch (e) {
      skippedQueueItems.push({ queueIndex: item.queueIndex, reason: (e as Error).message });
      continue;
    }
    const rejected = await run(tx);
    if (rejected !== undefined) skippedQueueItems.push({ queueIndex: item.queueIndex, reason: rejected });
  }
  for (const raw of txs) {
    let tx: ExecTx;
    try {
      tx = decodeL2Tx(raw, chainId);
    } catch (e) {
      throw new InvalidL2BlockError(`block ${header.number}: ${(e as Error).message}`);
    }
    const rejected = await run(tx);
    if (rejected !== undefined) throw new InvalidL2BlockError(`block ${header.number}: tx ${tx.hash} rejected: ${rejected}`);
  }
  return { stateRoot: await state.stateRoot(), executed, skippedQueueItems };
}
