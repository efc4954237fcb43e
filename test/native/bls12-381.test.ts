// EIP-2537 BLS12-381 precompiles (0x0b..0x11) through the native dispatcher (runPrecompileAt at Prague),
// differential against independent oracles on seeded random inputs: @noble/curves for outputs and validity
// (curve, subgroup), @ethereumjs/evm's EIP-2537 precompiles for gas; and random invalid encodings, each
// expected to fail with the error its construction implies.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Common, Hardfork, Mainnet } from '@ethereumjs/common';
import { createEVM, type EVM } from '@ethereumjs/evm';
import { createAddressFromString } from '@ethereumjs/util';
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { loadAddon, type PrecompileCall } from '../../sequencer/native/addon.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const { Fp, Fp2, Fp12 } = bls.fields;
const P = Fp.ORDER;
const R = bls.fields.Fr.ORDER;
type G1P = ReturnType<typeof bls.G1.Point.fromAffine>;
type G2P = ReturnType<typeof bls.G2.Point.fromAffine>;
type Fp2T = ReturnType<typeof Fp2.create>;
const G1 = bls.G1.Point;
const G2 = bls.G2.Point;

const ID = { G1ADD: 0x0b, G1MSM: 0x0c, G2ADD: 0x0d, G2MSM: 0x0e, PAIRING: 0x0f, MAP_G1: 0x10, MAP_G2: 0x11 } as const;
const ERR = {
  length: 'invalid input length',
  topBytes: 'invalid field element top bytes',
  notCanonical: 'invalid fp.Element encoding',
  notOnCurve: 'invalid point: not on curve',
  notInSubgroup: 'point is not on correct subgroup',
};

const rand = seededRandom(0x2537);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const cat = (...parts: Uint8Array[]) => Buffer.concat(parts);
const address = (id: number) => Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? id : 0));
const call = (id: number, input: Uint8Array): PrecompileCall => addon.runPrecompileAt(address(id), 'Prague', input);

function randBig(bytes: number): bigint {
  let v = 0n;
  for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(Math.floor(rand() * 256));
  return v;
}
const randFp = () => randBig(56) % P;
const randScalar = () => randBig(32) % R;

const be = (v: bigint, len: number) => Buffer.from(v.toString(16).padStart(2 * len, '0'), 'hex');
const fp = (v: bigint) => be(v, 64);
const fp2 = (v: Fp2T) => cat(fp(v.c0), fp(v.c1));
function encG1(p: G1P): Buffer {
  if (p.is0()) return Buffer.alloc(128);
  const a = p.toAffine();
  return cat(fp(a.x), fp(a.y));
}
function encG2(p: G2P): Buffer {
  if (p.is0()) return Buffer.alloc(256);
  const a = p.toAffine();
  return cat(fp2(a.x), fp2(a.y));
}

const g1 = () => G1.BASE.multiply(1n + (randScalar() % (R - 1n)));
const g2 = () => G2.BASE.multiply(1n + (randScalar() % (R - 1n)));
// A curve point outside the order-r subgroup (random x until x^3 + b is a square).
function g1Outside(): G1P {
  for (;;) {
    const x = randFp();
    try {
      const p = G1.fromAffine({ x, y: Fp.sqrt(Fp.add(Fp.pow(x, 3n), 4n)) });
      if (!p.isTorsionFree()) return p;
    } catch {
      // x^3 + 4 is no square: next x
    }
  }
}
function g2Outside(): G2P {
  const b = Fp2.create({ c0: 4n, c1: 4n });
  for (;;) {
    const x = Fp2.create({ c0: randFp(), c1: randFp() });
    try {
      const p = G2.fromAffine({ x, y: Fp2.sqrt(Fp2.add(Fp2.pow(x, 3n), b)) });
      if (!p.isTorsionFree()) return p;
    } catch {
      // no square: next x
    }
  }
}

function assertOk(r: PrecompileCall, want: Uint8Array, what: string): void {
  assert.equal(r.ok, true, `${what}: failed with ${r.error}`);
  assert.equal(hex(r.output), hex(want), what);
}
function assertFails(r: PrecompileCall, error: string, what: string): void {
  assert.equal(r.ok, false, `${what}: succeeded, expected "${error}"`);
  assert.equal(r.error, error, what);
  assert.equal(r.output.length, 0, what);
}

