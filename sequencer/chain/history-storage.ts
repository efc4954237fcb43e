// EIP-2935 (Prague): the block-hash history contract and the system call every block makes at its start,
// which stores the parent's hash in slot (number - 1) % 8191 of the contract. The contract runs no other
// logic on that path (caller == SYSTEM_ADDRESS: CALLDATALOAD, SSTORE), so the call's whole effect is that
// one storage write; a chain without the contract in its state gets no effect (the EIP's "fail silently").
import { blockFork } from './config.js';
import { forkAtLeast } from './forks.js';
import { hexToU8, toWord, type Address, type Hex } from '../primitives/types.js';
import type { AccountChange, BlockEnv } from '../executor/types.js';
import type { StateReader } from '../state/world-state.js';

export const HISTORY_STORAGE_ADDRESS: Address = '0x0000f90827f1c53a10cb7a02335b175320002935';
export const HISTORY_SERVE_WINDOW = 8191n;
/** The contract's runtime code (EIP-2935), deployed with nonce 1 as on mainnet. */
export const HISTORY_STORAGE_CODE = hexToU8(
  '0x3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff81430311604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500',
);

/** The genesis alloc entry that gives a chain the history contract. */
export function historyStorageAlloc(): { balance: bigint; nonce: bigint; code: Uint8Array } {
  return { balance: 0n, nonce: 1n, code: HISTORY_STORAGE_CODE };
}

/**
 * The state change of the block-start system call for the block `env` describes (child of `parentHash`), or
 * undefined when there is none: before Prague, at genesis, or without the contract.
 */
export function parentHashSystemCall(state: StateReader, env: BlockEnv, parentHash: Hex): AccountChange | undefined {
  if (env.number === 0n || !forkAtLeast(blockFork(env), 'Prague')) return undefined;
  const account = state.getAccount(HISTORY_STORAGE_ADDRESS);
  if (account === undefined || account.code.length === 0) return undefined;
  const slot = toWord((env.number - 1n) % HISTORY_SERVE_WINDOW);
  return {
    address: HISTORY_STORAGE_ADDRESS,
    deleted: false,
    balance: account.balance,
    nonce: account.nonce,
    storageReset: false,
    storage: new Map([[slot, BigInt(parentHash)]]),
  };
}
