// ETH deposits: Rollup.depositETH on L1 appends a queue item; the sequencer mints it to the recipient at the
// start of the L2 block that consumes the item (a balance credit, not an L2 transaction).
import { decodeEventLog } from 'viem';
import { toAddress, type Address, type Hex } from '../../primitives/types.js';
import type { BridgeClients, BridgeWallet } from './clients.js';
import { BridgeError } from './errors.js';
import { RollupView } from './rollup-view.js';
import { sendCall } from './send.js';
import { pollUntil } from './wait.js';

export interface DepositRequest {
  /** L2 recipient (default: the wallet's own address). */
  to?: Address;
  value: bigint;
}

export interface DepositResult {
  to: Address;
  value: bigint;
  queueIndex: bigint;
  l1TxHash: Hex;
  l1Block: bigint;
  /** The recipient's L2 balance when the deposit was sent: arrival shows as growth past it. */
  l2BalanceBefore: bigint;
}

export async function depositETH(c: BridgeClients, wallet: BridgeWallet, req: DepositRequest): Promise<DepositResult> {
  const to = req.to ?? toAddress(wallet.account.address);
  const view = new RollupView(c);
  const l2BalanceBefore = await c.l2.getBalance({ address: to });
  const sent = await sendCall(c.l1, wallet, { address: c.rollup, abi: view.reader.abi, functionName: 'depositETH', args: [to], value: req.value }, `depositing ${req.value} wei to ${to}`, {});
  const queued = sent.logs
    .filter((l) => toAddress(l.address) === c.rollup)
    .map((l) => decodeEventLog({ abi: view.reader.abi, data: l.data, topics: l.topics as [Hex, ...Hex[]] }) as unknown as { eventName: string; args: { queueIndex: bigint } })
    .find((e) => e.eventName === 'QueueItemAdded');
  if (!queued) throw new BridgeError('TRANSACTION_REVERTED', `deposit transaction ${sent.txHash} emitted no QueueItemAdded event`);
  return { to, value: req.value, queueIndex: queued.args.queueIndex, l1TxHash: sent.txHash, l1Block: sent.blockNumber, l2BalanceBefore };
}

/** Waits until the deposit's recipient holds its value on L2 on top of the balance it had when it was sent. */
export async function waitForDepositOnL2(c: BridgeClients, d: DepositResult, timeoutMs = 120_000): Promise<bigint> {
  return pollUntil(
    `deposit #${d.queueIndex} (${d.value} wei to ${d.to}) to arrive on L2`,
    async () => {
      const balance = await c.l2.getBalance({ address: d.to });
      return balance >= d.l2BalanceBefore + d.value ? balance : undefined;
    },
    timeoutMs,
  );
}