// Gas oracle: @ethereumjs/evm at Prague runs the same input (its EIP-2537 precompiles use @noble/curves).
let evm: EVM;
async function ejsGas(id: number, input: Uint8Array): Promise<bigint> {
  const res = await evm.runCall({ to: createAddressFromString('0x' + hex(address(id))), data: input, gasLimit: 10n ** 12n });
  assert.equal(res.execResult.exceptionError, undefined, `@ethereumjs/evm failed on precompile ${id}`);
  return res.execResult.executionGasUsed;
}

before(async () => {
  evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Prague }) });
});

describe('EIP-2537 addresses', () => {
  it('exist from Prague only', () => {
    for (let id = 0x0b; id <= 0x11; id++) {
      assert.equal(addon.precompileIdOf(address(id)), 0);
      assert.equal(addon.precompileIdOf(address(id), 'Cancun'), 0);
      assert.equal(addon.precompileIdOf(address(id), 'Prague'), id);
      assert.equal(addon.precompileIdOf(address(id), 'Osaka'), id);
      assert.throws(() => addon.runPrecompileAt(address(id), 'Cancun', new Uint8Array()), /no precompile at Cancun/);
    }
    assert.equal(addon.precompileIdOf(address(0x12), 'Osaka'), 0);
  });
});

describe('G1ADD / G2ADD against @noble/curves', () => {
  it('adds random points, inside and outside the subgroup, doublings, inverses and infinity', () => {
    for (let i = 0; i < 24; i++) {
      const a = i % 4 === 0 ? g1Outside() : g1();
      const b = [() => g1(), () => g1Outside(), () => a, () => a.negate(), () => G1.ZERO][i % 5]();
      const r = call(ID.G1ADD, cat(encG1(a), encG1(b)));
      assertOk(r, encG1(a.add(b)), `G1 case ${i}`);
      assert.equal(r.gasUsed, 375n);
    }
    for (let i = 0; i < 12; i++) {
      const a = i % 4 === 0 ? g2Outside() : g2();
      const b = [() => g2(), () => g2Outside(), () => a, () => a.negate(), () => G2.ZERO][i % 5]();
      const r = call(ID.G2ADD, cat(encG2(a), encG2(b)));
      assertOk(r, encG2(a.add(b)), `G2 case ${i}`);
      assert.equal(r.gasUsed, 600n);
    }
  });
});

// Scalars: random, 0, r, r + 1 and 2^256 - 1 (the precompile takes any 256-bit scalar).
function msmScalar(i: number): bigint {
  return [0n, R, R + 1n, 2n ** 256n - 1n][i % 11] ?? randBig(32);
}

describe('G1MSM / G2MSM against @noble/curves, gas against @ethereumjs/evm', () => {
  // 1..7 pairs take the windowed path, 8+ Pippenger; 130 crosses the 128-point chunk.
  for (const k of [1, 2, 7, 8, 9, 33, 130]) {
    it(`G1, ${k} pairs`, async () => {
      let sum = G1.ZERO;
      const parts: Buffer[] = [];
      for (let i = 0; i < k; i++) {
        const p = i % 13 === 5 ? G1.ZERO : g1();
        const s = msmScalar(i + k);
        sum = sum.add(s % R === 0n || p.is0() ? G1.ZERO : p.multiply(s % R));
        parts.push(encG1(p), be(s, 32));
      }
      const input = cat(...parts);
      const r = call(ID.G1MSM, input);
      assertOk(r, encG1(sum), `G1MSM k=${k}`);
      assert.equal(r.gasUsed, await ejsGas(ID.G1MSM, input));
    });
  }
  for (const k of [1, 3, 8, 130]) {
    it(`G2, ${k} pairs`, async () => {
      // k distinct multiples of one random point keep noble's share of the time small.
      const base = g2();
      let sum = G2.ZERO;
      const parts: Buffer[] = [];
      let p = base;
      for (let i = 0; i < k; i++) {
        p = p.add(base);
        const s = msmScalar(i + k);
        sum = sum.add(s % R === 0n ? G2.ZERO : p.multiply(s % R));
        parts.push(encG2(p), be(s, 32));
      }
      const input = cat(...parts);
      const r = call(ID.G2MSM, input);
      assertOk(r, encG2(sum), `G2MSM k=${k}`);
      assert.equal(r.gasUsed, await ejsGas(ID.G2MSM, input));
    });
  }
  it('prices every pair count from 1 to 140 as @ethereumjs/evm does (infinity inputs)', async () => {
    for (let k = 1; k <= 140; k += k < 20 ? 1 : 7) {
      const g1In = Buffer.alloc(160 * k);
      const g2In = Buffer.alloc(288 * k);
      const a = call(ID.G1MSM, g1In);
      const b = call(ID.G2MSM, g2In);
      assertOk(a, Buffer.alloc(128), `G1MSM k=${k}`);
      assertOk(b, Buffer.alloc(256), `G2MSM k=${k}`);
      assert.equal(a.gasUsed, await ejsGas(ID.G1MSM, g1In), `G1MSM gas k=${k}`);
      assert.equal(b.gasUsed, await ejsGas(ID.G2MSM, g2In), `G2MSM gas k=${k}`);
    }
  });
});

