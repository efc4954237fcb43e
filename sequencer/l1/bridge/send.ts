// One contract call as a transaction: simulated first (a revert becomes a BridgeError before any gas is
// paid), then signed by the wallet and awaited on the same chain's public client.
import type { Abi, PublicClient } from 'viem';
import type { Address, Hex } from '../../primitives/types.js';
import type { BridgeWallet } from './clients.js';
import { asBridgeError } from './contract-errors.js';
import { BridgeError, type BridgeErrorDetails } from './errors.js';

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export interface SentCall {
  txHash: Hex;
  blockNumber: bigint;
  logs: { address: Hex; topics: readonly Hex[]; data: Hex }[];
}

/** Simulates `call` from the wallet's account; throws the decoded revert as a BridgeError (`what` names it). */
export async function simulateCall(client: PublicClient, wallet: BridgeWallet, call: ContractCall, what: string, details: BridgeErrorDetails): Promise<void> {
  try {
    await client.simulateContract({ ...call, args: call.args as unknown[], account: wallet.account });
  } catch (e) {
    throw asBridgeError(e, what, details);
  }
}

export async function sendCall(client: PublicClient, wallet: BridgeWallet, call: ContractCall, what: string, details: BridgeErrorDetails): Promise<SentCall> {
  await simulateCall(client, wallet, call, what, details);
  let txHash: Hex;
  try {
    txHash = await wallet.writeContract({ ...call, args: call.args as unknown[], chain: null, account: wallet.account });
  } catch (e) {
    throw asBridgeError(e, what, details);
  }
  const receipt = await client.waitForTransactionReceipt({ hash: txHash, pollingInterval: 100, timeout: 120_000 });
  if (receipt.status !== 'success') throw new BridgeError('TRANSACTION_REVERTED', `${what}: transaction ${txHash} reverted in block ${receipt.blockNumber}`, details);
  return { txHash, blockNumber: receipt.blockNumber, logs: receipt.logs };
}
