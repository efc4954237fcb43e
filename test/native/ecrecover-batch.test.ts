// Batched sender recovery (recoverSendersBatch / recoverSendersBatchSync) against @noble/curves: random
// keys and hashes, recovery ids 0..3 (x = r + n included, checked with noble's point arithmetic), and
// every failure path (r, s out of range, x off the curve, bad recovery id, malformed buffers).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { loadAddon } from '../../sequencer/native/addon.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
const Point = secp256k1.Point;

function randBytes(rand: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}
function be(v: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}
const toBig = (b: Uint8Array) => BigInt('0x' + hex(b));
function modpow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const inv = (a: bigint, m: bigint) => modpow(((a % m) + m) % m, m - 2n, m);
const addressOf = (pub65: Uint8Array) => hex(keccak_256(pub65.subarray(1)).subarray(12));

interface Item {
  hash: Uint8Array;
  sig: Uint8Array; // r(32) s(32) recid(1)
  want: string | null; // hex address, null: no key
}

function pack(items: Item[]): { hashes: Uint8Array; sigs: Uint8Array } {
  const hashes = new Uint8Array(32 * items.length), sigs = new Uint8Array(65 * items.length);
  items.forEach((it, i) => {
    hashes.set(it.hash, 32 * i);
    sigs.set(it.sig, 65 * i);
  });
  return { hashes, sigs };
}

function check(items: Item[], res: { addresses: Buffer; ok: Uint8Array }) {
  assert.equal(res.addresses.length, 20 * items.length);
  assert.equal(res.ok.length, items.length);
  items.forEach((it, i) => {
    const got = hex(res.addresses.subarray(20 * i, 20 * i + 20));
    if (it.want === null) {
      assert.equal(res.ok[i], 0, `item ${i} should fail`);
      assert.equal(got, '00'.repeat(20), `item ${i}: zeros on failure`);
    } else {
      assert.equal(res.ok[i], 1, `item ${i} should recover`);
      assert.equal(got, it.want, `item ${i}`);
    }
  });
}

function signedItems(rand: () => number, count: number): Item[] {
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const priv = secp256k1.utils.randomSecretKey(randBytes(rand, 48));
    const hash = randBytes(rand, 32);
    const sig = secp256k1.Signature.fromBytes(secp256k1.sign(hash, priv, { prehash: false, format: 'recovered' }), 'recovered');
    const packed = new Uint8Array(65);
    packed.set(be(sig.r, 32), 0);
    packed.set(be(sig.s, 32), 32);
    packed[64] = sig.recovery!;
    items.push({ hash, sig: packed, want: addressOf(secp256k1.getPublicKey(priv, false)) });
  }
  return items;
}

// Q = r^-1 (s R - z G) with R = (x, y of parity recid & 1), x = r + n when recid & 2: noble point arithmetic.
function referenceRecover(hash: Uint8Array, r: bigint, s: bigint, recid: number): string | null {
  if (r === 0n || s === 0n || r >= N || s >= N || recid > 3) return null;
  const x = recid & 2 ? r + N : r;
  if (x >= P) return null;
  const y2 = (x * x * x + 7n) % P;
  let y = modpow(y2, (P + 1n) / 4n, P);
  if ((y * y) % P !== y2) return null;
  if ((y & 1n) !== BigInt(recid & 1)) y = P - y;
  const R = Point.fromAffine({ x, y });
  const z = toBig(hash) % N;
  const rinv = inv(r, N);
  const u1 = (N - ((z * rinv) % N)) % N, u2 = (s * rinv) % N;
  const Q = Point.BASE.multiplyUnsafe(u1).add(R.multiplyUnsafe(u2));
  if (Q.equals(Point.ZERO)) return null;
  return addressOf(Q.toBytes(false));
}

