// finalizeWithdrawal: refuses (with what to wait for and until when) unless the withdrawal is proven against
// a root still posted and its challenge window has passed, then sends Rollup.finalizeWithdrawal.
import type { Hex } from '../../primitives/types.js';
import type { BridgeClients, BridgeWallet } from './clients.js';
import { BridgeError, l1TimeIso } from './errors.js';
import { locateWithdrawal, type LocatedWithdrawal, type WithdrawalRef } from './locate.js';
import { RollupView } from './rollup-view.js';
import { sendCall } from './send.js';
import { withdrawalStatus } from './status.js';

export interface FinalizeResult {
  withdrawal: LocatedWithdrawal;
  l1TxHash: Hex;
  l1Block: bigint;
}

export async function finalizeWithdrawal(c: BridgeClients, wallet: BridgeWallet, ref: WithdrawalRef | LocatedWithdrawal): Promise<FinalizeResult> {
  const view = new RollupView(c);
  const w = 'hash' in ref ? ref : await locateWithdrawal(c, ref);
  const s = await withdrawalStatus(c, w, view);
  const d = { withdrawalHash: w.hash, l2TxHash: w.l2TxHash, l2Block: w.l2Block };
  switch (s.stage) {
    case 'finalized':
      throw new BridgeError('ALREADY_FINALIZED', `withdrawal ${w.hash} is already finalized on L1`, { ...d, contractError: 'AlreadyFinalized' });
    case 'initiated':
    case 'in-posted-batch':
      throw new BridgeError('NOT_PROVEN', `withdrawal ${w.hash} is not proven on L1 yet: ${s.stage === 'initiated' ? `wait for a batch carrying L2 block ${w.l2Block}, then prove it` : `prove it against batch ${s.batchIndex} first`}`, { ...d, waitFor: 'a proof on L1 (bridge prove)', contractError: 'NotProven' });
    case 'rolled-back':
      throw new BridgeError('ROLLED_BACK', `withdrawal ${w.hash} was ${s.proven ? 'proven against' : 'carried by'} batch ${s.batchIndex}, which the guardian rolled back: ${s.proven ? 'its proof no longer counts; ' : ''}prove it again once its L2 block is posted again`, { ...d, batchIndex: s.batchIndex, waitFor: 'a re-posted batch and a new proof', contractError: s.proven ? 'ProvenRootRolledBack' : 'NotProven' });
    case 'proven':
      throw new BridgeError('CHALLENGE_WINDOW_OPEN', `withdrawal ${w.hash} is in its challenge window until ${l1TimeIso(s.finalizableAt)} (L1 time ${s.finalizableAt}, now ${s.l1Time}): finalize after that`, { ...d, batchIndex: s.batchIndex, until: s.finalizableAt, waitFor: 'the end of the challenge window', contractError: 'ChallengeWindowOpen' });
    case 'finalizable':
      break;
  }
  const sent = await sendCall(c.l1, wallet, { address: c.rollup, abi: view.reader.abi, functionName: 'finalizeWithdrawal', args: [w.message] }, `finalizing withdrawal ${w.hash}`, d);
  return { withdrawal: w, l1TxHash: sent.txHash, l1Block: sent.blockNumber };
}
