// 256-bit unsigned integers for the EVM: four 64-bit limbs, least significant first. Header-only HD code
// (host and CUDA device compile the same source). Division is Knuth's algorithm D on 64-bit limbs with
// reciprocal-based quotient estimates, which also serves ADDMOD/MULMOD (512-bit intermediate); one-limb
// divisors take plain long division.
#pragma once
#include "../common/hd.h"

namespace kern {
namespace evm {

struct u256 {
  uint64_t w[4];
};

HD_INLINE u256 u256_zero() { return u256{{0, 0, 0, 0}}; }
HD_INLINE u256 u256_from(uint64_t v) { return u256{{v, 0, 0, 0}}; }
HD_INLINE u256 u256_max() { return u256{{~0ULL, ~0ULL, ~0ULL, ~0ULL}}; }
HD_INLINE bool is_zero(const u256& a) { return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0; }
HD_INLINE bool eq(const u256& a, const u256& b) {
  return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] && a.w[3] == b.w[3];
}
HD_INLINE bool lt(const u256& a, const u256& b) {
  for (int i = 3; i >= 0; --i)
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i];
  return false;
}
HD_INLINE bool gt(const u256& a, const u256& b) { return lt(b, a); }
HD_INLINE bool is_neg(const u256& a) { return (a.w[3] >> 63) != 0; }
HD_INLINE bool slt(const u256& a, const u256& b) {
  bool na = is_neg(a), nb = is_neg(b);
  if (na != nb) return na;
  return lt(a, b);
}
// Whether the value fits in 64 bits.
HD_INLINE bool fits64(const u256& a) { return (a.w[1] | a.w[2] | a.w[3]) == 0; }

HD_INLINE u256 add(const u256& a, const u256& b, bool* carry_out = nullptr) {
  u256 r;
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t s = a.w[i] + b.w[i];
    uint64_t c1 = s < a.w[i];
    uint64_t s2 = s + carry;
    uint64_t c2 = s2 < s;
    r.w[i] = s2;
    carry = c1 | c2;
  }
  if (carry_out) *carry_out = carry != 0;
  return r;
}
HD_INLINE u256 sub(const u256& a, const u256& b, bool* borrow_out = nullptr) {
  u256 r;
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t d = a.w[i] - b.w[i];
    uint64_t b1 = a.w[i] < b.w[i];
    uint64_t d2 = d - borrow;
    uint64_t b2 = d < borrow;
    r.w[i] = d2;
    borrow = b1 | b2;
  }
  if (borrow_out) *borrow_out = borrow != 0;
  return r;
}
HD_INLINE u256 bnot(const u256& a) { return u256{{~a.w[0], ~a.w[1], ~a.w[2], ~a.w[3]}}; }
HD_INLINE u256 neg(const u256& a) { return sub(u256_zero(), a); }
HD_INLINE u256 band(const u256& a, const u256& b) {
  return u256{{a.w[0] & b.w[0], a.w[1] & b.w[1], a.w[2] & b.w[2], a.w[3] & b.w[3]}};
}
HD_INLINE u256 bor(const u256& a, const u256& b) {
  return u256{{a.w[0] | b.w[0], a.w[1] | b.w[1], a.w[2] | b.w[2], a.w[3] | b.w[3]}};
}
HD_INLINE u256 bxor(const u256& a, const u256& b) {
  return u256{{a.w[0] ^ b.w[0], a.w[1] ^ b.w[1], a.w[2] ^ b.w[2], a.w[3] ^ b.w[3]}};
}

// 64x64 -> 128.
HD_INLINE uint64_t mul64(uint64_t a, uint64_t b, uint64_t* hi) {
#if defined(__CUDA_ARCH__)
  *hi = __umul64hi(a, b);
  return a * b;
#else
  unsigned __int128 p = (unsigned __int128)a * b;
  *hi = (uint64_t)(p >> 64);
  return (uint64_t)p;
#endif
}

// Full product of two n-limb numbers into r[2n] (n <= 4).
HD_INLINE void mul_full(const uint64_t* a, const uint64_t* b, uint64_t* r) {
  for (int i = 0; i < 8; ++i) r[i] = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; j < 4; ++j) {
      uint64_t hi;
      uint64_t lo = mul64(a[i], b[j], &hi);
      uint64_t t = r[i + j] + lo;
      hi += t < lo;
      t += carry;
      hi += t < carry;
      r[i + j] = t;
      carry = hi;
    }
    r[i + 4] = carry;
  }
}