describe('PAIRING_CHECK against @noble/curves', () => {
  it('checks products that are 1 and random ones that are not, with infinity pairs', async () => {
    for (let i = 0; i < 8; i++) {
      const pairs: { g1: G1P; g2: G2P }[] = [];
      const a = randScalar() || 1n, b = randScalar() || 1n;
      const P1 = G1.BASE.multiply(a), Q1 = G2.BASE.multiply(b);
      if (i % 2 === 0) {
        // e(aG1, bG2) e(-ab G1, G2) = 1
        pairs.push({ g1: P1, g2: Q1 }, { g1: G1.BASE.multiply((a * b) % R).negate(), g2: G2.BASE });
      } else {
        pairs.push({ g1: P1, g2: Q1 }, { g1: g1(), g2: G2.BASE });
      }
      if (i % 3 === 0) pairs.push({ g1: G1.ZERO, g2: g2() }, { g1: g1(), g2: G2.ZERO });
      const input = cat(...pairs.map((x) => cat(encG1(x.g1), encG2(x.g2))));
      const live = pairs.filter((x) => !x.g1.is0() && !x.g2.is0());
      const one = Fp12.eql(bls.pairingBatch(live), Fp12.ONE);
      assert.equal(one, i % 2 === 0);
      const r = call(ID.PAIRING, input);
      assertOk(r, be(one ? 1n : 0n, 32), `pairing case ${i}`);
      assert.equal(r.gasUsed, 37700n + 32600n * BigInt(pairs.length));
      assert.equal(r.gasUsed, await ejsGas(ID.PAIRING, input));
    }
  });
  it('a lone pair with infinity is 1', () => {
    assertOk(call(ID.PAIRING, cat(encG1(G1.ZERO), encG2(g2()))), be(1n, 32), 'e(O, Q)');
  });
});

// @noble/curves 2.x types mapToCurve as taking an array and returning an affine point; at run time it takes
// the field element itself (bigint, or [c0, c1] for Fp2) and returns a projective point.
const mapG1 = bls.G1.mapToCurve as unknown as (u: bigint) => G1P;
const mapG2 = bls.G2.mapToCurve as unknown as (u: [bigint, bigint]) => G2P;

describe('MAP_FP_TO_G1 / MAP_FP2_TO_G2 against @noble/curves', () => {
  it('maps random and edge field elements as RFC 9380 map_to_curve + clear_cofactor', () => {
    for (const u of [0n, 1n, P - 1n, ...Array.from({ length: 20 }, randFp)]) {
      const r = call(ID.MAP_G1, fp(u));
      assertOk(r, encG1(mapG1(u)), `map G1 u=${u.toString(16)}`);
      assert.equal(r.gasUsed, 5500n);
    }
    const edges: [bigint, bigint][] = [[0n, 0n], [1n, 0n], [0n, 1n], [P - 1n, P - 1n]];
    for (const [c0, c1] of [...edges, ...Array.from({ length: 8 }, (): [bigint, bigint] => [randFp(), randFp()])]) {
      const r = call(ID.MAP_G2, cat(fp(c0), fp(c1)));
      assertOk(r, encG2(mapG2([c0, c1])), `map G2 u=(${c0.toString(16)}, ${c1.toString(16)})`);
      assert.equal(r.gasUsed, 23800n);
    }
  });
});

