// BN254 precompiles (ecAdd 0x06, ecMul 0x07, ecPairing 0x08): known vectors and seeded random cross-checks
// against an EIP-196/197 oracle built on @noble/curves (test/support/bn254-reference.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bn254 } from '@noble/curves/bn254.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { seededRandom } from '../support/seeded-random.js';
import { G1, G2, N, P, be32, encodeG1, encodeG2, refAdd, refMul, refPairing, type Result } from '../support/bn254-reference.js';
import { ETHEREUM_TESTS_DIR } from '../support/shared-data.js';

const addon = loadAddon();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const show = (r: Result) => `${r.ok}:${hex(r.output)}`;
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const ZK_DIR = join(ETHEREUM_TESTS_DIR, 'GeneralStateTests/stZeroKnowledge');

function randomScalar(rand: () => number, bits = 256): bigint {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(rand() * 65536));
  return v & ((1n << BigInt(bits)) - 1n);
}

// The stZeroKnowledge state tests call a contract with ABI data f(bytes input); the precompile input is that
// `bytes` argument. Returns [file name, input] for every transaction data entry of the matching files.
function stateTestInputs(prefix: string): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const f of readdirSync(ZK_DIR).filter((n) => n.startsWith(prefix)).sort()) {
    const json = JSON.parse(readFileSync(join(ZK_DIR, f), 'utf8'));
    const t = Object.values(json)[0] as { transaction: { data: string[] } };
    for (const d of t.transaction.data) {
      const b = Buffer.from(d.slice(2), 'hex');
      if (b.length < 68 || BigInt('0x' + b.subarray(4, 36).toString('hex')) !== 32n) continue;
      const n = Number(BigInt('0x' + b.subarray(36, 68).toString('hex')));
      if (b.length >= 68 + n) out.push([f, Uint8Array.from(b.subarray(68, 68 + n))]);
    }
  }
  return out;
}

// A point on the twist outside the order-N subgroup: x = (k, 0) for the first k giving a square.
function g2NotInSubgroup(k0: bigint): Uint8Array {
  const Fp2 = bn254.fields.Fp2;
  const b = Fp2.div(Fp2.create({ c0: 3n, c1: 0n }), Fp2.create({ c0: 9n, c1: 1n }));
  for (let k = k0; ; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try {
      y = Fp2.sqrt(rhs);
    } catch {
      continue;
    }
    if (!y || !Fp2.eql(Fp2.sqr(y), rhs)) continue;
    const q = G2.fromAffine({ x, y });
    if (q.multiplyUnsafe(N - 1n).negate().equals(q)) continue;  // (never: the cofactor is huge)
    return cat(be32(x.c1), be32(x.c0), be32(y.c1), be32(y.c0));
  }
}

describe('bn254 ecAdd / ecMul', () => {
  it('matches EIP-196 known values', () => {
    const g = cat(be32(1n), be32(2n));
    const twoG =
      '030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4';
    assert.equal(show(addon.bn254Add(cat(g, g))), `true:${twoG}`);
    assert.equal(show(addon.bn254Mul(cat(g, be32(2n)))), `true:${twoG}`);
    assert.equal(show(addon.bn254Add(new Uint8Array(0))), `true:${'00'.repeat(64)}`);
    assert.equal(show(addon.bn254Mul(cat(g, be32(N)))), `true:${'00'.repeat(64)}`);
    assert.equal(show(addon.bn254Add(cat(g, be32(1n), be32(P - 2n)))), `true:${'00'.repeat(64)}`);  // G + (-G)
    assert.equal(addon.bn254Add(cat(be32(1n), be32(3n))).ok, false);  // not on the curve
    assert.equal(addon.bn254Add(cat(be32(P + 1n), be32(2n))).ok, false);  // x >= p (x = 1 mod p)
    assert.equal(addon.bn254Mul(cat(be32(1n), be32(2n + P), be32(1n))).ok, false);  // y >= p
  });

  it('matches the oracle on the stZeroKnowledge ecmul inputs', () => {
    const inputs = stateTestInputs('ecmul_');
    assert.ok(inputs.length >= 100, `found ${inputs.length} ecmul inputs`);
    for (const [f, input] of inputs) assert.equal(show(addon.bn254Mul(input)), show(refMul(input)), f);
  });

  it('matches @noble/curves on random points and scalars (seeded)', () => {
    const rand = seededRandom(0xb254);
    const specials = [0n, 1n, 2n, N - 1n, N, N + 1n, (1n << 256n) - 1n, 1n << 255n];
    for (let i = 0; i < 60; i++) {
      const a = G1.BASE.multiply(1n + (randomScalar(rand) % (N - 1n)));
      const b = i % 5 === 0 ? a : i % 5 === 1 ? a.negate() : G1.BASE.multiply(1n + (randomScalar(rand) % (N - 1n)));
      const z = new Uint8Array(64);
      for (const input of [cat(encodeG1(a), encodeG1(b)), cat(encodeG1(a), z), cat(z, encodeG1(b)), cat(encodeG1(a), encodeG1(b)).subarray(0, 100)])
        assert.equal(show(addon.bn254Add(input)), show(refAdd(input)));
      const k = i < specials.length ? specials[i] : randomScalar(rand, 1 + Math.floor(rand() * 256));
      for (const input of [cat(encodeG1(a), be32(k)), cat(z, be32(k)), cat(encodeG1(a), be32(k)).subarray(0, 70)])
        assert.equal(show(addon.bn254Mul(input)), show(refMul(input)), `k=${k}`);
      // random garbage: almost never on the curve
      const junk = Uint8Array.from({ length: 128 }, () => Math.floor(rand() * 256));
      junk[0] &= 0x2f;
      junk[64] &= 0x2f;
      assert.equal(show(addon.bn254Add(junk)), show(refAdd(junk)));
      assert.equal(show(addon.bn254Mul(junk.subarray(0, 96))), show(refMul(junk.subarray(0, 96))));
    }
  });
});