HD_INLINE u256 mul(const u256& a, const u256& b) {
  u256 r = u256_zero();
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; i + j < 4; ++j) {
      uint64_t hi;
      uint64_t lo = mul64(a.w[i], b.w[j], &hi);
      uint64_t t = r.w[i + j] + lo;
      hi += t < lo;
      t += carry;
      hi += t < carry;
      r.w[i + j] = t;
      carry = hi;
    }
  }
  return r;
}

HD_INLINE int clz64(uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __clzll((long long)x);
#else
  return x == 0 ? 64 : __builtin_clzll(x);
#endif
}

// 128/64 -> 64 division: (hi:lo) / d with d normalized (top bit set) and hi < d, so the quotient fits 64 bits.
// Two 64/32 digit steps (Hacker's Delight divlu) rather than unsigned __int128, which device code lacks; the
// host runs the same code so the tests cover what the GPU runs.
HD_INLINE uint64_t div128by64_norm(uint64_t hi, uint64_t lo, uint64_t d, uint64_t* rem) {
  const uint64_t b = 1ULL << 32;
  uint64_t d1 = d >> 32, d0 = d & 0xffffffffULL;
  uint64_t l1 = lo >> 32, l0 = lo & 0xffffffffULL;
  uint64_t q1 = hi / d1, rhat = hi - q1 * d1;
  while (q1 >= b || q1 * d0 > ((rhat << 32) | l1)) {
    q1--;
    rhat += d1;
    if (rhat >= b) break;
  }
  uint64_t mid = (hi << 32) + l1 - q1 * d;  // (hi:l1) - q1*d, which is < d
  uint64_t q0 = mid / d1;
  rhat = mid - q0 * d1;
  while (q0 >= b || q0 * d0 > ((rhat << 32) | l0)) {
    q0--;
    rhat += d1;
    if (rhat >= b) break;
  }
  *rem = (mid << 32) + l0 - q0 * d;
  return (q1 << 32) | q0;
}

// Reciprocal of a normalized divisor, floor((2^128 - 1) / d) - 2^64, for div_by_reciprocal.
HD_INLINE uint64_t reciprocal64(uint64_t d) {
  uint64_t r;
  return div128by64_norm(~d, ~0ULL, d, &r);
}
// (hi:lo) / d with hi < d, d normalized, v = reciprocal64(d): two multiplications and at most two
// corrections instead of a division (Moller and Granlund, "Improved division by invariant integers", alg. 4).
HD_FORCE_INLINE uint64_t div_by_reciprocal(uint64_t hi, uint64_t lo, uint64_t d, uint64_t v, uint64_t* rem) {
  uint64_t qh, ql = mul64(v, hi, &qh);
  uint64_t sum = ql + lo;
  qh += hi + (sum < ql) + 1;
  uint64_t r = lo - qh * d;
  if (r > sum) {  // the estimate was one too big
    qh--;
    r += d;
  }
  if (r >= d) {  // one too small (rare)
    qh++;
    r -= d;
  }
  *rem = r;
  return qh;
}

// num[0..nl) / d for a one-limb divisor (d != 0): long division, one 128/64 step per limb through the
// divisor's reciprocal (one division for the whole number). The divisor is normalized once and the numerator
// shifted on the fly. Quotient into q[0..nl), remainder returned.
HD inline uint64_t divmod_limb(const uint64_t* num, int nl, uint64_t d, uint64_t* q) {
  int s = clz64(d);
  uint64_t dn = d << s;
  uint64_t v = reciprocal64(dn);
  uint64_t r = s ? num[nl - 1] >> (64 - s) : 0;  // < 2^s <= dn
  for (int i = nl - 1; i >= 0; --i) {
    uint64_t lo = num[i] << s;
    if (s && i > 0) lo |= num[i - 1] >> (64 - s);
    q[i] = div_by_reciprocal(r, lo, dn, v, &r);
  }
  return r >> s;
}