// One valid input per precompile and where its field elements sit, to corrupt.
interface Shape {
  id: number;
  valid: () => Buffer;
  /** Byte offsets of the field elements of the input (64 bytes each). */
  elements: (len: number) => number[];
  /** Byte offsets of the points (x then y), with their group and whether the subgroup is checked. */
  points: (len: number) => { at: number; g2: boolean }[];
  subgroup: boolean;
  lengths: number[];
}
const range = (n: number, step: number, from = 0) => Array.from({ length: n }, (_, i) => from + i * step);
const SHAPES: Shape[] = [
  { id: ID.G1ADD, valid: () => cat(encG1(g1()), encG1(g1())), elements: () => range(4, 64), points: () => range(2, 128).map((at) => ({ at, g2: false })), subgroup: false, lengths: [0, 255, 257, 384] },
  { id: ID.G2ADD, valid: () => cat(encG2(g2()), encG2(g2())), elements: () => range(8, 64), points: () => range(2, 256).map((at) => ({ at, g2: true })), subgroup: false, lengths: [0, 511, 513, 256] },
  {
    id: ID.G1MSM, valid: () => cat(encG1(g1()), be(randBig(32), 32), encG1(g1()), be(randBig(32), 32)),
    elements: (len) => range(len / 160, 160).flatMap((at) => [at, at + 64]), points: (len) => range(len / 160, 160).map((at) => ({ at, g2: false })), subgroup: true, lengths: [0, 159, 161, 320 - 1],
  },
  {
    id: ID.G2MSM, valid: () => cat(encG2(g2()), be(randBig(32), 32)),
    elements: () => range(4, 64), points: () => [{ at: 0, g2: true }], subgroup: true, lengths: [0, 287, 289, 576 + 1],
  },
  {
    id: ID.PAIRING, valid: () => cat(encG1(g1()), encG2(g2()), encG1(g1()), encG2(g2())),
    elements: (len) => range(len / 384, 384).flatMap((at) => [...range(2, 64, at), ...range(4, 64, at + 128)]),
    points: (len) => range(len / 384, 384).flatMap((at) => [{ at, g2: false }, { at: at + 128, g2: true }]), subgroup: true, lengths: [0, 383, 385, 767],
  },
  { id: ID.MAP_G1, valid: () => fp(randFp()), elements: () => [0], points: () => [], subgroup: false, lengths: [0, 63, 65, 128] },
  { id: ID.MAP_G2, valid: () => cat(fp(randFp()), fp(randFp())), elements: () => [0, 64], points: () => [], subgroup: false, lengths: [0, 127, 129, 64] },
];

describe('invalid encodings (random corruptions of valid inputs)', () => {
  for (const s of SHAPES) {
    it(`0x${s.id.toString(16)}: lengths, top bytes, non-canonical elements, off-curve and off-subgroup points`, () => {
      const base = s.valid();
      assert.equal(call(s.id, base).ok, true, 'the uncorrupted input succeeds');
      for (const len of s.lengths) assertFails(call(s.id, Buffer.alloc(len, 1)), ERR.length, `length ${len}`);
      const elems = s.elements(base.length);
      for (let i = 0; i < 6; i++) {
        const at = elems[Math.floor(rand() * elems.length)];
        const top = Buffer.from(base);
        top[at + Math.floor(rand() * 16)] = 1 + Math.floor(rand() * 255);
        assertFails(call(s.id, top), ERR.topBytes, `top byte of element at ${at}`);
        const big = Buffer.from(base);
        be(P + randBig(40) % (2n ** 384n - P), 64).copy(big, at);
        assertFails(call(s.id, big), ERR.notCanonical, `element >= p at ${at}`);
      }
      for (const pt of s.points(base.length)) {
        // y + 1: off the curve (noble agrees), unless that makes it all zero, which cannot happen here
        const off = Buffer.from(base);
        const yAt = pt.at + (pt.g2 ? 128 : 64);
        const y = BigInt('0x' + hex(off.subarray(yAt + 16, yAt + 64)));
        fp((y + 1n) % P).copy(off, yAt);
        assert.throws(() => (pt.g2 ? g2FromBytes(off, pt.at) : g1FromBytes(off, pt.at)).assertValidity(), /left != right/);
        assertFails(call(s.id, off), ERR.notOnCurve, `point at ${pt.at} off the curve`);
        // a curve point outside the subgroup
        const outside = Buffer.from(base);
        (pt.g2 ? encG2(g2Outside()) : encG1(g1Outside())).copy(outside, pt.at);
        const r = call(s.id, outside);
        if (s.subgroup) assertFails(r, ERR.notInSubgroup, `point at ${pt.at} outside the subgroup`);
        else assert.equal(r.ok, true, `ADD takes points outside the subgroup (${r.error})`);
      }
    });
  }
});

function g1FromBytes(b: Buffer, at: number): G1P {
  const x = BigInt('0x' + hex(b.subarray(at, at + 64)));
  const y = BigInt('0x' + hex(b.subarray(at + 64, at + 128)));
  return G1.fromAffine({ x, y });
}
function g2FromBytes(b: Buffer, at: number): G2P {
  const e = (o: number) => BigInt('0x' + hex(b.subarray(at + o, at + o + 64)));
  return G2.fromAffine({ x: Fp2.create({ c0: e(0), c1: e(64) }), y: Fp2.create({ c0: e(128), c1: e(192) }) });
}
