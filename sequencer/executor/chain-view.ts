// What a transaction of a chain (Executor.executeChains) runs against: the batch's snapshot plus the changes
// of the transactions before it in its chain. Every executor follows the same rule for where a chain stops
// (chainCarries), so both report the same transactions as not run.
import { EMPTY_BYTES, type Address, type Hex } from '../primitives/types.js';
import { EMPTY_CODE_HASH, type AccountInfo, type StateReader } from '../state/world-state.js';
import type { AccountChange } from './types.js';

/**
 * Whether a chain goes on after these changes. New code, a deleted account or cleared storage stop it (the
 * native chain overlay keeps the snapshot's code and storage layout): the rest of the chain does not run.
 */
export function chainCarries(changes: readonly AccountChange[]): boolean {
  for (const c of changes) if (c.deleted || c.code !== undefined || c.storageReset) return false;
  return true;
}

export class ChainView implements StateReader {
  private readonly accounts = new Map<Address, AccountInfo>();
  private readonly storage = new Map<Address, Map<Hex, bigint>>();

  constructor(private readonly base: StateReader) {}

  getAccount(address: Address): AccountInfo | undefined {
    return this.accounts.get(address) ?? this.base.getAccount(address);
  }

  getStorage(address: Address, slot: Hex): bigint {
    return this.storage.get(address)?.get(slot) ?? this.base.getStorage(address, slot);
  }

  /**
   * A non-zero slot written in the chain, or the base's answer. After the chain zeroed every non-zero slot
   * the base had, this still says yes, and no transaction can tell: only the answer's one reader, the
   * EIP-7610 creation check, asks, and it asks only about an account with nonce 0 and no code. The chain
   * wrote the account's storage by running its code (a creation at it would have collided with the base's
   * storage), and chains stop at code changes and deletions, so the account still has that code and a
   * creation at it collides on the code. test/executor/chains.test.ts runs that case.
   */
  hasStorage(address: Address): boolean {
    for (const v of this.storage.get(address)?.values() ?? []) if (v !== 0n) return true;
    return this.base.hasStorage?.(address) ?? false;
  }

  /** One transaction's changes (chainCarries(changes) must hold); returns the view. */
  apply(changes: readonly AccountChange[]): this {
    for (const c of changes) {
      const prev = this.getAccount(c.address);
      this.accounts.set(c.address, { nonce: c.nonce, balance: c.balance, code: prev?.code ?? EMPTY_BYTES, codeHash: prev?.codeHash ?? EMPTY_CODE_HASH });
      if (c.storage.size === 0) continue;
      let slots = this.storage.get(c.address);
      if (slots === undefined) this.storage.set(c.address, (slots = new Map()));
      for (const [slot, value] of c.storage) slots.set(slot, value);
    }
    return this;
  }
}