// Knuth D on 64-bit limbs: u[0..m) / v[0..n) (least significant first), 2 <= n <= m <= 8, v[n-1] != 0.
// q gets m-n+1 limbs, r gets n. Each quotient limb is estimated from the top two limbs of the partial
// remainder through the divisor's reciprocal (no hardware division in the loop), refined with the divisor's
// second limb, so it is at most one too big (two where the top limbs are equal and it starts at 2^64-1):
// the add-back loop fixes that.
HD inline void knuth_divmod(const uint64_t* u, int m, const uint64_t* v, int n, uint64_t* q, uint64_t* r) {
  uint64_t un[9], vn[4];
  int s = clz64(v[n - 1]);
  for (int i = n - 1; i > 0; --i) vn[i] = s ? (v[i] << s) | (v[i - 1] >> (64 - s)) : v[i];
  vn[0] = v[0] << s;
  un[m] = s ? u[m - 1] >> (64 - s) : 0;
  for (int i = m - 1; i > 0; --i) un[i] = s ? (u[i] << s) | (u[i - 1] >> (64 - s)) : u[i];
  un[0] = u[0] << s;
  const uint64_t dh = vn[n - 1], dl = vn[n - 2], rec = reciprocal64(dh);
  for (int j = m - n; j >= 0; --j) {
    uint64_t qhat = ~0ULL;
    if (un[j + n] < dh) {  // else the top limbs are equal (the partial remainder is < divisor * 2^64)
      uint64_t rhat;
      qhat = div_by_reciprocal(un[j + n], un[j + n - 1], dh, rec, &rhat);
      for (;;) {  // while qhat * dl > rhat:un[j+n-2]
        uint64_t ph, pl = mul64(qhat, dl, &ph);
        if (ph < rhat || (ph == rhat && pl <= un[j + n - 2])) break;
        qhat--;
        rhat += dh;
        if (rhat < dh) break;  // rhat passed 2^64: the test can no longer hold
      }
    }
    uint64_t carry = 0, borrow = 0;
    for (int i = 0; i < n; ++i) {  // un[j..j+n] -= qhat * vn
      uint64_t ph, pl = mul64(qhat, vn[i], &ph);
      pl += carry;
      carry = ph + (pl < carry);
      uint64_t t = un[i + j] - pl;
      uint64_t b1 = un[i + j] < pl;
      un[i + j] = t - borrow;
      borrow = b1 | (t < borrow);
    }
    uint64_t t = un[j + n] - carry;
    bool negative = (un[j + n] < carry) | (t < borrow);
    un[j + n] = t - borrow;
    while (negative) {  // qhat was too big: add the divisor back until the carry out cancels the borrow
      qhat--;
      uint64_t c = 0;
      for (int i = 0; i < n; ++i) {
        uint64_t sum = un[i + j] + vn[i];
        uint64_t c1 = sum < vn[i];
        un[i + j] = sum + c;
        c = c1 | (un[i + j] < c);
      }
      un[j + n] += c;
      negative = !(c && un[j + n] == 0);
    }
    q[j] = qhat;
  }
  for (int i = 0; i < n; ++i) r[i] = s ? (un[i] >> s) | (un[i + 1] << (64 - s)) : un[i];
}

// num[0..nl) divmod d (u256, nonzero), nl <= 8. Quotient in q (nl limbs), remainder as u256.
HD inline void divmod_wide(const uint64_t* num, int nl, const u256& d, uint64_t* q, u256* rem) {
  for (int i = 0; i < nl; ++i) q[i] = 0;
  int m = nl;
  while (m > 0 && num[m - 1] == 0) --m;
  int n = 4;
  while (d.w[n - 1] == 0) --n;
  *rem = u256_zero();
  if (m < n) {  // numerator < divisor
    for (int i = 0; i < m; ++i) rem->w[i] = num[i];
    return;
  }
  if (n == 1) {  // ADDMOD/MULMOD by a small modulus, x*y/z with a 64-bit z
    rem->w[0] = divmod_limb(num, m, d.w[0], q);
    return;
  }
  knuth_divmod(num, m, d.w, n, q, rem->w);
}

