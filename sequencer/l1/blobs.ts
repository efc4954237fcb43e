// EIP-4844 helpers: the c-kzg binding with its bundled mainnet trusted setup (viem's setupKzg does not work
// with c-kzg 4.x), and batch data <-> blobs through viem's blob encoding.
import { createRequire } from 'node:module';
import { fromBlobs, toBlobs, type Kzg, type Hex as VHex } from 'viem';
import { bytesToHex, hexToU8, type Hex } from '../primitives/types.js';

interface CKzg {
  loadTrustedSetup(precompute: number, path?: string): void;
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array;
}

let kzgMemo: Kzg | undefined;

export function kzg(): Kzg {
  if (kzgMemo) return kzgMemo;
  const ckzg = createRequire(import.meta.url)('c-kzg') as CKzg;
  try {
    ckzg.loadTrustedSetup(0);
  } catch (e) {
    if (!/already loaded/i.test((e as Error).message)) throw e;
  }
  kzgMemo = { blobToKzgCommitment: (b) => ckzg.blobToKzgCommitment(b), computeBlobKzgProof: (b, c) => ckzg.computeBlobKzgProof(b, c) };
  return kzgMemo;
}

/** Max blobs per transaction under Cancun. */
export const MAX_BLOBS_PER_TX = 6;
/** Usable bytes per blob with viem's encoding (31 bytes per field element, one terminator byte). */
export const BLOB_CAPACITY = 4096 * 31 - 1;

export function dataToBlobs(data: Uint8Array): Hex[] {
  return toBlobs({ data: bytesToHex(data) as VHex }) as Hex[];
}

export function blobsToData(blobs: readonly Hex[]): Uint8Array {
  return hexToU8(fromBlobs({ blobs: blobs as VHex[] }) as Hex);
}
