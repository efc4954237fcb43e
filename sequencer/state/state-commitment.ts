// The seam between WorldState and whatever keeps its Merkle-Patricia commitment (the native trie in the
// addon, or @ethereumjs/mpt as the reference): WorldState hands over what changed since the last root.
import type { AccountChange } from '../executor/types.js';
import type { Address, Hex } from '../primitives/types.js';

/**
 * One account as it is now, for an account that changed since the last root. `account` and `slots` may be
 * WorldState's live objects: a commitment copies what it needs in stage(), before WorldState changes again.
 */
export interface DirtyAccount {
  address: Address;
  /** Undefined: the account no longer exists (its storage is gone with it). */
  account?: { readonly nonce: bigint; readonly balance: bigint; readonly codeHash: Hex };
  /** The storage from before is gone: `slots` then lists every slot the account has now. */
  storageReset: boolean;
  /** Slots written since the last root, with their current values (0n: removed from the trie). */
  slots: Iterable<[Hex, bigint]>;
}

/** EIP-1186 proof material: the RLP of the trie nodes on each key's path, root first. */
export interface StateProofNodes {
  accountProof: Uint8Array[];
  storageHash: Hex;
  /** One list per requested slot, in request order. */
  storageProofs: Uint8Array[][];
}

export interface StateCommitment {
  readonly kind: 'native' | 'reference';
  /** Whether stage() takes a trail (WorldState.applyBlock); without, WorldState marks every change dirty. */
  readonly readsTrails: boolean;
  /**
   * Reads `trail` and `changes` now (so later WorldState edits do not leak in) and returns the job that
   * applies them and resolves to the new state root. The trail (per-transaction change lists, in commit
   * order) goes first; `changes` hold current values, so they go over it. Jobs must run one at a time, in
   * the order they were staged.
   */
  stage(changes: readonly DirtyAccount[], trail: readonly (readonly AccountChange[])[]): () => Promise<Hex>;
  /** CPU time of the last job's native work on the threads that ran it (undefined: not measured). */
  lastJobCpuMs?(): number;
  /** Proof nodes for the state as of the last job; must not overlap a job. */
  prove(address: Address, slots: readonly Hex[]): Promise<StateProofNodes>;
}
