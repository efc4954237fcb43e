import { keccak_256 } from '@noble/hashes/sha3.js';

/** keccak-256 of bytes (JS; batched native hashing is loadAddon().keccak256Batch). */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
