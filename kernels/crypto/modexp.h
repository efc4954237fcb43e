// MODEXP (precompile 0x05): arbitrary-length modular exponentiation, EIP-198 input format with the
// EIP-2565 gas formula (EIP-7883 gas and EIP-7823 length bounds from Osaka). Host and device; no recursion.
//
// Memory: O(modulus length) only. The base is reduced modulo m as it is streamed from the input (one
// Knuth-D quotient digit per 32-bit limb) and the exponent is read bit by bit from the input, so neither
// is ever copied. The working set is 4*k + 6 64-bit words, k = the modulus' significant 32-bit limbs:
//   - modulus up to STACK_LIMBS*4 = 256 bytes (RSA-2048): on the stack (2.1 KB);
//   - larger moduli: one malloc (host, or CUDA device heap) of that size, freed before returning.
// Lengths at or above 2^32 (each field) make run() fail without computing: EIP-2565 prices such calls
// above 10^10 gas whenever the modulus is not empty, so no block can pay for them.
// Arithmetic: odd moduli use Montgomery multiplication on 64-bit limbs; even moduli schoolbook products
// with remainders by Knuth's algorithm D on 32-bit limbs. Left-to-right binary exponentiation:
// O(k^2 * exponent bits) either way. Base reduction (and the Montgomery conversion) is Knuth D.
#pragma once
#include <stdlib.h>

#include "../common/hd.h"

