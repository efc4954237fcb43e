// Finding withdrawals on L2: the MessagePassed events of the message passer predeploy, by L2 transaction,
// by sender, or by the message's own fields (a message never sent is told apart by its storage slot).
import { TransactionReceiptNotFoundError, decodeEventLog, encodeEventTopics, type Log } from 'viem';
import { loadArtifacts } from '../artifacts.js';
import { L2_MESSAGE_PASSER, hashWithdrawal, sentMessageSlot, type WithdrawalMessage } from '../withdrawals.js';
import { toAddress, type Address, type Hex } from '../../primitives/types.js';
import type { BridgeClients } from './clients.js';
import { BridgeError } from './errors.js';

export interface LocatedWithdrawal {
  message: WithdrawalMessage;
  hash: Hex;
  l2TxHash: Hex;
  l2Block: bigint;
}

/** A withdrawal named by the L2 transaction that initiated it (the index-th one in it), or by its fields. */
export type WithdrawalRef = { l2TxHash: Hex; index?: number } | { message: WithdrawalMessage };

/** The node answers eth_getLogs over at most this many blocks (sequencer/rpc/limits.ts). */
export const LOG_SPAN = 10_000n;

const passerAbi = () => loadArtifacts().L2ToL1MessagePasser.abi;

function fromLog(log: Log): LocatedWithdrawal {
  const { args } = decodeEventLog({ abi: passerAbi(), eventName: 'MessagePassed', data: log.data, topics: log.topics }) as unknown as {
    args: { nonce: bigint; sender: string; target: string; value: bigint; data: Hex; withdrawalHash: Hex };
  };
  const message: WithdrawalMessage = { nonce: args.nonce, sender: toAddress(args.sender), target: toAddress(args.target), value: args.value, data: args.data };
  return { message, hash: args.withdrawalHash, l2TxHash: log.transactionHash!, l2Block: log.blockNumber! };
}

/** The withdrawals an L2 transaction initiated, in log order. */
export async function withdrawalsInTx(c: BridgeClients, l2TxHash: Hex): Promise<LocatedWithdrawal[]> {
  const receipt = await c.l2.getTransactionReceipt({ hash: l2TxHash }).catch((e: unknown) => {
    if (e instanceof TransactionReceiptNotFoundError) return null;
    throw e;
  });
  if (!receipt) throw new BridgeError('NOT_A_WITHDRAWAL', `L2 transaction ${l2TxHash} has no receipt: not mined yet, or unknown to this node`, { l2TxHash, waitFor: 'the transaction to be mined on L2' });
  if (receipt.status !== 'success') throw new BridgeError('NOT_A_WITHDRAWAL', `L2 transaction ${l2TxHash} reverted in block ${receipt.blockNumber}: it initiated no withdrawal`, { l2TxHash, l2Block: receipt.blockNumber });
  const topic0 = encodeEventTopics({ abi: passerAbi(), eventName: 'MessagePassed' })[0];
  return receipt.logs.filter((l) => toAddress(l.address) === L2_MESSAGE_PASSER && l.topics[0] === topic0).map(fromLog);
}

type MessageFilter = { nonce?: bigint; sender?: Address; target?: Address };

/** MessagePassed logs in L2 blocks from..to (one span the node allows), oldest first. */
export async function messagesIn(c: BridgeClients, from: bigint, to: bigint, filter: MessageFilter = {}): Promise<LocatedWithdrawal[]> {
  const event = passerAbi().find((x) => x.type === 'event' && x.name === 'MessagePassed');
  const logs = await c.l2.getLogs({ address: L2_MESSAGE_PASSER, event: event as never, args: filter as never, fromBlock: from, toBlock: to });
  return logs.map((l) => fromLog(l as Log));
}

/** MessagePassed logs matching the indexed fields given, newest L2 blocks first, scanned in spans the node allows. */
async function* scanMessages(c: BridgeClients, filter: MessageFilter, fromBlock = 0n): AsyncGenerator<LocatedWithdrawal> {
  const head = await c.l2.getBlockNumber();
  for (let to = head; to >= fromBlock; to -= LOG_SPAN) {
    const from = to - LOG_SPAN + 1n > fromBlock ? to - LOG_SPAN + 1n : fromBlock;
    for (const w of (await messagesIn(c, from, to, filter)).reverse()) yield w;
    if (from === fromBlock) break;
  }
}

/** Every withdrawal `sender` initiated since L2 block `fromBlock`, oldest first. */
export async function withdrawalsFrom(c: BridgeClients, sender: Address, fromBlock = 0n): Promise<LocatedWithdrawal[]> {
  const out: LocatedWithdrawal[] = [];
  for await (const w of scanMessages(c, { sender }, fromBlock)) out.push(w);
  return out.reverse();
}

/** Whether sentMessages[hash] is set in the L2 state at `block` (default: the head). */
export async function isSentOnL2(c: BridgeClients, withdrawalHash: Hex, block?: bigint): Promise<boolean> {
  const v = await c.l2.getStorageAt({ address: L2_MESSAGE_PASSER, slot: sentMessageSlot(withdrawalHash), ...(block === undefined ? {} : { blockNumber: block }) });
  return v !== undefined && BigInt(v) !== 0n;
}

export async function locateWithdrawal(c: BridgeClients, ref: WithdrawalRef): Promise<LocatedWithdrawal> {
  if ('l2TxHash' in ref) {
    const all = await withdrawalsInTx(c, ref.l2TxHash);
    const i = ref.index ?? 0;
    if (all.length === 0) throw new BridgeError('NOT_A_WITHDRAWAL', `L2 transaction ${ref.l2TxHash} initiated no withdrawal (no MessagePassed event from ${L2_MESSAGE_PASSER})`, { l2TxHash: ref.l2TxHash });
    if (i < 0 || i >= all.length) throw new BridgeError('NOT_A_WITHDRAWAL', `L2 transaction ${ref.l2TxHash} initiated ${all.length} withdrawal(s); there is no index ${i}`, { l2TxHash: ref.l2TxHash });
    return all[i]!;
  }
  const hash = hashWithdrawal(ref.message);
  const notFound = () => new BridgeError('WITHDRAWAL_NOT_FOUND', `withdrawal ${hash} (nonce ${ref.message.nonce} from ${ref.message.sender}) was never initiated on L2: the message passer has no such message (is a field wrong?)`, { withdrawalHash: hash, contractError: 'WithdrawalNotInState' });
  if (!(await isSentOnL2(c, hash))) throw notFound();
  const { nonce, sender, target } = ref.message;
  for await (const w of scanMessages(c, { nonce, sender, target })) if (w.hash === hash) return w;
  throw notFound();
}
