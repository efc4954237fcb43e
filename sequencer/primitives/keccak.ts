import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadAddon, NativeAddonMissingError } from '../native/addon.js';
import { packBytes } from './packed-bytes.js';

// The native kernel's keccak when the addon is built (about 4x @noble/hashes on trie nodes, which the
// state root hashes by the thousand per block), else @noble/hashes (same results).
const hash: (data: Uint8Array) => Uint8Array = (() => {
  try {
    const native = loadAddon().keccak256Sync;
    return (data: Uint8Array) => {
      const b = native(data);
      return new Uint8Array(b.buffer, b.byteOffset, 32);
    };
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return keccak_256;
    throw e;
  }
})();

/** keccak-256 of bytes (batched native hashing is loadAddon().keccak256Batch). */
export function keccak256(data: Uint8Array): Uint8Array {
  return hash(data);
}

/** Several keccak-256s on the calling thread in one addon call (one hash at a time without the addon). */
export const keccak256Many: (items: readonly Uint8Array[]) => Uint8Array[] = (() => {
  try {
    const batch = loadAddon().keccak256BatchSync;
    return (items: readonly Uint8Array[]) => {
      if (items.length === 0) return [];
      const { data, offsets } = packBytes(items);
      const out = batch(data, offsets);
      return items.map((_, i) => new Uint8Array(out.buffer, out.byteOffset + 32 * i, 32));
    };
  } catch (e) {
    if (e instanceof NativeAddonMissingError) return (items: readonly Uint8Array[]) => items.map((it) => keccak_256(it));
    throw e;
  }
})();
