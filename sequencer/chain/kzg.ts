// c-kzg (native, bundled mainnet trusted setup) adapted to @ethereumjs's KZG interface, which
// @ethereumjs/tx needs to handle EIP-4844 transactions at all.
import { createRequire } from 'node:module';
import type { KZG } from '@ethereumjs/util';
import { bytesToHex, hexToU8 } from '../primitives/types.js';

interface CKzg {
  loadTrustedSetup(precompute: number, path?: string): void;
  blobToKzgCommitment(blob: Uint8Array): Uint8Array;
  computeBlobKzgProof(blob: Uint8Array, commitment: Uint8Array): Uint8Array;
  verifyKzgProof(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array): boolean;
  verifyBlobKzgProofBatch(blobs: Uint8Array[], commitments: Uint8Array[], proofs: Uint8Array[]): boolean;
  computeCells(blob: Uint8Array): Uint8Array[];
  computeCellsAndKzgProofs(blob: Uint8Array): [Uint8Array[], Uint8Array[]];
  recoverCellsAndKzgProofs(indices: number[], cells: Uint8Array[]): [Uint8Array[], Uint8Array[]];
  verifyCellKzgProofBatch(commitments: Uint8Array[], indices: number[], cells: Uint8Array[], proofs: Uint8Array[]): boolean;
}

let ckzg: CKzg | undefined;

/** The c-kzg binding with the mainnet trusted setup loaded (once per process). */
export function loadCKzg(): CKzg {
  if (ckzg) return ckzg;
  const lib = createRequire(import.meta.url)('c-kzg') as CKzg;
  try {
    lib.loadTrustedSetup(0);
  } catch (e) {
    if (!/already loaded/i.test((e as Error).message)) throw e;
  }
  return (ckzg = lib);
}

const b = (h: string) => hexToU8(h);
const h = (u: Uint8Array) => bytesToHex(u) as string;

export function ethereumJsKzg(): KZG {
  // The trusted setup (~2 s) loads on first use: most processes (the fuzzer, tools) never touch a blob.
  const k = loadCKzg;
  return {
    blobToKzgCommitment: (blob) => h(k().blobToKzgCommitment(b(blob))),
    computeBlobProof: (blob, commitment) => h(k().computeBlobKzgProof(b(blob), b(commitment))),
    verifyProof: (commitment, z, y, proof) => k().verifyKzgProof(b(commitment), b(z), b(y), b(proof)),
    verifyBlobProofBatch: (blobs, commitments, proofs) => k().verifyBlobKzgProofBatch(blobs.map(b), commitments.map(b), proofs.map(b)),
    computeCells: (blob) => k().computeCells(b(blob)).map(h),
    computeCellsAndProofs: (blob) => {
      const [cells, proofs] = k().computeCellsAndKzgProofs(b(blob));
      return [cells.map(h), proofs.map(h)];
    },
    recoverCellsAndProofs: (indices, cells) => {
      const [c, p] = k().recoverCellsAndKzgProofs(indices, cells.map(b));
      return [c.map(h), p.map(h)];
    },
    verifyCellKzgProofBatch: (commitments, indices, cells, proofs) =>
      k().verifyCellKzgProofBatch(commitments.map(b), indices, cells.map(b), proofs.map(b)),
  };
}