describe('native batched sender recovery', () => {
  it('matches @noble/curves signatures on random keys (seeded), sync and async', async () => {
    const items = signedItems(seededRandom(0x5e11de25), 200);
    const { hashes, sigs } = pack(items);
    check(items, addon.recoverSendersBatchSync(hashes, sigs));
    check(items, await addon.recoverSendersBatch(hashes, sigs));
  });

  it('recovers ids 2 and 3 (R.x = r + n) like the reference point arithmetic (seeded)', () => {
    const rand = seededRandom(0x23);
    const items: Item[] = [];
    let found = 0;
    while (found < 12) {
      // r < p - n (about 2^128) so that r + n is still a field element; keep those with x on the curve.
      const r = toBig(randBytes(rand, 16)) % (P - N);
      const x = r + N;
      const y2 = (x * x * x + 7n) % P;
      if (modpow(y2, (P - 1n) / 2n, P) !== 1n) continue;
      found++;
      const s = (toBig(randBytes(rand, 32)) % (N - 1n)) + 1n;
      const hash = randBytes(rand, 32);
      for (const recid of [2, 3, 0, 1]) {
        const sig = new Uint8Array(65);
        sig.set(be(r, 32), 0);
        sig.set(be(s, 32), 32);
        sig[64] = recid;
        items.push({ hash, sig, want: referenceRecover(hash, r, s, recid) });
      }
    }
    assert.ok(items.some((it) => it.want !== null && it.sig[64] >= 2));
    const { hashes, sigs } = pack(items);
    check(items, addon.recoverSendersBatchSync(hashes, sigs));
  });

  it('agrees with the reference on random (unsigned) r, s, hash triples, hash >= n included (seeded)', () => {
    const rand = seededRandom(0xabc);
    const items: Item[] = [];
    for (let i = 0; i < 60; i++) {
      const r = toBig(randBytes(rand, 32)), s = toBig(randBytes(rand, 32));
      const hash = i % 10 === 0 ? be(N + BigInt(i), 32) : randBytes(rand, 32);
      const recid = Math.floor(rand() * 2);
      const sig = new Uint8Array(65);
      sig.set(be(r, 32), 0);
      sig.set(be(s, 32), 32);
      sig[64] = recid;
      items.push({ hash, sig, want: referenceRecover(hash, r, s, recid) });
    }
    assert.ok(items.some((it) => it.want === null) && items.some((it) => it.want !== null));
    const { hashes, sigs } = pack(items);
    check(items, addon.recoverSendersBatchSync(hashes, sigs));
  });

  it('fails exactly the invalid items of a mixed batch', () => {
    const good = signedItems(seededRandom(7), 3);
    const bad = (f: (sig: Uint8Array) => void): Item => {
      const sig = Uint8Array.from(good[0].sig);
      f(sig);
      return { hash: good[0].hash, sig, want: null };
    };
    let offCurve = 5n;
    while (modpow((offCurve ** 3n + 7n) % P, (P - 1n) / 2n, P) === 1n) offCurve++;
    const items: Item[] = [
      good[0],
      bad((s) => s.fill(0, 0, 32)), // r = 0
      bad((s) => s.fill(0, 32, 64)), // s = 0
      bad((s) => s.set(be(N, 32), 0)), // r = n
      bad((s) => s.set(be(N, 32), 32)), // s = n
      bad((s) => (s[64] = 4)), // recovery id out of range
      bad((s) => (s[64] = 27)), // a raw v is not a recovery id
      bad((s) => s.set(be(offCurve, 32), 0)), // x off the curve
      bad((s) => {
        s.set(be(P - N, 32), 0); // r + n = p: not a field element
        s[64] = 2;
      }),
      good[1],
      good[2],
    ];
    const { hashes, sigs } = pack(items);
    check(items, addon.recoverSendersBatchSync(hashes, sigs));
  });

  it('handles an empty batch and a batch larger than the thread chunking', async () => {
    const empty = addon.recoverSendersBatchSync(new Uint8Array(0), new Uint8Array(0));
    assert.equal(empty.addresses.length, 0);
    assert.equal(empty.ok.length, 0);
    const items = signedItems(seededRandom(99), 37);
    const many = Array.from({ length: 700 }, (_, i) => items[i % items.length]);
    const { hashes, sigs } = pack(many);
    check(many, await addon.recoverSendersBatch(hashes, sigs));
  });

  it('serves concurrent async batches, each with its own result, and copies its inputs', async () => {
    const batches = [11, 12, 13, 14].map((seed) => signedItems(seededRandom(seed), 40));
    const packed = batches.map(pack);
    const pending = packed.map(({ hashes, sigs }) => addon.recoverSendersBatch(hashes, sigs));
    for (const { hashes, sigs } of packed) {
      hashes.fill(0); // the caller may reuse its buffers as soon as the call returns
      sigs.fill(0);
    }
    const results = await Promise.all(pending);
    results.forEach((res, i) => check(batches[i], res));
  });

  it('rejects malformed buffers with clear errors', () => {
    assert.throws(() => addon.recoverSendersBatchSync(new Uint8Array(31), new Uint8Array(65)), /multiple of 32/);
    assert.throws(() => addon.recoverSendersBatchSync(new Uint8Array(32), new Uint8Array(64)), /65 bytes per hash/);
    assert.throws(() => addon.recoverSendersBatchSync('x' as never, new Uint8Array(65)), TypeError);
    assert.throws(() => addon.recoverSendersBatch(new Uint8Array(64), new Uint8Array(65)), /65 bytes per hash/);
  });
});
