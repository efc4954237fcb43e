// The reference state commitment: @ethereumjs/mpt tries (an account trie and one storage trie per
// account). Tests use it as the oracle for the native trie; WorldState falls back to it only when the
// addon lacks the state trie entry points.
import { createMPT, createMerkleProof, type MerklePatriciaTrie } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { bigIntToUnpaddedBytes, createAccount } from '@ethereumjs/util';
import { keccak256 } from '../primitives/keccak.js';
import { bytesToHex, hexToU8, type Address, type Hex } from '../primitives/types.js';
import type { AccountChange } from '../executor/types.js';
import type { DirtyAccount, StateCommitment, StateProofNodes } from './state-commitment.js';

// Node pruning: without it every superseded node stays in the in-memory trie database (~1 KB per account
// update, the per-transaction growth of issue #18); proofs are taken at the current root only.
const newSecureTrie = () => createMPT({ useKeyHashing: true, useKeyHashingFunction: keccak256, useNodePruning: true });

export class ReferenceStateTrie implements StateCommitment {
  readonly kind = 'reference';
  /** The oracle keeps to WorldState's own merge of a block (its dirty accounts), not the executor's records. */
  readonly readsTrails = false;
  private accountTrie?: MerklePatriciaTrie;
  private readonly storageTries = new Map<Address, MerklePatriciaTrie>();

  stage(changes: readonly DirtyAccount[], trail: readonly (readonly AccountChange[])[]): () => Promise<Hex> {
    if (trail.length > 0) throw new Error('the reference state trie takes no change trail (readsTrails is false)');
    const snapshot = changes.map(({ address, account, storageReset, slots }) => ({
      address,
      account: account && { nonce: account.nonce, balance: account.balance, codeHash: account.codeHash },
      storageReset,
      slots: [...slots],
    }));
    return () => this.apply(snapshot);
  }

  async prove(address: Address, slots: readonly Hex[]): Promise<StateProofNodes> {
    const accountTrie = (this.accountTrie ??= await newSecureTrie());
    const storageTrie = this.storageTries.get(address);
    const storageProofs: Uint8Array[][] = [];
    for (const slot of slots) storageProofs.push(storageTrie ? await createMerkleProof(storageTrie, hexToU8(slot)) : []);
    return {
      accountProof: await createMerkleProof(accountTrie, hexToU8(address)),
      storageHash: bytesToHex((storageTrie ?? (await newSecureTrie())).root()) as Hex,
      storageProofs,
    };
  }

  private async apply(changes: readonly DirtyAccount[]): Promise<Hex> {
    const accountTrie = (this.accountTrie ??= await newSecureTrie());
    for (const c of changes) {
      const key = hexToU8(c.address);
      if (c.account === undefined) {
        this.storageTries.delete(c.address);
        await accountTrie.del(key);
        continue;
      }
      let storage = this.storageTries.get(c.address);
      if (storage === undefined || c.storageReset) {
        storage = await newSecureTrie();
        this.storageTries.set(c.address, storage);
      }
      for (const [slot, value] of c.slots) {
        if (value === 0n) await storage.del(hexToU8(slot));
        else await storage.put(hexToU8(slot), RLP.encode(bigIntToUnpaddedBytes(value)));
      }
      const account = createAccount({
        nonce: c.account.nonce,
        balance: c.account.balance,
        storageRoot: storage.root(),
        codeHash: hexToU8(c.account.codeHash),
      });
      await accountTrie.put(key, account.serialize());
    }
    return bytesToHex(accountTrie.root()) as Hex;
  }
}
