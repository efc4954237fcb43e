// The dev genesis (anvil's accounts) and the genesis file reader.
import { readFileSync } from 'node:fs';
import { mnemonicToAccount } from 'viem/accounts';
import { HISTORY_STORAGE_ADDRESS, historyStorageAlloc } from '../chain/history-storage.js';
import { DEV_FORK, forkAtLeast, latestFork, parseForkSchedule, scheduleFrom } from '../chain/forks.js';
import { hexToU8, toAddress, toWord, type Address, type Hex } from '../primitives/types.js';
import {
  DEFAULT_BASE_FEE,
  DEFAULT_CHAIN_ID,
  DEFAULT_COINBASE,
  DEFAULT_GAS_LIMIT,
  DEV_BALANCE,
  DEV_MNEMONIC,
  type Genesis,
  type GenesisAllocEntry,
  type GenesisJson,
} from './genesis.js';

export interface DevAccount {
  address: Address;
  privateKey: Hex;
}

/** The first `count` accounts of the dev mnemonic (m/44'/60'/0'/0/i), as anvil derives them. */
export function devAccounts(count = 10): DevAccount[] {
  const out: DevAccount[] = [];
  for (let i = 0; i < count; i++) {
    const a = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
    const pk = a.getHdKey().privateKey!;
    out.push({ address: toAddress(a.address), privateKey: `0x${Buffer.from(pk).toString('hex')}` });
  }
  return out;
}

export function devGenesis(overrides: Partial<Omit<Genesis, 'alloc'>> & { extraAlloc?: Map<Address, GenesisAllocEntry>; accounts?: number } = {}): Genesis {
  const alloc = new Map<Address, GenesisAllocEntry>();
  for (const a of devAccounts(overrides.accounts ?? 10)) alloc.set(a.address, { balance: DEV_BALANCE });
  const forks = overrides.forks ?? scheduleFrom(DEV_FORK);
  // As geth's dev mode: the EIP-2935 history contract is predeployed where Prague will run.
  if (forkAtLeast(latestFork(forks), 'Prague')) alloc.set(HISTORY_STORAGE_ADDRESS, historyStorageAlloc());
  for (const [k, v] of overrides.extraAlloc ?? []) alloc.set(k, v);
  return {
    chainId: overrides.chainId ?? DEFAULT_CHAIN_ID,
    gasLimit: overrides.gasLimit ?? DEFAULT_GAS_LIMIT,
    baseFeePerGas: overrides.baseFeePerGas ?? DEFAULT_BASE_FEE,
    timestamp: overrides.timestamp ?? 0n,
    coinbase: overrides.coinbase ?? DEFAULT_COINBASE,
    extraData: overrides.extraData ?? '0x',
    forks,
    alloc,
  };
}

export function parseGenesis(json: GenesisJson): Genesis {
  const alloc = new Map<Address, GenesisAllocEntry>();
  for (const [addr, a] of Object.entries(json.alloc ?? {})) {
    alloc.set(toAddress(addr.startsWith('0x') ? addr : `0x${addr}`), {
      balance: BigInt(a.balance),
      nonce: a.nonce !== undefined ? BigInt(a.nonce) : undefined,
      code: a.code ? hexToU8(a.code) : undefined,
      storage: a.storage ? new Map(Object.entries(a.storage).map(([k, v]) => [toWord(k), BigInt(v)])) : undefined,
    });
  }
  const timestamp = json.timestamp ? BigInt(json.timestamp) : 0n;
  return {
    chainId: BigInt(json.chainId),
    gasLimit: json.gasLimit ? BigInt(json.gasLimit) : DEFAULT_GAS_LIMIT,
    baseFeePerGas: json.baseFeePerGas ? BigInt(json.baseFeePerGas) : DEFAULT_BASE_FEE,
    timestamp,
    coinbase: json.coinbase ? toAddress(json.coinbase) : DEFAULT_COINBASE,
    extraData: (json.extraData ?? '0x') as Hex,
    forks: json.config ? parseForkSchedule(json.config, timestamp) : scheduleFrom(DEV_FORK, timestamp),
    alloc,
  };
}

export function loadGenesisFile(path: string): Genesis {
  return parseGenesis(JSON.parse(readFileSync(path, 'utf8')) as GenesisJson);
}
