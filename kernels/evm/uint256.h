// 256-bit unsigned integers for the EVM: four 64-bit limbs, least significant first. Header-only HD code
// (host and CUDA device compile the same source). Division is Knuth's algorithm D on 32-bit digits, which
// also serves ADDMOD/MULMOD (512-bit intermediate).
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

HD_INLINE int clz32(uint32_t x) {
#if defined(__CUDA_ARCH__)
  return __clz((int)x);
#else
  return x == 0 ? 32 : __builtin_clz(x);
#endif
}
HD_INLINE int clz64(uint64_t x) {
#if defined(__CUDA_ARCH__)
  return __clzll((long long)x);
#else
  return x == 0 ? 64 : __builtin_clzll(x);
#endif
}

// Knuth D: u[0..m) / v[0..n) in 32-bit digits (least significant first), v[n-1] != 0, m >= n.
// q gets m-n+1 digits, r gets n digits. m <= 16, n <= 16.
HD inline void knuth_divmod(const uint32_t* u, int m, const uint32_t* v, int n, uint32_t* q, uint32_t* r) {
  if (n == 1) {
    uint64_t rem = 0;
    for (int i = m - 1; i >= 0; --i) {
      uint64_t cur = (rem << 32) | u[i];
      q[i] = (uint32_t)(cur / v[0]);
      rem = cur % v[0];
    }
    r[0] = (uint32_t)rem;
    return;
  }
  uint32_t un[17], vn[16];
  int s = clz32(v[n - 1]);
  for (int i = n - 1; i > 0; --i) vn[i] = s ? (v[i] << s) | (v[i - 1] >> (32 - s)) : v[i];
  vn[0] = v[0] << s;
  un[m] = s ? u[m - 1] >> (32 - s) : 0;
  for (int i = m - 1; i > 0; --i) un[i] = s ? (u[i] << s) | (u[i - 1] >> (32 - s)) : u[i];
  un[0] = u[0] << s;
  const uint64_t b = 1ULL << 32;
  for (int j = m - n; j >= 0; --j) {
    uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
    uint64_t qhat = num / vn[n - 1];
    uint64_t rhat = num % vn[n - 1];
    while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
      qhat--;
      rhat += vn[n - 1];
      if (rhat >= b) break;
    }
    int64_t borrow = 0;
    uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      uint64_t p = qhat * vn[i] + carry;
      carry = p >> 32;
      int64_t t = (int64_t)un[i + j] - (int64_t)(p & 0xffffffffULL) + borrow;
      un[i + j] = (uint32_t)t;
      borrow = t >> 32;
    }
    int64_t t = (int64_t)un[j + n] - (int64_t)carry + borrow;
    un[j + n] = (uint32_t)t;
    if (t < 0) {
      qhat--;
      uint64_t c = 0;
      for (int i = 0; i < n; ++i) {
        uint64_t sum = (uint64_t)un[i + j] + vn[i] + c;
        un[i + j] = (uint32_t)sum;
        c = sum >> 32;
      }
      un[j + n] += (uint32_t)c;
    }
    q[j] = (uint32_t)qhat;
  }
  for (int i = 0; i < n; ++i) r[i] = s ? (un[i] >> s) | (un[i + 1] << (32 - s)) : un[i];
}

// (limbs64[0..nl)) divmod d (u256, nonzero). Quotient in q (nl limbs), remainder as u256.
HD inline void divmod_wide(const uint64_t* num, int nl, const u256& d, uint64_t* q, u256* rem) {
  uint32_t u[16], v[8], qq[16], rr[8];
  for (int i = 0; i < nl; ++i) {
    u[2 * i] = (uint32_t)num[i];
    u[2 * i + 1] = (uint32_t)(num[i] >> 32);
  }
  for (int i = 0; i < 4; ++i) {
    v[2 * i] = (uint32_t)d.w[i];
    v[2 * i + 1] = (uint32_t)(d.w[i] >> 32);
  }
  int m = 2 * nl;
  while (m > 0 && u[m - 1] == 0) --m;
  int n = 8;
  while (n > 0 && v[n - 1] == 0) --n;
  for (int i = 0; i < nl; ++i) q[i] = 0;
  *rem = u256_zero();
  if (m < n) {  // numerator < divisor
    for (int i = 0; i < 4 && i < nl; ++i) rem->w[i] = num[i];
    return;
  }
  for (int i = 0; i < 16; ++i) qq[i] = 0;
  knuth_divmod(u, m, v, n, qq, rr);
  for (int i = 0; i <= m - n; ++i) q[i / 2] |= (uint64_t)qq[i] << (32 * (i % 2));
  for (int i = 0; i < n; ++i) rem->w[i / 2] |= (uint64_t)rr[i] << (32 * (i % 2));
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
  if (fits64(a)) {
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
