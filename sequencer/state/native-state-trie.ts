// The state commitment in the addon (native/state/): change sets go over as one flat buffer, the trie
// applies them and re-hashes the dirty paths off the event loop.
import { ByteWriter } from '../executor/native/encode.js';
import type { NativeAddon } from '../native/addon.js';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';
import type { DirtyAccount, StateCommitment, StateProofNodes } from './state-commitment.js';
import { EMPTY_CODE_HASH } from './world-state.js';

const DELETED = 1;
const STORAGE_RESET = 2;
const NO_CODE = 4;
/** An account's entry without slots: address, flags, nonce, balance, code hash, slot count. */
const MAX_ACCOUNT_BYTES = 20 + 1 + 8 + 32 + 32 + 4;

/**
 * Change-set layout (native/state/state_trie.cc parses it), little-endian counts, big-endian words:
 * u32 count, then per account: address[20], u8 flags (1 deleted, 2 storage reset, 4 no code), and unless
 * deleted: u64 nonce, balance[32], codeHash[32] (absent with flag 4: keccak256("")), u32 slotCount,
 * slotCount x (slot[32], value[32]; zero removes).
 * Each account appears once.
 */
export function encodeTrieChanges(changes: readonly DirtyAccount[]): Uint8Array {
  // Sized for the accounts (one buffer per block, garbage once copied); slots grow it as needed.
  const w = new ByteWriter(4 + changes.length * MAX_ACCOUNT_BYTES);
  w.u32(changes.length);
  for (const c of changes) {
    w.hex(c.address, 20);
    if (c.account === undefined) {
      w.u8(DELETED);
      continue;
    }
    const noCode = c.account.codeHash === EMPTY_CODE_HASH;
    w.u8((c.storageReset ? STORAGE_RESET : 0) | (noCode ? NO_CODE : 0));
    if (c.account.nonce >= 1n << 64n) throw new RangeError(`nonce of ${c.address} does not fit 64 bits`);
    w.u64(c.account.nonce);
    w.word(c.account.balance);
    if (!noCode) w.hex(c.account.codeHash, 32);
    const countAt = w.n;
    w.u32(0);
    let slots = 0;
    for (const [slot, value] of c.slots) {
      w.hex(slot, 32);
      w.word(value);
      slots++;
    }
    w.view.setUint32(countAt, slots, true);
  }
  return w.done();
}

export class NativeStateTrie implements StateCommitment {
  readonly kind = 'native';
  private readonly handle: object;

  constructor(private readonly addon: NativeAddon) {
    this.handle = addon.stateTrieNew();
  }

  stage(changes: readonly DirtyAccount[]): () => Promise<Hex> {
    const buffer = encodeTrieChanges(changes);
    return async () => bytesToHex(await this.addon.stateTrieUpdate(this.handle, buffer)) as Hex;
  }

  async prove(address: Address, slots: readonly Hex[]): Promise<StateProofNodes> {
    const w = new ByteWriter(20 + 32 * slots.length);
    w.hex(address, 20);
    for (const s of slots) w.hex(s, 32);
    const keys = w.done();
    const p = this.addon.stateTrieProve(this.handle, keys.subarray(0, 20), keys.subarray(20));
    return { accountProof: p.accountProof, storageHash: bytesToHex(p.storageRoot) as Hex, storageProofs: p.storageProofs };
  }
}