namespace kern {
namespace modexp {

constexpr size_t STACK_LIMBS = 64;
constexpr uint64_t LEN_LIMIT = 0xFFFFFFFFULL;

// Byte `off` of the input, zero past its end (EVM calldata semantics).
HD_INLINE uint8_t byte_at(const uint8_t* in, size_t len, uint64_t off) { return off < len ? in[off] : 0; }

HD_INLINE uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? ~0ULL : a + b; }
HD_INLINE uint64_t sat_mul(uint64_t a, uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > ~0ULL / b ? ~0ULL : a * b;
}

// A 32-byte big-endian length field at `off`, saturated to UINT64_MAX.
HD_INLINE uint64_t read_len(const uint8_t* in, size_t len, uint64_t off) {
  uint64_t v = 0;
  for (int i = 0; i < 24; ++i)
    if (byte_at(in, len, off + i)) return ~0ULL;
  for (int i = 24; i < 32; ++i) v = (v << 8) | byte_at(in, len, off + i);
  return v;
}

struct Header {
  uint64_t blen, elen, mlen;
};
HD_INLINE Header header(const uint8_t* in, size_t len) {
  return {read_len(in, len, 0), read_len(in, len, 32), read_len(in, len, 64)};
}

// Bit length of the exponent's first min(elen, 32) bytes.
HD inline int exponent_head_bits(const uint8_t* in, size_t len, const Header& h) {
  uint64_t eoff = sat_add(96, h.blen);
  uint64_t head_len = h.elen < 32 ? h.elen : 32;
  for (uint64_t i = 0; i < head_len; ++i) {
    uint8_t b = byte_at(in, len, sat_add(eoff, i));
    if (b) {
      int top = 7;
      while (!(b >> top)) --top;
      return (int)(8 * (head_len - 1 - i)) + top + 1;
    }
  }
  return 0;
}

// The adjusted exponent length (EIP-2565 / EIP-7883): bits of the head, plus `per_byte` per exponent byte
// past the first 32; at least 1.
HD inline uint64_t iterations(const uint8_t* in, size_t len, const Header& h, uint64_t per_byte) {
  int head_bits = exponent_head_bits(in, len, h);
  uint64_t iters = head_bits > 0 ? (uint64_t)(head_bits - 1) : 0;
  if (h.elen > 32) iters = sat_add(sat_mul(per_byte, h.elen - 32), iters);
  return iters == 0 ? 1 : iters;
}

// EIP-7823 (Osaka): each of the three lengths is at most 1024 bytes, or the call fails.
constexpr uint64_t OSAKA_MAX_LEN = 1024;
HD_INLINE bool within_osaka_bounds(const uint8_t* in, size_t len) {
  Header h = header(in, len);
  return h.blen <= OSAKA_MAX_LEN && h.elen <= OSAKA_MAX_LEN && h.mlen <= OSAKA_MAX_LEN;
}

// EIP-2565 (Berlin .. Prague): max(200, words^2 * iterations / 3); EIP-7883 (Osaka): max(500,
// complexity * iterations) with complexity 16 up to 32 bytes, else 2 * words^2, and 16 iterations per
// exponent byte past 32. Saturating.
HD inline uint64_t gas(const uint8_t* in, size_t len, bool osaka) {
  Header h = header(in, len);
  uint64_t maxlen = h.blen > h.mlen ? h.blen : h.mlen;
  uint64_t words = maxlen / 8 + (maxlen % 8 != 0);
  if (osaka) {
    uint64_t mc = maxlen <= 32 ? 16 : sat_mul(2, sat_mul(words, words));
    uint64_t g = sat_mul(mc, iterations(in, len, h, 16));
    return g < 500 ? 500 : g;
  }
  uint64_t mc = sat_mul(words, words);
  if (mc == 0) return 200;
  uint64_t g = sat_mul(mc, iterations(in, len, h, 8));
  if (g == ~0ULL) return ~0ULL;
  g /= 3;
  return g < 200 ? 200 : g;
}

HD_INLINE size_t output_size(const uint8_t* in, size_t len) {
  uint64_t m = header(in, len).mlen;
  return m > LEN_LIMIT ? (size_t)LEN_LIMIT : (size_t)m;
}

// Limb i (32-bit, little-endian order) of the big-endian byte field [off, off + flen) of the input.
HD_INLINE uint32_t limb_of(const uint8_t* in, size_t len, uint64_t off, uint64_t flen, uint64_t i) {
  uint32_t v = 0;
  for (int b = 3; b >= 0; --b) {
    uint64_t idx = 4 * i + (uint64_t)b;  // byte index from the least significant end
    v = (v << 8) | (idx < flen ? byte_at(in, len, off + flen - 1 - idx) : 0);
  }
  return v;
}

// Remainders modulo m, Knuth D. v = m << s (top bit of v[n-1] set); remainders are kept shifted by s.
struct Modulus {
  const uint32_t* v;
  size_t n;
  unsigned s;
};

// u (n limbs, holding r << s with r < m) becomes ((r * 2^32 + limb) mod m) << s; w is n + 1 limbs scratch.
HD inline void feed_limb(const Modulus& md, uint32_t* u, uint32_t limb, uint32_t* w) {
  const size_t n = md.n;
  const uint32_t* v = md.v;
  w[0] = md.s ? (limb << md.s) : limb;
  for (size_t i = 0; i < n; ++i) w[i + 1] = u[i];
  if (md.s) w[1] |= limb >> (32 - md.s);  // the low s bits of u[0] are zero
  uint64_t num = ((uint64_t)w[n] << 32) | w[n - 1];
  uint64_t qhat = num / v[n - 1];
  uint64_t rhat = num % v[n - 1];
  while (qhat >> 32 || (n >= 2 && qhat * v[n - 2] > ((rhat << 32) | w[n - 2]))) {
    --qhat;
    rhat += v[n - 1];
    if (rhat >> 32) break;
  }
  if (qhat) {
    uint64_t borrow = 0, carry = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t p = qhat * v[i] + carry;
      carry = p >> 32;
      uint64_t t = (uint64_t)w[i] - (uint32_t)p - borrow;
      w[i] = (uint32_t)t;
      borrow = (t >> 32) & 1;
    }
    uint64_t t = (uint64_t)w[n] - carry - borrow;
    w[n] = (uint32_t)t;
    if ((t >> 32) & 1) {  // qhat was one too big: add v back
      uint64_t c = 0;
      for (size_t i = 0; i < n; ++i) {
        uint64_t s2 = (uint64_t)w[i] + v[i] + c;
        w[i] = (uint32_t)s2;
        c = s2 >> 32;
      }
      w[n] += (uint32_t)c;
    }
  }
  for (size_t i = 0; i < n; ++i) u[i] = w[i];
}

