// EIP-4844 helpers: the c-kzg binding with its bundled mainnet trusted setup (viem's setupKzg does not work
// with c-kzg 4.x), and batch data <-> blobs through viem's blob encoding.
import { fromBlobs, toBlobs, type Kzg, type Hex as VHex } from 'viem';
import { loadCKzg } from '../chain/kzg.js';
import { bytesToHex, hexToU8, type Hex } from '../primitives/types.js';

let kzgMemo: Kzg | undefined;

/** viem's KZG interface over the process's c-kzg binding (chain/kzg.ts loads the trusted setup once). */
export function kzg(): Kzg {
  if (kzgMemo) return kzgMemo;
  const ckzg = loadCKzg();
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