describe('bn254 ecPairing', () => {
  it('handles empty input, infinity and malformed lengths', () => {
    assert.equal(show(addon.bn254Pairing(new Uint8Array(0))), `true:${hex(be32(1n))}`);
    assert.equal(show(addon.bn254Pairing(new Uint8Array(192))), `true:${hex(be32(1n))}`);
    assert.equal(addon.bn254Pairing(new Uint8Array(191)).ok, false);
    assert.equal(addon.bn254Pairing(new Uint8Array(193)).ok, false);
  });

  it('matches the stZeroKnowledge ecpairing inputs (named outcomes and the oracle)', () => {
    const inputs = stateTestInputs('ecpairing_');
    assert.ok(inputs.length >= 28, `found ${inputs.length} ecpairing inputs`);
    for (const [f, input] of inputs) {
      const got = addon.bn254Pairing(input);
      assert.equal(show(got), show(refPairing(input)), f);
      if (/_match_/.test(f)) assert.equal(show(got), `true:${hex(be32(1n))}`, f);
      if (/_fail_/.test(f)) assert.equal(show(got), `true:${hex(be32(0n))}`, f);
      if (/not_in_subgroup|perturb_g2_by_(one|field_modulus)/.test(f)) assert.equal(got.ok, false, f);
    }
  });

  it('checks bilinearity and matches @noble/curves on random pairs (seeded)', () => {
    const rand = seededRandom(0x197);
    for (let n = 1; n <= 6; n++) {
      // prod e(a_i P_i, Q_i) with the last G1 point chosen so the product is 1, then perturbed
      const pairs: Uint8Array[] = [];
      let sum = 0n;
      const q = G2.BASE.multiply(1n + (randomScalar(rand) % (N - 1n)));
      for (let i = 0; i < n; i++) {
        const a = 1n + (randomScalar(rand) % (N - 1n));
        const b = 1n + (randomScalar(rand) % (N - 1n));
        sum = (sum + a * b) % N;
        pairs.push(cat(encodeG1(G1.BASE.multiply(a)), encodeG2(q.multiply(b))));
      }
      const closing = sum === 0n ? G1.ZERO : G1.BASE.multiply(N - sum);
      const good = cat(...pairs, encodeG1(closing), encodeG2(q));
      assert.equal(show(addon.bn254Pairing(good)), `true:${hex(be32(1n))}`, `n=${n}`);
      const bad = cat(...pairs, encodeG1(closing.add(G1.BASE)), encodeG2(q));
      assert.equal(show(addon.bn254Pairing(bad)), `true:${hex(be32(0n))}`, `n=${n}`);
      assert.equal(show(addon.bn254Pairing(bad)), show(refPairing(bad)));
      // with pairs at infinity mixed in
      const mixed = cat(new Uint8Array(192), ...pairs, encodeG1(G1.BASE), new Uint8Array(128), encodeG1(closing), encodeG2(q));
      assert.equal(show(addon.bn254Pairing(mixed)), `true:${hex(be32(1n))}`);
    }
  });

  it('rejects invalid points: off-curve, coordinates >= p, G2 outside the subgroup', () => {
    const g1 = encodeG1(G1.BASE);
    const g2 = encodeG2(G2.BASE);
    for (const k0 of [1n, 1000n, 123456789n, P - 1000n]) {
      const q = g2NotInSubgroup(k0);
      assert.equal(addon.bn254Pairing(cat(g1, q)).ok, false, `k0=${k0}`);
      assert.equal(refPairing(cat(g1, q)).ok, false);
    }
    const notSub = g2NotInSubgroup(1n);
    assert.equal(addon.bn254Pairing(cat(new Uint8Array(64), notSub)).ok, false);  // even with P = infinity
    const offCurve = Uint8Array.from(g2);
    offCurve[127] ^= 1;
    assert.equal(addon.bn254Pairing(cat(g1, offCurve)).ok, false);
    assert.equal(addon.bn254Pairing(cat(cat(be32(1n), be32(3n)), g2)).ok, false);
    const big = Uint8Array.from(g2);
    big.set(be32(BigInt('0x' + hex(g2.subarray(0, 32))) + P), 0);
    assert.equal(addon.bn254Pairing(cat(g1, big)).ok, false);
    // a valid pair after an invalid one still fails the whole call
    assert.equal(addon.bn254Pairing(cat(g1, g2, g1, offCurve)).ok, false);
  });
});

describe('pairing kernel internals (BN254 and BLS12-381)', () => {
  it('agree with their plain definitions: x-chain final exponentiation, endomorphism subgroup tests, sparse lines', () => {
    for (const seed of [1, 0x5eed, 0xb15]) {
      const r = addon.pairingSelfCheck(seed);
      assert.deepEqual(r.failures, [], `seed ${seed}`);
      assert.ok(r.checks >= 40);
    }
  });
});