// r = (a * b) mod m for a, b < m (plain, n limbs each); prod: 2n limbs, u: n, w: n + 1 scratch.
HD inline void mulmod(const Modulus& md, uint32_t* r, const uint32_t* a, const uint32_t* b, uint32_t* prod,
                      uint32_t* u, uint32_t* w) {
  const size_t n = md.n;
  for (size_t i = 0; i < 2 * n; ++i) prod[i] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t c = 0;
    uint64_t ai = a[i];
    if (ai == 0) continue;
    for (size_t j = 0; j < n; ++j) {
      uint64_t t = ai * b[j] + prod[i + j] + c;
      prod[i + j] = (uint32_t)t;
      c = t >> 32;
    }
    prod[i + n] = (uint32_t)c;
  }
  // The top n - 1 limbs are below m already: start from them (shifted by s), then feed the rest.
  for (size_t i = 0; i < n; ++i) u[i] = 0;
  for (size_t i = 0; i + 1 < n; ++i) {
    uint32_t lo = prod[n + 1 + i];
    u[i] = md.s ? (lo << md.s) | (i > 0 ? prod[n + i] >> (32 - md.s) : 0) : lo;
  }
  if (md.s && n >= 2) u[n - 1] = prod[2 * n - 1] >> (32 - md.s);
  for (size_t k = n + 1; k-- > 0;) feed_limb(md, u, prod[k], w);
  for (size_t i = 0; i < n; ++i) {
    uint32_t hi = (md.s && i + 1 < n) ? u[i + 1] << (32 - md.s) : 0;
    r[i] = md.s ? (u[i] >> md.s) | hi : u[i];
  }
}

// ---- 64-bit Montgomery arithmetic for odd moduli (the common case: no division in the inner loop).
HD_INLINE uint64_t mac64(uint64_t a, uint64_t b, uint64_t c, uint64_t& carry) {
  uint64_t lo, hi;
#if defined(__CUDA_ARCH__)
  lo = a * b;
  hi = __umul64hi(a, b);
#else
  unsigned __int128 p = (unsigned __int128)a * b;
  lo = (uint64_t)p;
  hi = (uint64_t)(p >> 64);
#endif
  lo += c;
  hi += lo < c;
  lo += carry;
  hi += lo < carry;
  carry = hi;
  return lo;
}

// r = a * b / 2^(64n) mod m (a, b < m; r may alias a or b); t: n + 2 limbs scratch.
HD inline void mont_mul64(uint64_t* r, const uint64_t* a, const uint64_t* b, const uint64_t* m, size_t n, uint64_t minv,
                          uint64_t* t) {
  for (size_t i = 0; i < n + 2; ++i) t[i] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t c = 0;
    const uint64_t bi = b[i];
    for (size_t j = 0; j < n; ++j) t[j] = mac64(a[j], bi, t[j], c);
    uint64_t s1 = t[n] + c;
    t[n + 1] = s1 < c;
    t[n] = s1;
    const uint64_t q = t[0] * minv;
    c = 0;
    (void)mac64(q, m[0], t[0], c);
    for (size_t j = 1; j < n; ++j) t[j - 1] = mac64(q, m[j], t[j], c);
    s1 = t[n] + c;
    t[n - 1] = s1;
    t[n] = t[n + 1] + (s1 < c);
  }
  bool ge = t[n] != 0;
  if (!ge) {
    ge = true;  // equal counts as >=
    for (size_t i = n; i-- > 0;)
      if (t[i] != m[i]) {
        ge = t[i] > m[i];
        break;
      }
  }
  if (ge) {
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t d = t[i] - m[i];
      uint64_t b1 = t[i] < m[i];
      uint64_t d2 = d - borrow;
      b1 += d < borrow;
      t[i] = d2;
      borrow = b1;
    }
  }
  for (size_t i = 0; i < n; ++i) r[i] = t[i];
}

// Writes the remainder held in u (shifted by md.s) as plain 32-bit limbs r[0..n) and r[n] = 0.
HD_INLINE void unshift(const Modulus& md, const uint32_t* u, uint32_t* r) {
  for (size_t i = 0; i < md.n; ++i) {
    uint32_t hi = (md.s && i + 1 < md.n) ? u[i + 1] << (32 - md.s) : 0;
    r[i] = md.s ? (u[i] >> md.s) | hi : u[i];
  }
  r[md.n] = 0;
}

