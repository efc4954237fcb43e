// The withdrawal proof a user pays L1 gas for, built from the node's eth_getProof at the last L2 block of a
// posted batch and checked here first: the node's header root for that block must be the root the batch
// posted, and the account and storage proofs must show sentMessages[hash] = 1 under it (as Rollup.sol does).
import { RLP } from '@ethereumjs/rlp';
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { L2_MESSAGE_PASSER, sentMessageSlot } from '../withdrawals.js';
import { bytesToHex, hexToU8, type Hex } from '../../primitives/types.js';
import type { BridgeClients } from './clients.js';
import { BridgeError } from './errors.js';
import type { LocatedWithdrawal } from './locate.js';
import type { PostedBatch, RollupView } from './rollup-view.js';

export interface WithdrawalProof {
  batch: PostedBatch;
  accountProof: Hex[];
  storageProof: Hex[];
}

/** Verifies `proof` of `key` under `root`; throws PROOF_INVALID naming `what` when the nodes do not link up. */
async function provenValue(root: Hex, key: Hex, proof: Hex[], what: string, details: { withdrawalHash: Hex; batchIndex: bigint }): Promise<Uint8Array | null> {
  try {
    return await verifyMerkleProof(hexToU8(key), proof.map(hexToU8), { useKeyHashing: true, root: hexToU8(root) });
  } catch (e) {
    throw new BridgeError('PROOF_INVALID', `the node's ${what} proof does not verify against ${root}: ${(e as Error).message}`, { ...details, contractError: 'InvalidProof' });
  }
}

export async function buildWithdrawalProof(c: BridgeClients, view: RollupView, w: LocatedWithdrawal, batchIndex: bigint): Promise<WithdrawalProof> {
  const details = { withdrawalHash: w.hash, l2TxHash: w.l2TxHash, l2Block: w.l2Block, batchIndex };
  const posted = await view.reader.nextBatchIndex();
  if (batchIndex >= posted) throw new BridgeError('UNKNOWN_BATCH', `batch ${batchIndex} is not on L1 (${posted} batches posted)`, { ...details, waitFor: `batch ${batchIndex} to be posted`, contractError: 'UnknownBatch' });
  const batch = await view.batch(batchIndex);
  if (batch.lastBlock < w.l2Block) {
    throw new BridgeError('WRONG_BATCH', `batch ${batchIndex} carries L2 blocks ${batch.firstBlock}..${batch.lastBlock}, but withdrawal ${w.hash} was initiated in L2 block ${w.l2Block}: prove against a batch that reaches that block`, { ...details, contractError: 'WithdrawalNotInState' });
  }
  const header = await c.l2.getBlock({ blockNumber: batch.lastBlock });
  if (header.stateRoot !== batch.stateRoot) {
    throw new BridgeError('ROOT_MISMATCH', `the node's L2 block ${batch.lastBlock} has state root ${header.stateRoot}, but batch ${batchIndex} posted ${batch.stateRoot}: the node and L1 disagree (wrong node, or a bad batch the guardian should roll back)`, { ...details, contractError: 'InvalidProof' });
  }
  const slot = sentMessageSlot(w.hash);
  const p = await c.l2.getProof({ address: L2_MESSAGE_PASSER, storageKeys: [slot], blockNumber: batch.lastBlock });
  const account = await provenValue(batch.stateRoot, L2_MESSAGE_PASSER, p.accountProof, 'account', details);
  if (!account) throw new BridgeError('PROOF_INVALID', `the message passer ${L2_MESSAGE_PASSER} is absent from the state of L2 block ${batch.lastBlock}`, { ...details, contractError: 'AccountNotInState' });
  const storageRoot = bytesToHex((RLP.decode(account) as Uint8Array[])[2]!) as Hex;
  const storageProof = p.storageProof[0]!.proof;
  const value = await provenValue(storageRoot, slot, storageProof, 'storage', details);
  if (!value || BigInt(bytesToHex(RLP.decode(value) as Uint8Array)) !== 1n) {
    throw new BridgeError('PROOF_INVALID', `withdrawal ${w.hash} is not in the state of L2 block ${batch.lastBlock} (batch ${batchIndex})`, { ...details, contractError: 'WithdrawalNotInState' });
  }
  return { batch, accountProof: p.accountProof, storageProof };
}
