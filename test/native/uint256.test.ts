// kernels/evm/uint256.h against BigInt: edge cases and seeded random operands, for every arithmetic opcode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadAddon } from '../../sequencer/native/addon.js';
import { seededRandom } from '../support/seeded-random.js';

const addon = loadAddon();
const M = 1n << 256n;
const MASK = M - 1n;

function word(v: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
}
function native(op: number, a: bigint, b: bigint, c = 0n): bigint {
  const abc = new Uint8Array(96);
  abc.set(word(a), 0);
  abc.set(word(b), 32);
  abc.set(word(c), 64);
  return BigInt(`0x${addon.evmU256(op, abc).toString('hex')}`);
}
const signed = (v: bigint) => (v >= 1n << 255n ? v - M : v);
const unsigned = (v: bigint) => ((v % M) + M) % M;

function expected(op: number, a: bigint, b: bigint, c: bigint): bigint {
  switch (op) {
    case 0x01: return (a + b) & MASK;
    case 0x02: return (a * b) & MASK;
    case 0x03: return unsigned(a - b);
    case 0x04: return b === 0n ? 0n : a / b;
    case 0x05: {
      if (b === 0n) return 0n;
      const q = signed(a) / signed(b); // BigInt division truncates toward zero, like SDIV
      return unsigned(q);
    }
    case 0x06: return b === 0n ? 0n : a % b;
    case 0x07: return b === 0n ? 0n : unsigned(signed(a) % signed(b));
    case 0x08: return c === 0n ? 0n : (a + b) % c;
    case 0x09: return c === 0n ? 0n : (a * b) % c;
    case 0x0a: {
      let r = 1n, base = a, e = b;
      while (e > 0n) {
        if (e & 1n) r = (r * base) & MASK;
        base = (base * base) & MASK;
        e >>= 1n;
      }
      return r;
    }
    case 0x0b: {
      if (a >= 31n) return b;
      const bits = (a + 1n) * 8n;
      const v = b & ((1n << bits) - 1n);
      return v >> (bits - 1n) ? unsigned(v - (1n << bits)) : v;
    }
    case 0x10: return a < b ? 1n : 0n;
    case 0x11: return a > b ? 1n : 0n;
    case 0x12: return signed(a) < signed(b) ? 1n : 0n;
    case 0x13: return signed(a) > signed(b) ? 1n : 0n;
    case 0x1a: return a >= 32n ? 0n : (b >> (8n * (31n - a))) & 0xffn;
    case 0x1b: return a >= 256n ? 0n : (b << a) & MASK;
    case 0x1c: return a >= 256n ? 0n : b >> a;
    case 0x1d: return a >= 256n ? (signed(b) < 0n ? MASK : 0n) : unsigned(signed(b) >> a);
  }
  throw new Error(`op ${op}`);
}

const OPS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x11, 0x12, 0x13, 0x1a, 0x1b, 0x1c, 0x1d];
const EDGES = [
  0n, 1n, 2n, 3n, 31n, 32n, 255n, 256n, 257n, (1n << 64n) - 1n, 1n << 64n, (1n << 64n) + 1n, (1n << 128n) - 1n, 1n << 128n,
  (1n << 192n) + 12345n, (1n << 255n) - 1n, 1n << 255n, (1n << 255n) + 1n, MASK - 1n, MASK, 0xffffffffn, 0x100000000n,
  0xffffffff00000000ffffffff00000000n, MASK / 3n, MASK / 7n,
];

function check(op: number, a: bigint, b: bigint, c: bigint): void {
  const got = native(op, a, b, c);
  const want = expected(op, a, b, c);
  assert.equal(got, want, `op 0x${op.toString(16)} a=0x${a.toString(16)} b=0x${b.toString(16)} c=0x${c.toString(16)}`);
}

describe('native uint256 (kernels/evm/uint256.h)', () => {
  it('matches BigInt on edge cases for every arithmetic opcode', () => {
    for (const op of OPS) for (const a of EDGES) for (const b of EDGES) check(op, a, b, EDGES[(Number(a % 25n) + 3) % EDGES.length]);
  });

  it('ADDMOD/MULMOD with 512-bit intermediates and every modulus size', () => {
    for (const a of EDGES) for (const b of EDGES) for (const c of [1n, 2n, 7n, MASK, MASK - 1n, 1n << 255n, (1n << 128n) + 1n, (1n << 64n) - 59n]) {
      check(0x08, a, b, c);
      check(0x09, a, b, c);
    }
  });

  it('DIV/MOD/SDIV/SMOD/MUL/ADDMOD/MULMOD at every operand limb width, including the small-divisor paths', () => {
    const rand = seededRandom(0xd1f457);
    const bits = (n: number): bigint => {
      // n bits with the top bit set; digit patterns that stress the quotient-digit corrections (all ones,
      // lone top bit, 32-bit halves at their limits) as often as uniform random ones.
      if (n === 0) return 0n;
      const shape = Math.floor(rand() * 4);
      const top = 1n << BigInt(n - 1);
      if (shape === 0) return (1n << BigInt(n)) - 1n;
      if (shape === 1) return top + BigInt(Math.floor(rand() * 3));
      let v = 0n;
      for (let i = 0; i < n; i += 16) v = (v << 16n) | BigInt(shape === 2 ? (rand() < 0.5 ? 0xffff : 0) : Math.floor(rand() * 0x10000));
      return (v & (top - 1n)) | top;
    };
    // A width inside limb count l (1..4): any bit length from 64(l-1)+1 to 64l.
    const ofLimbs = (l: number): bigint => bits(64 * (l - 1) + 1 + Math.floor(rand() * 64));
    let cases = 0;
    for (let la = 1; la <= 4; la++) {
      for (let lb = 1; lb <= 4; lb++) {
        for (let i = 0; i < 120; i++) {
          const a = ofLimbs(la);
          const b = ofLimbs(lb);
          const c = ofLimbs(1 + Math.floor(rand() * 4));
          for (const op of [0x02, 0x04, 0x05, 0x06, 0x07]) check(op, a, b, c);
          check(0x04, (a * b) & MASK, b, c); // x*y/z, the AMM shape: exact quotients
          check(0x06, ((a * b) & MASK) + 1n, b, c);
          check(0x08, a, c, b); // modulus of every width
          check(0x09, a, c, b);
          cases += 9;
        }
      }
    }
    // Largest remainders: a = q*b + (b-1), where each long-division step's partial remainder is at its maximum.
    for (let lb = 1; lb <= 4; lb++) {
      for (let i = 0; i < 200; i++) {
        const b = ofLimbs(lb);
        const a = ((MASK / b) * b + b - 1n) & MASK;
        check(0x04, a, b, 0n);
        check(0x06, a, b, 0n);
        check(0x09, MASK, MASK, b);
        cases += 3;
      }
    }
    assert.equal(cases, 16 * 120 * 9 + 4 * 200 * 3);
  });

  it('matches BigInt on seeded random operands of mixed widths', () => {
    const rand = seededRandom(0x5eed256);
    const rnd = (): bigint => {
      const bytes = 1 + Math.floor(rand() * 32);
      let v = 0n;
      for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(Math.floor(rand() * 256));
      return v;
    };
    for (let i = 0; i < 3000; i++) {
      const op = OPS[Math.floor(rand() * OPS.length)];
      let a = rnd();
      const b = rnd();
      const c = rnd();
      if ([0x0b, 0x1a, 0x1b, 0x1c, 0x1d].includes(op) && rand() < 0.7) a = BigInt(Math.floor(rand() * 300));
      check(op, a, b, c);
    }
  });
});
