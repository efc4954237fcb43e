// Write access keys from a transaction's changes: one source for every executor, so the scheduler sees the
// same conflict semantics whichever backend ran the transaction.
import type { Address } from '../primitives/types.js';
import type { StateReader } from '../state/world-state.js';
import { accessKey, type AccessKey, type AccountChange } from './types.js';

/**
 * `a:` (the account header) only when the header changed: balance, nonce, code or existence. Storage writes
 * alone leave the header as it was, so two calls into one contract that write disjoint slots do not conflict.
 * A deleted or re-created account's old slots are not listed one by one: any later reader of them must have
 * read the account's code or header first (SLOAD runs in the account's own code), and those meet.
 */
export function writeKeys(changes: readonly AccountChange[], snapshot: StateReader): Set<AccessKey> {
  const keys = new Set<AccessKey>();
  for (const c of changes) {
    const a: Address = c.address;
    const before = snapshot.getAccount(a);
    if (c.deleted || before === undefined || c.storageReset) {
      keys.add(accessKey.account(a)).add(accessKey.balance(a)).add(accessKey.nonce(a)).add(accessKey.code(a));
    } else {
      // Plain tests, no table: this runs for every account of every executed transaction.
      const balance = c.balance !== before.balance;
      const nonce = c.nonce !== before.nonce;
      const code = c.code !== undefined;
      if (balance) keys.add(accessKey.balance(a));
      if (nonce) keys.add(accessKey.nonce(a));
      if (code) keys.add(accessKey.code(a));
      if (balance || nonce || code) keys.add(accessKey.account(a));
    }
    for (const slot of c.storage.keys()) keys.add(accessKey.slot(a, slot));
  }
  return keys;
}
