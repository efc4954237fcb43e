// EIP-4844 point evaluation precompile (0x0a): the execution-spec-tests vectors shipped with ethereum/tests
// and seeded random cross-checks against c-kzg (real commitments and proofs, and corrupted ones).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import kzg from 'c-kzg';
import { loadAddon } from '../../sequencer/native/addon.js';
import { seededRandom } from '../support/seeded-random.js';
import { ETHEREUM_TESTS_DIR } from '../support/shared-data.js';

const addon = loadAddon();
kzg.loadTrustedSetup(0);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const be32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const SUCCESS = hex(cat(be32(4096n), be32(R)));
const VECTORS = join(ETHEREUM_TESTS_DIR, 'GeneralStateTests/Pyspecs/cancun/eip4844_blobs/point_evaluation_precompile_external_vectors.json');

function versionedHash(commitment: Uint8Array): Uint8Array {
  const h = sha256(commitment);
  h[0] = 0x01;
  return h;
}

function input(commitment: Uint8Array, z: Uint8Array, y: Uint8Array, proof: Uint8Array, vh = versionedHash(commitment)) {
  return cat(vh, z, y, commitment, proof);
}

function randomBlob(rand: () => number): Uint8Array {
  const blob = new Uint8Array(kzg.BYTES_PER_BLOB);
  for (let i = 0; i < blob.length; i++) blob[i] = i % 32 === 0 ? 0 : Math.floor(rand() * 256);
  return blob;
}

function randomFieldElement(rand: () => number): Uint8Array {
  const z = Uint8Array.from({ length: 32 }, () => Math.floor(rand() * 256));
  z[0] &= 0x3f;
  return z;
}

function run(inp: Uint8Array): string {
  const r = addon.kzgPointEvaluation(inp);
  return r.ok ? hex(r.output) : 'fail';
}