HD inline void divmod(const u256& a, const u256& b, u256* q, u256* r) {
  if (is_zero(b)) {
    *q = u256_zero();
    *r = u256_zero();
    return;
  }
  if (lt(a, b)) {
    *q = u256_zero();
    *r = a;
    return;
  }
  if (fits64(a)) {  // then b fits too: one hardware division
    *q = u256_from(a.w[0] / b.w[0]);
    *r = u256_from(a.w[0] % b.w[0]);
    return;
  }
  u256 qq;
  divmod_wide(a.w, 4, b, qq.w, r);
  *q = qq;
}
HD_INLINE u256 div(const u256& a, const u256& b) {
  u256 q, r;
  divmod(a, b, &q, &r);
  return q;
}
HD_INLINE u256 mod(const u256& a, const u256& b) {
  u256 q, r;
  divmod(a, b, &q, &r);
  return r;
}
HD inline u256 sdiv(const u256& a, const u256& b) {
  if (is_zero(b)) return u256_zero();
  bool na = is_neg(a), nb = is_neg(b);
  u256 q = div(na ? neg(a) : a, nb ? neg(b) : b);
  return na != nb ? neg(q) : q;
}
HD inline u256 smod(const u256& a, const u256& b) {
  if (is_zero(b)) return u256_zero();
  bool na = is_neg(a), nb = is_neg(b);
  u256 r = mod(na ? neg(a) : a, nb ? neg(b) : b);
  return na ? neg(r) : r;
}
HD inline u256 addmod(const u256& a, const u256& b, const u256& m) {
  if (is_zero(m)) return u256_zero();
  bool carry;
  u256 s = add(a, b, &carry);
  uint64_t num[5] = {s.w[0], s.w[1], s.w[2], s.w[3], carry ? 1ULL : 0ULL};
  uint64_t q[5];
  u256 r;
  divmod_wide(num, 5, m, q, &r);
  return r;
}
HD inline u256 mulmod(const u256& a, const u256& b, const u256& m) {
  if (is_zero(m)) return u256_zero();
  uint64_t p[8];
  mul_full(a.w, b.w, p);
  uint64_t q[8];
  u256 r;
  divmod_wide(p, 8, m, q, &r);
  return r;
}
HD inline u256 shl(const u256& a, unsigned s) {
  if (s >= 256) return u256_zero();
  u256 r = u256_zero();
  unsigned limbs = s / 64, bits = s % 64;
  for (int i = 3; i >= (int)limbs; --i) {
    uint64_t v = a.w[i - limbs] << bits;
    if (bits && i - (int)limbs - 1 >= 0) v |= a.w[i - limbs - 1] >> (64 - bits);
    r.w[i] = v;
  }
  return r;
}
HD inline u256 shr(const u256& a, unsigned s) {
  if (s >= 256) return u256_zero();
  u256 r = u256_zero();
  unsigned limbs = s / 64, bits = s % 64;
  for (int i = 0; i + (int)limbs < 4; ++i) {
    uint64_t v = a.w[i + limbs] >> bits;
    if (bits && i + limbs + 1 < 4) v |= a.w[i + limbs + 1] << (64 - bits);
    r.w[i] = v;
  }
  return r;
}
HD inline u256 sar(const u256& a, unsigned s) {
  bool n = is_neg(a);
  if (s >= 256) return n ? u256_max() : u256_zero();
  u256 r = shr(a, s);
  if (n && s > 0) r = bor(r, shl(u256_max(), 256 - s));
  return r;
}
// Shift amount from a u256 operand (>= 256 saturates to 256).
HD_INLINE unsigned shift_amount(const u256& s) { return fits64(s) && s.w[0] < 256 ? (unsigned)s.w[0] : 256; }

