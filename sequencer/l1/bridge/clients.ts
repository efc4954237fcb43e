// What every bridge function works over: a viem public client per chain and the Rollup contract's address.
// Writes take a viem wallet client (with its account) for the chain they happen on.
import { createPublicClient, createWalletClient, http, type Account, type PublicClient, type WalletClient, type Transport, type Chain } from 'viem';
import type { Address } from '../../primitives/types.js';

export interface BridgeClients {
  l1: PublicClient;
  /** The L2 node's JSON-RPC (receipts, logs, headers, eth_getProof at past blocks). */
  l2: PublicClient;
  rollup: Address;
  /** First L1 block worth scanning for the rollup's events (its deploy block; 0 scans from genesis). */
  l1FromBlock: bigint;
}

/** A wallet client that signs with `account` on one chain. */
export type BridgeWallet = WalletClient<Transport, Chain | undefined, Account>;

export interface BridgeEndpoints {
  l1Url: string;
  l2Url: string;
  rollup: Address;
  l1FromBlock?: bigint;
}

export function bridgeClients(e: BridgeEndpoints): BridgeClients {
  const client = (url: string) => createPublicClient({ transport: http(url, { retryCount: 0, timeout: 30_000 }) });
  return { l1: client(e.l1Url), l2: client(e.l2Url), rollup: e.rollup, l1FromBlock: e.l1FromBlock ?? 0n };
}

export function bridgeWallet(url: string, account: Account): BridgeWallet {
  return createWalletClient({ account, transport: http(url, { retryCount: 0, timeout: 30_000 }) });
}
