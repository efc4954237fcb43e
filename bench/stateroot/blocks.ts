// State-root bench inputs: a genesis of N funded accounts plus one token contract with holder slots, and
// blocks of 5,000 transactions as the executor reports them (one AccountChange list per transaction, then
// the fee recipient's credit), applied to a WorldState the way the node commits a block.
import { encodeAbiParameters, keccak256 as viemKeccak } from 'viem';
import type { AccountChange } from '../../sequencer/executor/types.js';
import type { Address, Hex } from '../../sequencer/primitives/types.js';
import type { GenesisAccount, WorldState } from '../../sequencer/state/world-state.js';
import { seededRandom } from '../../test/support/seeded-random.js';

export const TOKEN: Address = '0x7070707070707070707070707070707070707070';
const COINBASE: Address = '0xc0ffee0000000000000000000000000000c0ffee';
const TOKEN_CODE = Uint8Array.from({ length: 2048 }, (_, i) => (i * 31) & 255);
const GAS_FEE = 21_000n * 10n ** 9n;

export const accountAt = (i: number): Address => `0x${(i + 1).toString(16).padStart(40, '0')}` as Address;

/** solidity's `mapping(address => uint256) balanceOf` at slot 0: keccak(holder . 0). */
export function holderSlot(holder: Address): Hex {
  return viemKeccak(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [holder, 0n])) as Hex;
}

/** `accounts` funded accounts; the first `holders` of them also hold the token. */
export function* genesisAlloc(accounts: number, holders: number): IterableIterator<[Address, GenesisAccount]> {
  const storage = new Map<Hex, bigint>();
  for (let i = 0; i < holders; i++) storage.set(holderSlot(accountAt(i)), 10n ** 24n + BigInt(i));
  yield [TOKEN, { code: TOKEN_CODE, storage }];
  for (let i = 0; i < accounts; i++) yield [accountAt(i), { balance: 10n ** 21n + BigInt(i) }];
}

export type BlockKind = 'transfers' | 'erc20';

/**
 * Applies one block of `txs` transactions to `state`, as the node commits it: senders are the accounts
 * from `firstSender` on (token senders among the holders), recipients drawn from all accounts (token
 * recipients from the holders).
 */
export function applyBlock(state: WorldState, kind: BlockKind, txs: number, firstSender: number, accounts: number, holders: number, seed: number): void {
  const rand = seededRandom(seed);
  for (let t = 0; t < txs; t++) {
    const from = accountAt((firstSender + t) % (kind === 'transfers' ? accounts : holders));
    const sender = state.getAccount(from)!;
    if (kind === 'transfers') {
      const to = accountAt(Math.floor(rand() * accounts));
      const value = 1000n + BigInt(t);
      const changes: AccountChange[] = [{ address: from, deleted: false, balance: sender.balance - value - GAS_FEE, nonce: sender.nonce + 1n, storageReset: false, storage: new Map() }];
      if (to !== from) {
        const recipient = state.getAccount(to)!;
        changes.push({ address: to, deleted: false, balance: recipient.balance + value, nonce: recipient.nonce, storageReset: false, storage: new Map() });
      }
      state.applyChanges(changes);
    } else {
      const holder = accountAt(Math.floor(rand() * holders));
      const fromSlot = holderSlot(from);
      const toSlot = holderSlot(holder);
      const token = state.getAccount(TOKEN)!;
      const storage = new Map<Hex, bigint>([[fromSlot, state.getStorage(TOKEN, fromSlot) - 1n]]);
      if (toSlot !== fromSlot) storage.set(toSlot, state.getStorage(TOKEN, toSlot) + 1n);
      state.applyChanges([
        { address: from, deleted: false, balance: sender.balance - 3n * GAS_FEE, nonce: sender.nonce + 1n, storageReset: false, storage: new Map() },
        { address: TOKEN, deleted: false, balance: token.balance, nonce: token.nonce, storageReset: false, storage },
      ]);
    }
  }
  state.credit(COINBASE, BigInt(txs) * GAS_FEE / 10n);
}

export interface Timing {
  wallMs: number;
  /** CPU time of the whole process (every thread): on a shared machine, wall time also counts waiting for a core. */
  cpuMs: number;
}

/** One stateRoot() call (what the block's commit leaves to hash). */
export async function timeRoot(state: WorldState): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await state.stateRoot();
  const c = process.cpuUsage(c0);
  return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
