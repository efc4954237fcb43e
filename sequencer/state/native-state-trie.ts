// The state commitment in the addon (native/state/): a block's change trail goes over as the records the
// native EVM wrote (spans of its result buffers, copied natively), the WorldState's own changes as one flat
// buffer; the trie merges them, applies them and re-hashes the dirty paths off the event loop.
import { ByteWriter } from '../executor/native/encode.js';
import type { AccountChange } from '../executor/types.js';
import type { NativeAddon } from '../native/addon.js';
import { bytesToHex, type Address, type Hex } from '../primitives/types.js';
import { changeRecordOf } from './change-record.js';
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

const RECORD_DELETED = 1;
const RECORD_CODE = 2;
const RECORD_STORAGE_RESET = 4;

/**
 * A change list built in TypeScript in the layout of the native EVM's records (kernels/evm/result.h):
 * u32 n_changes { address[20], u8 flags (1 deleted, 2 code, 4 storage reset), u64 nonce, balance[32], if
 * code: u32 len, code }, u32 n_slots { u32 change index, key[32], value[32] }.
 */
export function encodeChangeRecord(changes: readonly AccountChange[]): Uint8Array {
  const w = new ByteWriter(8 + changes.length * 65);
  w.u32(changes.length);
  let slots = 0;
  for (const c of changes) {
    w.hex(c.address, 20);
    const code = c.deleted ? undefined : c.code;
    w.u8((c.deleted ? RECORD_DELETED : 0) | (code ? RECORD_CODE : 0) | (c.storageReset ? RECORD_STORAGE_RESET : 0));
    if (c.nonce >= 1n << 64n) throw new RangeError(`nonce of ${c.address} does not fit 64 bits`);
    w.u64(c.deleted ? 0n : c.nonce);
    w.word(c.deleted ? 0n : c.balance);
    if (code) {
      w.u32(code.length);
      w.bytes(code);
    }
    if (!c.deleted) slots += c.storage.size;
  }
  w.u32(slots);
  changes.forEach((c, i) => {
    if (c.deleted) return;
    for (const [slot, value] of c.storage) {
      w.u32(i);
      w.hex(slot, 32);
      w.word(value);
    }
  });
  return w.done();
}

/** A trail as the addon takes it: distinct buffers, and (buffer index, start, end) per change list. */
export function trailSpans(trail: readonly (readonly AccountChange[])[]): { buffers: Uint8Array[]; spans: Uint32Array } {
  const buffers: Uint8Array[] = [];
  const spans = new Uint32Array(3 * trail.length);
  trail.forEach((changes, i) => {
    const record = changeRecordOf(changes);
    const bytes = record?.bytes ?? encodeChangeRecord(changes);
    // A block's records come from a few result buffers, one after another.
    if (buffers[buffers.length - 1] !== bytes) buffers.push(bytes);
    spans[3 * i] = buffers.length - 1;
    spans[3 * i + 1] = record?.start ?? 0;
    spans[3 * i + 2] = record?.end ?? bytes.length;
  });
  return { buffers, spans };
}

export class NativeStateTrie implements StateCommitment {
  readonly kind = 'native';
  readonly readsTrails = true;
  private readonly handle: object;

  constructor(private readonly addon: NativeAddon) {
    this.handle = addon.stateTrieNew();
  }

  stage(changes: readonly DirtyAccount[], trail: readonly (readonly AccountChange[])[]): () => Promise<Hex> {
    const buffer = encodeTrieChanges(changes);
    // The executor's result buffers are never written after they are decoded: the job reads them as they are.
    const { buffers, spans } = trailSpans(trail);
    return async () => bytesToHex(await this.addon.stateTrieUpdate(this.handle, buffer, buffers, spans)) as Hex;
  }

  lastJobCpuMs(): number {
    return this.addon.stateTrieLastUpdateCpuMs(this.handle);
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
