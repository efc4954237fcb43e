// A fresh anvil (Cancun) with the Rollup contract deployed for one test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWalletClient, http, type Hex as VHex, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { startAnvil, type AnvilHandle } from '../../../sequencer/l1/anvil.js';
import { deployRollup, publicClientFor, RollupReader, type RollupDeployment } from '../../../sequencer/l1/l1-client.js';
import { freePort } from '../../../sequencer/util/port.js';
import { toAddress, type Hex } from '../../../sequencer/primitives/types.js';
import { L2_CHAIN_ID, L2TestChain } from './l2-test-chain.js';

// #0 is anvil's first dev key (deployer); the others are test keys funded with anvil_setBalance.
export const DEPLOYER_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
export const SEQUENCER_KEY: Hex = '0x59c6995e998f97a5a0044966f0945389dc9c86dae88c7a8412f4603b6b78690d';
export const GUARDIAN_KEY: Hex = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
export const USER_L1_KEY: Hex = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';

export interface L1Env {
  anvil: AnvilHandle;
  deployment: RollupDeployment;
  reader: RollupReader;
  l2: L2TestChain;
  dir: string;
  wallet(key: Hex): WalletClient;
  /** JSON-RPC to anvil (evm_mine, evm_setAutomine, evm_increaseTime ...). */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function startL1Env(opts: { forceInclusionWindow?: bigint; challengeWindow?: bigint; hardfork?: 'cancun' | 'prague' } = {}): Promise<L1Env> {
  const anvil = await startAnvil({ port: await freePort(), hardfork: opts.hardfork ?? 'cancun' });
  const l2 = await new L2TestChain().init();
  for (const key of [SEQUENCER_KEY, GUARDIAN_KEY, USER_L1_KEY]) {
    await fetch(anvil.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_setBalance', params: [privateKeyToAccount(key as VHex).address, '0x3635c9adc5dea00000'] }),
    });
  }
  const deployment = await deployRollup(anvil.url, DEPLOYER_KEY, {
    sequencer: toAddress(privateKeyToAccount(SEQUENCER_KEY as VHex).address),
    guardian: toAddress(privateKeyToAccount(GUARDIAN_KEY as VHex).address),
    genesisStateRoot: l2.genesisRoot,
    l2ChainId: L2_CHAIN_ID,
    forceInclusionWindow: opts.forceInclusionWindow ?? 3600n,
    challengeWindow: opts.challengeWindow ?? 600n,
  });
  const reader = new RollupReader(publicClientFor(anvil.url), deployment.address, deployment.deployBlock);
  const dir = mkdtempSync(join(tmpdir(), 'l1-test-'));
  let id = 0;
  return {
    anvil,
    deployment,
    reader,
    l2,
    dir,
    wallet: (key) => createWalletClient({ account: privateKeyToAccount(key as VHex), transport: http(anvil.url), chain: { id: deployment.l1ChainId } as never }),
    rpc: async (method, params = []) => {
      const r = await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) });
      const j = (await r.json()) as { result?: unknown; error?: { message: string } };
      if (j.error) throw new Error(`${method}: ${j.error.message}`);
      return j.result;
    },
    close: async () => {
      await anvil.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a Rollup contract call from `key` and waits for it; throws (with the decoded error) when it reverts. */
export async function rollupWrite(env: L1Env, key: Hex, functionName: string, args: unknown[], value?: bigint): Promise<bigint> {
  const wallet = env.wallet(key);
  const { request } = await env.reader.client.simulateContract({
    account: wallet.account!,
    address: env.deployment.address,
    abi: env.reader.abi,
    functionName,
    args,
    value,
  } as never);
  const hash = await wallet.writeContract({ ...(request as object), chain: null } as never);
  const receipt = await env.reader.client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== 'success') throw new Error(`${functionName} reverted`);
  return receipt.blockNumber;
}