// Odd modulus: Montgomery exponentiation on 64-bit limbs. buf: 4n + 6 words (n = md.n 32-bit limbs);
// its first n 32-bit limbs already hold the normalized modulus md.v.
HD inline void run_odd(const uint8_t* in, size_t len, const Header& h, const Modulus& md, uint64_t* buf, uint8_t* out) {
  const size_t n = md.n, n64 = (n + 1) / 2;
  const uint64_t boff = 96, eoff = 96 + h.blen, moff = eoff + h.elen;
  uint32_t* u = (uint32_t*)buf + n;  // n
  uint32_t* w = u + n;               // n + 1
  uint32_t* r32 = w + n + 1;         // n + 1 (ends at 32-bit limb 4n + 2)
  uint64_t* m64 = buf + 2 * n + 1;
  uint64_t* bm = m64 + n64;  // base * R mod m
  uint64_t* acc = bm + n64;
  uint64_t* t = acc + n64;  // n64 + 2
  for (size_t i = 0; i < n64; ++i)
    m64[i] = (uint64_t)limb_of(in, len, moff, h.mlen, 2 * i) | ((uint64_t)limb_of(in, len, moff, h.mlen, 2 * i + 1) << 32);
  uint64_t inv = m64[0];  // m * m = 1 mod 8: 3 correct bits, each Newton step doubles them
  for (int i = 0; i < 5; ++i) inv *= 2 - m64[0] * inv;
  const uint64_t minv = (uint64_t)0 - inv;

  // bm = base * 2^(64 n64) mod m: stream the base, then 2 * n64 zero limbs.
  for (size_t i = 0; i < n; ++i) u[i] = 0;
  const uint64_t blimbs = (h.blen + 3) / 4;
  for (uint64_t k = blimbs; k-- > 0;) feed_limb(md, u, limb_of(in, len, boff, h.blen, k), w);
  for (size_t k = 0; k < 2 * n64; ++k) feed_limb(md, u, 0, w);
  unshift(md, u, r32);
  for (size_t i = 0; i < n64; ++i) bm[i] = (uint64_t)r32[2 * i] | ((uint64_t)r32[2 * i + 1] << 32);

  bool started = false;
  for (uint64_t i = 0; i < h.elen; ++i) {
    uint8_t byte = byte_at(in, len, eoff + i);
    if (!started && byte == 0) continue;
    for (int bit = 7; bit >= 0; --bit) {
      bool one = (byte >> bit) & 1;
      if (!started) {
        if (!one) continue;
        started = true;
        for (size_t k = 0; k < n64; ++k) acc[k] = bm[k];
        continue;
      }
      mont_mul64(acc, acc, acc, m64, n64, minv, t);
      if (one) mont_mul64(acc, acc, bm, m64, n64, minv, t);
    }
  }
  if (started) {  // leave the Montgomery domain: acc * 1 / R
    for (size_t k = 0; k < n64; ++k) bm[k] = 0;
    bm[0] = 1;
    mont_mul64(acc, acc, bm, m64, n64, minv, t);
  } else {  // e = 0: 1 (m > 1 here)
    for (size_t k = 0; k < n64; ++k) acc[k] = 0;
    acc[0] = 1;
  }
  const size_t mlen = (size_t)h.mlen;
  for (size_t i = 0; i < n64; ++i)
    for (int b = 0; b < 8; ++b) {
      uint64_t idx = 8 * (uint64_t)i + (uint64_t)b;
      if (idx < mlen) out[mlen - 1 - idx] = (uint8_t)(acc[i] >> (8 * b));
    }
}