describe('kzg point evaluation', () => {
  it('agrees with the execution-spec-tests external vectors', () => {
    const json = JSON.parse(readFileSync(VECTORS, 'utf8')) as Record<string, { transaction: { data: string[] } }>;
    let correct = 0;
    for (const [name, t] of Object.entries(json)) {
      const inp = Buffer.from(t.transaction.data[0].slice(2), 'hex');
      const expectOk = /correct_proof/.test(name) && !/incorrect_proof/.test(name);
      assert.equal(run(inp), expectOk ? SUCCESS : 'fail', name);
      if (expectOk) correct++;
    }
    assert.ok(Object.keys(json).length > 100 && correct > 10);
  });

  it('accepts c-kzg proofs and rejects corrupted ones (seeded)', () => {
    const rand = seededRandom(0x4844);
    for (let i = 0; i < 6; i++) {
      const blob = randomBlob(rand);
      const c = kzg.blobToKzgCommitment(blob);
      const z = randomFieldElement(rand);
      const [proof, y] = kzg.computeKzgProof(blob, z);
      assert.equal(kzg.verifyKzgProof(c, z, y, proof), true);
      assert.equal(run(input(c, z, y, proof)), SUCCESS, `blob ${i}`);

      const y1 = be32((BigInt('0x' + hex(y)) + 1n) % R);
      assert.equal(kzg.verifyKzgProof(c, z, y1, proof), false);
      assert.equal(run(input(c, z, y1, proof)), 'fail', 'y + 1');
      const z1 = be32((BigInt('0x' + hex(z)) + 1n) % R);
      assert.equal(run(input(c, z1, y, proof)), 'fail', 'z + 1');
      const [proof2] = kzg.computeKzgProof(blob, z1);
      assert.equal(run(input(c, z, y, proof2)), 'fail', 'proof of another point');
      const other = kzg.blobToKzgCommitment(randomBlob(rand));
      assert.equal(run(input(other, z, y, proof)), 'fail', 'other commitment');
      const vh = versionedHash(c);
      vh[0] = 0x02;
      assert.equal(run(input(c, z, y, proof, vh)), 'fail', 'version byte');
      const vh2 = versionedHash(c);
      vh2[31] ^= 1;
      assert.equal(run(input(c, z, y, proof, vh2)), 'fail', 'hash');
      // z, y >= BLS_MODULUS (z + r, y + r still fit in 32 bytes when below 2^256)
      const zr = BigInt('0x' + hex(z)) + R;
      if (zr < 1n << 256n) assert.equal(run(input(c, be32(zr), y, proof)), 'fail', 'z >= r');
      const yr = BigInt('0x' + hex(y)) + R;
      if (yr < 1n << 256n) assert.equal(run(input(c, z, be32(yr), proof)), 'fail', 'y >= r');
      assert.equal(addon.kzgPointEvaluation(input(c, z, y, proof).subarray(0, 191)).ok, false);
    }
  });

  it('accepts the zero blob (commitment and proof at infinity) and z, y at the edges', () => {
    const blob = new Uint8Array(kzg.BYTES_PER_BLOB);
    const c = kzg.blobToKzgCommitment(blob);
    assert.equal(hex(c), 'c0' + '00'.repeat(47));
    for (const zv of [0n, 1n, R - 1n]) {
      const z = be32(zv);
      const [proof, y] = kzg.computeKzgProof(blob, z);
      assert.equal(run(input(c, z, y, proof)), SUCCESS);
      assert.equal(run(input(c, z, be32(1n), proof)), 'fail');
    }
    // a constant blob: p(X) = 5 everywhere, so y = 5 at every z and the proof is at infinity
    const five = new Uint8Array(kzg.BYTES_PER_BLOB);
    for (let i = 31; i < five.length; i += 32) five[i] = 5;
    const c5 = kzg.blobToKzgCommitment(five);
    const z = be32(R - 1n);
    const [proof5, y5] = kzg.computeKzgProof(five, z);
    assert.equal(hex(y5), hex(be32(5n)));
    assert.equal(run(input(c5, z, y5, proof5)), SUCCESS);
  });

  it('rejects malformed G1 encodings', () => {
    const rand = seededRandom(0xbad);
    const blob = randomBlob(rand);
    const c = kzg.blobToKzgCommitment(blob);
    const z = randomFieldElement(rand);
    const [proof, y] = kzg.computeKzgProof(blob, z);
    const variants: [string, Uint8Array][] = [];
    const flip = (b: Uint8Array, f: (x: Uint8Array) => void) => {
      const x = Uint8Array.from(b);
      f(x);
      return x;
    };
    variants.push(['no compression flag', flip(proof, (x) => (x[0] &= 0x7f))]);
    variants.push(['sign flipped', flip(proof, (x) => (x[0] ^= 0x20))]);
    variants.push(['infinity with a sign', flip(new Uint8Array(48), (x) => (x[0] = 0xe0))]);
    variants.push(['infinity with payload', flip(new Uint8Array(48), (x) => ((x[0] = 0xc0), (x[47] = 1)))]);
    variants.push(['x >= p', flip(new Uint8Array(48), (x) => x.fill(0xff, 1).fill(0x9f, 0, 1))]);
    // x on the curve but outside the order-r subgroup: the first x with x^3 + 4 a square whose point fails
    const Fp = bls12_381.fields.Fp;
    for (let k = 1n; ; k++) {
      const rhs = Fp.add(Fp.mul(Fp.sqr(k), k), 4n);
      let yy: bigint;
      try {
        yy = Fp.sqrt(rhs);
      } catch {
        continue;
      }
      const pt = bls12_381.G1.Point.fromAffine({ x: k, y: yy });
      if (pt.isTorsionFree()) continue;
      const enc = Buffer.from(k.toString(16).padStart(96, '0'), 'hex');
      enc[0] |= 0x80;
      variants.push(['not in the subgroup', enc]);
      break;
    }
    // the generator plus the order-3 point (0, 2): on the curve, outside G1
    {
      const Fp = bls12_381.fields.Fp;
      const G = bls12_381.G1.Point.BASE.toAffine();
      const [x1, y1, x2, y2] = [G.x, G.y, 0n, 2n];
      const l = Fp.div(Fp.sub(y2, y1), Fp.sub(x2, x1));
      const x3 = Fp.sub(Fp.sub(Fp.sqr(l), x1), x2);
      const y3 = Fp.sub(Fp.mul(l, Fp.sub(x1, x3)), y1);
      assert.equal(Fp.sqr(y3), Fp.add(Fp.mul(Fp.sqr(x3), x3), 4n));
      const enc = Buffer.from(x3.toString(16).padStart(96, '0'), 'hex');
      enc[0] |= 0x80 | (y3 > (Fp.ORDER - 1n) / 2n ? 0x20 : 0);
      variants.push(['generator + 3-torsion', enc]);
    }
    // x with x^3 + 4 not a square
    for (let k = 1n; ; k++) {
      const rhs = Fp.add(Fp.mul(Fp.sqr(k), k), 4n);
      let ok = true;
      try {
        Fp.sqrt(rhs);
      } catch {
        ok = false;
      }
      if (ok) continue;
      const enc = Buffer.from(k.toString(16).padStart(96, '0'), 'hex');
      enc[0] |= 0x80;
      variants.push(['not on the curve', enc]);
      break;
    }
    for (const [what, bad] of variants) {
      assert.equal(run(input(c, z, y, bad)), 'fail', `proof: ${what}`);
      assert.equal(run(input(bad, z, y, proof)), 'fail', `commitment: ${what}`);
    }
  });
});
