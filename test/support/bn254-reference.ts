/**
 * EIP-196/197 semantics on top of @noble/curves' bn254, as the oracle for the native precompiles.
 * Each function takes the raw call input (right-padded with zeros / truncated to the fixed size for add and
 * mul, as the EVM does) and returns { ok, output }: ok false means the call fails.
 */
import { bn254 } from '@noble/curves/bn254.js';

export const P = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
export const N = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
const Fp12 = bn254.fields.Fp12;
type G1P = InstanceType<typeof G1>;
type G2P = InstanceType<typeof G2>;

export interface Result {
  ok: boolean;
  output: Uint8Array;
}
const FAIL: Result = { ok: false, output: new Uint8Array(0) };

export const word = (b: Uint8Array, i: number) => BigInt('0x' + (Buffer.from(b.subarray(32 * i, 32 * i + 32)).toString('hex') || '0'));
export const be32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
export function padded(input: Uint8Array, size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(input.subarray(0, size));
  return b;
}

export function g1From(x: bigint, y: bigint): G1P | undefined {
  if (x >= P || y >= P) return undefined;
  if (x === 0n && y === 0n) return G1.ZERO;
  try {
    const p = G1.fromAffine({ x, y });
    p.assertValidity();
    return p;
  } catch {
    return undefined;  // noble rejects such coordinates (off the curve) in fromAffine or assertValidity
  }
}

export function g2From(xi: bigint, xr: bigint, yi: bigint, yr: bigint): G2P | undefined {
  if ([xi, xr, yi, yr].some((v) => v >= P)) return undefined;
  if (xi === 0n && xr === 0n && yi === 0n && yr === 0n) return G2.ZERO;
  const Fp2 = bn254.fields.Fp2;
  const x = Fp2.create({ c0: xr, c1: xi });
  const y = Fp2.create({ c0: yr, c1: yi });
  // on the twist y^2 = x^3 + 3 / (9 + u), then in the order-N subgroup
  const b = Fp2.div(Fp2.create({ c0: 3n, c1: 0n }), Fp2.create({ c0: 9n, c1: 1n }));
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), b))) return undefined;
  const q = G2.fromAffine({ x, y });
  if (!q.multiplyUnsafe(N - 1n).negate().equals(q)) return undefined;
  return q;
}

export function encodeG1(p: G1P): Uint8Array {
  if (p.is0()) return new Uint8Array(64);
  const a = p.toAffine();
  return Buffer.concat([be32(a.x), be32(a.y)]);
}

export function encodeG2(q: G2P): Uint8Array {
  if (q.is0()) return new Uint8Array(128);
  const a = q.toAffine();
  return Buffer.concat([be32(a.x.c1), be32(a.x.c0), be32(a.y.c1), be32(a.y.c0)]);
}

export function refAdd(input: Uint8Array): Result {
  const b = padded(input, 128);
  const p = g1From(word(b, 0), word(b, 1));
  const q = g1From(word(b, 2), word(b, 3));
  if (!p || !q) return FAIL;
  return { ok: true, output: encodeG1(p.add(q)) };
}

export function refMul(input: Uint8Array): Result {
  const b = padded(input, 96);
  const p = g1From(word(b, 0), word(b, 1));
  if (!p) return FAIL;
  const k = word(b, 2) % N;
  return { ok: true, output: encodeG1(k === 0n || p.is0() ? G1.ZERO : p.multiplyUnsafe(k)) };
}

export function refPairing(input: Uint8Array): Result {
  if (input.length % 192 !== 0) return FAIL;
  const pairs: { g1: G1P; g2: G2P }[] = [];
  for (let off = 0; off < input.length; off += 192) {
    const b = input.subarray(off, off + 192);
    const p = g1From(word(b, 0), word(b, 1));
    const q = g2From(word(b, 2), word(b, 3), word(b, 4), word(b, 5));
    if (!p || !q) return FAIL;
    if (!p.is0() && !q.is0()) pairs.push({ g1: p, g2: q });
  }
  const one = pairs.length === 0 || Fp12.eql(bn254.pairingBatch(pairs), Fp12.ONE);
  return { ok: true, output: be32(one ? 1n : 0n) };
}

export { G1, G2 };