HD inline u256 exp(u256 base, const u256& e) {
  u256 r = u256_from(1);
  for (int i = 0; i < 4; ++i) {
    uint64_t limb = e.w[i];
    for (int b = 0; b < 64; ++b) {
      if (limb & 1) r = mul(r, base);
      limb >>= 1;
      // Stop squaring once no higher bit remains.
      bool more = limb != 0;
      for (int k = i + 1; k < 4 && !more; ++k) more = e.w[k] != 0;
      if (!more) return r;
      base = mul(base, base);
    }
  }
  return r;
}
// Number of bytes in the minimal big-endian encoding.
HD_INLINE unsigned byte_len(const u256& a) {
  for (int i = 3; i >= 0; --i)
    if (a.w[i]) return (unsigned)(i * 8 + (64 - clz64(a.w[i]) + 7) / 8);
  return 0;
}
// Leading zero bits (256 for zero): EIP-7939 CLZ.
HD_INLINE unsigned count_leading_zeros(const u256& a) {
  for (int i = 3; i >= 0; --i)
    if (a.w[i]) return (unsigned)((3 - i) * 64 + clz64(a.w[i]));
  return 256;
}
HD inline u256 signextend(const u256& b, const u256& x) {
  if (!fits64(b) || b.w[0] >= 31) return x;
  unsigned bit = (unsigned)b.w[0] * 8 + 7;
  unsigned limb = bit / 64, off = bit % 64;
  bool sign = (x.w[limb] >> off) & 1;
  u256 r = x;
  uint64_t mask = off == 63 ? ~0ULL : ((1ULL << (off + 1)) - 1);
  if (sign) {
    r.w[limb] |= ~mask;
    for (unsigned i = limb + 1; i < 4; ++i) r.w[i] = ~0ULL;
  } else {
    r.w[limb] &= mask;
    for (unsigned i = limb + 1; i < 4; ++i) r.w[i] = 0;
  }
  return r;
}
HD_INLINE u256 byte_op(const u256& i, const u256& x) {
  if (!fits64(i) || i.w[0] >= 32) return u256_zero();
  unsigned idx = 31 - (unsigned)i.w[0];  // byte index from the least significant end
  return u256_from((x.w[idx / 8] >> (8 * (idx % 8))) & 0xff);
}

// Big-endian bytes <-> u256. Whole limbs go through 8-byte big-endian loads and stores (the compiler turns
// these byte expressions into one load or store and a byte swap); a byte at a time, reading a word from
// memory (MLOAD, CALLDATALOAD, KECCAK256's result) cost 32 dependent read-modify-writes.
HD_FORCE_INLINE uint64_t load_be64(const uint8_t* p) {
  return ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) | ((uint64_t)p[3] << 32) |
         ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) | ((uint64_t)p[6] << 8) | (uint64_t)p[7];
}
HD_FORCE_INLINE void store_be64(uint64_t v, uint8_t* p) {
  p[0] = (uint8_t)(v >> 56);
  p[1] = (uint8_t)(v >> 48);
  p[2] = (uint8_t)(v >> 40);
  p[3] = (uint8_t)(v >> 32);
  p[4] = (uint8_t)(v >> 24);
  p[5] = (uint8_t)(v >> 16);
  p[6] = (uint8_t)(v >> 8);
  p[7] = (uint8_t)v;
}
// from_be written limb by limb straight into dst (PUSH's hot path: assembling the word in a temporary and
// copying it made every PUSH wait on store forwarding). Reads exactly len bytes.
HD_FORCE_INLINE void load_be(u256& dst, const uint8_t* p, size_t len) {  // len <= 32
  for (int i = 0; i < 4; ++i) {
    long end = (long)len - 8 * i;  // one past the limb's lowest byte
    uint64_t v = 0;
    if (end >= 8) {
      v = load_be64(p + end - 8);
    } else {
      for (long b = 0; b < end; ++b) v = (v << 8) | p[b];
    }
    dst.w[i] = v;
  }
}
HD_FORCE_INLINE u256 from_be(const uint8_t* p, size_t len) {  // len <= 32, right-aligned
  u256 r;
  load_be(r, p, len);
  return r;
}
HD_FORCE_INLINE u256 from_be32(const uint8_t* p) {
  return u256{{load_be64(p + 24), load_be64(p + 16), load_be64(p + 8), load_be64(p)}};
}
HD_FORCE_INLINE void to_be32(const u256& a, uint8_t* out) {
  store_be64(a.w[3], out);
  store_be64(a.w[2], out + 8);
  store_be64(a.w[1], out + 16);
  store_be64(a.w[0], out + 24);
}
// 20-byte address from the low 160 bits.
HD_INLINE void to_address(const u256& a, uint8_t out[20]) {
  uint8_t b[32];
  to_be32(a, b);
  for (int i = 0; i < 20; ++i) out[i] = b[12 + i];
}
HD_INLINE u256 from_address(const uint8_t a[20]) { return from_be(a, 20); }

}  // namespace evm
}  // namespace kern
