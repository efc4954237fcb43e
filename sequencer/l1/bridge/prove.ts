// proveWithdrawal: checks the withdrawal's stage, builds and verifies the proof from the node at the last
// block of the batch that carries it, and sends Rollup.proveWithdrawal.
import type { Hex } from '../../primitives/types.js';
import type { BridgeClients, BridgeWallet } from './clients.js';
import { BridgeError, l1TimeIso } from './errors.js';
import { locateWithdrawal, type LocatedWithdrawal, type WithdrawalRef } from './locate.js';
import { buildWithdrawalProof } from './proof.js';
import { RollupView } from './rollup-view.js';
import { sendCall } from './send.js';
import { withdrawalStatus } from './status.js';

export interface ProveOptions {
  /** The batch to prove against (default: the first posted batch that carries the withdrawal's block). */
  batchIndex?: bigint;
}

export interface ProveResult {
  withdrawal: LocatedWithdrawal;
  batchIndex: bigint;
  l1TxHash: Hex;
  l1Block: bigint;
}

/** Refuses, with what to wait for, any stage from which a proof cannot be made; the batch to use otherwise. */
async function batchToProve(c: BridgeClients, view: RollupView, w: LocatedWithdrawal, chosen?: bigint): Promise<bigint> {
  const s = await withdrawalStatus(c, w, view);
  const d = { withdrawalHash: w.hash, l2TxHash: w.l2TxHash, l2Block: w.l2Block };
  switch (s.stage) {
    case 'finalized':
      throw new BridgeError('ALREADY_FINALIZED', `withdrawal ${w.hash} is already finalized on L1`, { ...d, contractError: 'AlreadyFinalized' });
    case 'proven':
    case 'finalizable':
      throw new BridgeError('ALREADY_PROVEN', `withdrawal ${w.hash} is already proven against batch ${s.batchIndex}; finalize it from ${l1TimeIso(s.finalizableAt)} (L1 time ${s.finalizableAt})`, { ...d, batchIndex: s.batchIndex, until: s.finalizableAt, waitFor: 'the challenge window, then finalize', contractError: 'AlreadyProven' });
    case 'initiated':
      if (chosen !== undefined) return chosen; // the contract is the judge of a batch the user insists on
      throw new BridgeError('NOT_IN_POSTED_BATCH', `withdrawal ${w.hash} is in L2 block ${w.l2Block}, but L1 has batches up to L2 block ${s.lastPostedL2Block} only: wait for the batch carrying block ${w.l2Block}`, { ...d, waitFor: `a posted batch reaching L2 block ${w.l2Block}` });
    case 'rolled-back':
      if (chosen !== undefined) return chosen;
      if (s.reprovableIn !== undefined) return s.reprovableIn;
      throw new BridgeError('NOT_IN_POSTED_BATCH', `the batch ${s.batchIndex} that carried withdrawal ${w.hash} was rolled back on L1: wait for L2 block ${w.l2Block} to be posted again`, { ...d, batchIndex: s.batchIndex, waitFor: `a batch re-posting L2 block ${w.l2Block}` });
    case 'in-posted-batch':
      return chosen ?? s.batchIndex;
  }
}

export async function proveWithdrawal(c: BridgeClients, wallet: BridgeWallet, ref: WithdrawalRef | LocatedWithdrawal, opts: ProveOptions = {}): Promise<ProveResult> {
  const view = new RollupView(c);
  const w = 'hash' in ref ? ref : await locateWithdrawal(c, ref);
  const batchIndex = await batchToProve(c, view, w, opts.batchIndex);
  const proof = await buildWithdrawalProof(c, view, w, batchIndex);
  const sent = await sendCall(
    c.l1,
    wallet,
    { address: c.rollup, abi: view.reader.abi, functionName: 'proveWithdrawal', args: [w.message, batchIndex, proof.accountProof, proof.storageProof] },
    `proving withdrawal ${w.hash} against batch ${batchIndex}`,
    { withdrawalHash: w.hash, l2TxHash: w.l2TxHash, batchIndex },
  );
  return { withdrawal: w, batchIndex, l1TxHash: sent.txHash, l1Block: sent.blockNumber };
}
