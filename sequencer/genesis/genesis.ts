// The genesis file format and the dev default (10 accounts of the `test ... junk` mnemonic, like anvil).
import type { ForkSchedule, ForkScheduleJson } from '../chain/forks.js';
import type { Address, Hex } from '../primitives/types.js';

/** Default L2 chain id of this sequencer. */
export const DEFAULT_CHAIN_ID = 42069n;
export const DEFAULT_GAS_LIMIT = 30_000_000n;
export const DEFAULT_BASE_FEE = 1_000_000_000n;
/** The fee recipient of sealed blocks unless the genesis names one. */
export const DEFAULT_COINBASE: Address = '0x4200000000000000000000000000000000000011';
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
/** 10,000 ETH, as anvil. */
export const DEV_BALANCE = 10_000n * 10n ** 18n;

export interface GenesisAllocEntry {
  balance: bigint;
  nonce?: bigint;
  code?: Uint8Array;
  storage?: Map<Hex, bigint>;
}

export interface Genesis {
  chainId: bigint;
  gasLimit: bigint;
  /** Base fee of the genesis block (the first block's is derived from it by EIP-1559). */
  baseFeePerGas: bigint;
  timestamp: bigint;
  coinbase: Address;
  extraData: Hex;
  /** Fork activation times and blob schedule (sequencer/chain/forks.ts). */
  forks: ForkSchedule;
  alloc: Map<Address, GenesisAllocEntry>;
}

/**
 * The JSON genesis file (all quantities hex or decimal strings):
 * { "chainId": 42069, "gasLimit": "0x1c9c380", "baseFeePerGas": "0x3b9aca00", "timestamp": "0x0",
 *   "coinbase": "0x...", "extraData": "0x",
 *   "config": { "cancunTime": 0, "pragueTime": 0, "osakaTime": 0, "blobSchedule": { "prague": { "target": 6, "max": 9,
 *               "baseFeeUpdateFraction": 5007716 } } },   (geth's names; absent: every fork through Osaka at genesis)
 *   "alloc": { "0xaddr": { "balance": "0x...", "nonce": "0x0", "code": "0x...", "storage": { "0xslot": "0xvalue" } } } }
 */
export interface GenesisJson {
  chainId: number | string;
  gasLimit?: string;
  baseFeePerGas?: string;
  timestamp?: string;
  coinbase?: string;
  extraData?: string;
  config?: ForkScheduleJson;
  alloc: Record<string, { balance: string; nonce?: string; code?: string; storage?: Record<string, string> }>;
}