// Runs with the lengths already checked against LEN_LIMIT and mlen > 0; out gets mlen bytes.
HD inline bool run(const uint8_t* in, size_t len, uint8_t* out, size_t* out_len) {
  Header h = header(in, len);
  if (h.mlen == 0) {
    *out_len = 0;
    return true;
  }
  if (h.blen > LEN_LIMIT || h.elen > LEN_LIMIT || h.mlen > LEN_LIMIT) return false;
  const uint64_t boff = 96, eoff = 96 + h.blen, moff = eoff + h.elen;
  const size_t mlen = (size_t)h.mlen;
  *out_len = mlen;
  for (size_t i = 0; i < mlen; ++i) out[i] = 0;

  // Significant modulus bytes: skip leading zeros.
  uint64_t lead = 0;
  while (lead < h.mlen && byte_at(in, len, moff + lead) == 0) ++lead;
  const uint64_t sig_bytes = h.mlen - lead;
  if (sig_bytes == 0) return true;  // m = 0: the result is 0
  const size_t n = (size_t)((sig_bytes + 3) / 4);
  // One buffer for either path, in 64-bit words: the Knuth path needs 7n + 1 32-bit limbs, the
  // Montgomery path 4n + 2 32-bit limbs plus 4 * ceil(n/2) + 2 64-bit words; 4n + 6 words cover both.
  const size_t need = 4 * n + 6;
  // Raw storage: the 32-bit and 64-bit regions carved from it never overlap.
  alignas(8) unsigned char stack_raw[(4 * STACK_LIMBS + 6) * sizeof(uint64_t)];
  uint64_t* const stack_buf = (uint64_t*)stack_raw;
  uint64_t* buf = stack_buf;
  if (n > STACK_LIMBS) {
    buf = (uint64_t*)malloc(need * sizeof(uint64_t));
    if (buf == nullptr) return false;
  }
  uint32_t* v = (uint32_t*)buf;   // n: normalized modulus

  // m itself, then normalized.
  const bool odd = limb_of(in, len, moff, h.mlen, 0) & 1;
  for (size_t i = 0; i < n; ++i) v[i] = limb_of(in, len, moff, h.mlen, i);
  unsigned s = 0;
  while (!(v[n - 1] & (0x80000000u >> s))) ++s;
  if (s) {
    for (size_t i = n; i-- > 0;) v[i] = (v[i] << s) | (i > 0 ? v[i - 1] >> (32 - s) : 0);
  }
  Modulus md{v, n, s};
  bool m_is_one = (n == 1 && s == 31);  // normalized: m << 31 (any other power of two has a smaller s)
  if (m_is_one) {
    if (buf != stack_buf) free(buf);
    return true;  // everything mod 1 is 0
  }
  if (odd) {
    run_odd(in, len, h, md, buf, out);
    if (buf != stack_buf) free(buf);
    return true;
  }
  uint32_t* base = v + n;         // n
  uint32_t* acc = base + n;       // n
  uint32_t* prod = acc + n;       // 2n
  uint32_t* u = prod + 2 * n;     // n: running remainder (shifted by s)
  uint32_t* w = u + n;            // n + 1: feed_limb scratch

  // base mod m, streamed from the most significant limb.
  for (size_t i = 0; i < n; ++i) u[i] = 0;
  const uint64_t blimbs = (h.blen + 3) / 4;
  for (uint64_t k = blimbs; k-- > 0;) feed_limb(md, u, limb_of(in, len, boff, h.blen, k), w);
  for (size_t i = 0; i < n; ++i) {
    uint32_t hi = (s && i + 1 < n) ? u[i + 1] << (32 - s) : 0;
    base[i] = s ? (u[i] >> s) | hi : u[i];
  }

  // acc = base^e mod m, left to right over the exponent's bits.
  bool started = false;
  for (uint64_t i = 0; i < h.elen; ++i) {
    uint8_t byte = byte_at(in, len, eoff + i);
    if (!started && byte == 0) continue;
    for (int bit = 7; bit >= 0; --bit) {
      bool one = (byte >> bit) & 1;
      if (!started) {
        if (!one) continue;
        started = true;
        for (size_t k = 0; k < n; ++k) acc[k] = base[k];
        continue;
      }
      mulmod(md, acc, acc, acc, prod, u, w);
      if (one) mulmod(md, acc, acc, base, prod, u, w);
    }
  }
  if (!started) {  // e = 0: 1 (m > 1 here)
    for (size_t k = 0; k < n; ++k) acc[k] = 0;
    acc[0] = 1;
  }
  for (size_t i = 0; i < n; ++i)
    for (int b = 0; b < 4; ++b) {
      uint64_t idx = 4 * (uint64_t)i + (uint64_t)b;  // from the least significant byte
      if (idx < mlen) out[mlen - 1 - idx] = (uint8_t)(acc[i] >> (8 * b));
    }
  if (buf != stack_buf) free(buf);
  return true;
}

}  // namespace modexp
}  // namespace kern
