// initiateWithdrawal: calls the L2 message passer predeploy (ETH, and optionally a call with data to an L1
// target, made when the withdrawal is finalized) and returns the message as the L2 receipt records it.
import { L2_MESSAGE_PASSER } from '../withdrawals.js';
import { loadArtifacts } from '../artifacts.js';
import { toAddress, type Address, type Hex } from '../../primitives/types.js';
import type { BridgeClients, BridgeWallet } from './clients.js';
import { BridgeError } from './errors.js';
import { withdrawalsInTx, type LocatedWithdrawal } from './locate.js';
import { sendCall } from './send.js';

export interface WithdrawalRequest {
  /** L1 address paid (and called with `data`) at finalization (default: the wallet's own address). */
  target?: Address;
  value: bigint;
  data?: Hex;
}

export async function initiateWithdrawal(c: BridgeClients, wallet: BridgeWallet, req: WithdrawalRequest): Promise<LocatedWithdrawal> {
  const target = req.target ?? toAddress(wallet.account.address);
  const sent = await sendCall(
    c.l2,
    wallet,
    { address: L2_MESSAGE_PASSER, abi: loadArtifacts().L2ToL1MessagePasser.abi, functionName: 'initiateWithdrawal', args: [target, req.data ?? '0x'], value: req.value },
    `initiating a withdrawal of ${req.value} wei to ${target} on L2`,
    {},
  );
  const [w] = await withdrawalsInTx(c, sent.txHash);
  if (!w) throw new BridgeError('NOT_A_WITHDRAWAL', `L2 transaction ${sent.txHash} succeeded but emitted no MessagePassed event`, { l2TxHash: sent.txHash });
  return w;
}
