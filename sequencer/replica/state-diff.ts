// A block's stored state diff (final values of what it touched) as the one change set that turns the
// state before the block into the state after it, for WorldState.applyChanges.
import type { AccountChange } from '../executor/types.js';
import type { Address } from '../primitives/types.js';
import { EMPTY_CODE_HASH, type StateReader } from '../state/world-state.js';
import type { StateDiff } from '../store/store.js';

/** `before` is the state after the parent block; throws when the diff names code it does not carry. */
export function changesOfDiff(number: bigint, diff: StateDiff, before: StateReader): AccountChange[] {
  const touched = new Set<Address>([...diff.accounts.keys(), ...diff.storageResets, ...diff.slots.keys()]);
  const out: AccountChange[] = [];
  for (const address of touched) {
    const after = diff.accounts.get(address);
    if (after === null) {
      out.push({ address, deleted: true, balance: 0n, nonce: 0n, storageReset: true, storage: new Map() });
      continue;
    }
    const prior = before.getAccount(address);
    // Slot writes without an account row keep the account header as it was.
    const header = after ?? prior ?? { nonce: 0n, balance: 0n };
    let code: Uint8Array | undefined;
    if (after !== undefined && after.codeHash !== (prior?.codeHash ?? EMPTY_CODE_HASH)) {
      code = after.codeHash === EMPTY_CODE_HASH ? new Uint8Array(0) : diff.code.get(after.codeHash);
      if (code === undefined) throw new Error(`block ${number}: account ${address} gets code ${after.codeHash}, which the diff does not carry`);
    }
    out.push({
      address,
      deleted: false,
      balance: header.balance,
      nonce: header.nonce,
      code,
      storageReset: diff.storageResets.has(address),
      storage: new Map(diff.slots.get(address) ?? []),
    });
  }
  return out;
}
