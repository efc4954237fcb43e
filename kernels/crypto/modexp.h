// MODEXP (precompile 0x05): arbitrary-length modular exponentiation, EIP-198 input format with the
// EIP-2565 gas formula. Host and device; no recursion.
//
// Memory: O(modulus length) only. The base is reduced modulo m as it is streamed from the input (one
// Knuth-D quotient digit per 32-bit limb) and the exponent is read bit by bit from the input, so neither
// is ever copied. The working set is 7*k + 1 32-bit limbs, k = the modulus' significant limbs:
//   - modulus up to STACK_LIMBS*4 = 512 bytes (RSA-4096): on the stack (3.6 KB);
//   - larger moduli: one malloc (host, or CUDA device heap) of that size, freed before returning.
// Lengths at or above 2^32 (each field) make run() fail without computing: EIP-2565 prices such calls
// above 10^10 gas whenever the modulus is not empty, so no block can pay for them.
// Arithmetic: schoolbook products, remainders by Knuth's algorithm D (no Montgomery), left-to-right
// binary exponentiation: O(k^2 * exponent bits).
#pragma once
#include <stdlib.h>

#include "../common/hd.h"

namespace kern {
namespace modexp {

constexpr size_t STACK_LIMBS = 128;
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

// EIP-2565: max(200, mult_complexity * max(adjusted exponent length, 1) / 3), saturating.
HD inline uint64_t gas(const uint8_t* in, size_t len) {
  Header h = header(in, len);
  uint64_t maxlen = h.blen > h.mlen ? h.blen : h.mlen;
  uint64_t words = maxlen / 8 + (maxlen % 8 != 0);
  uint64_t mc = sat_mul(words, words);
  if (mc == 0) return 200;
  // The exponent's first min(elen, 32) bytes, as a bit length.
  uint64_t eoff = sat_add(96, h.blen);
  uint64_t head_len = h.elen < 32 ? h.elen : 32;
  int head_bits = 0;
  for (uint64_t i = 0; i < head_len; ++i) {
    uint8_t b = byte_at(in, len, sat_add(eoff, i));
    if (b) {
      int top = 7;
      while (!(b >> top)) --top;
      head_bits = (int)(8 * (head_len - 1 - i)) + top + 1;
      break;
    }
  }
  uint64_t iters = head_bits > 0 ? (uint64_t)(head_bits - 1) : 0;
  if (h.elen > 32) iters = sat_add(sat_mul(8, h.elen - 32), iters);
  if (iters == 0) iters = 1;
  uint64_t g = sat_mul(mc, iters);
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
  const size_t need = 7 * n + 1;
  uint32_t stack_buf[7 * STACK_LIMBS + 1];
  uint32_t* buf = stack_buf;
  if (n > STACK_LIMBS) {
    buf = (uint32_t*)malloc(need * sizeof(uint32_t));
    if (buf == nullptr) return false;
  }
  uint32_t* v = buf;              // n: normalized modulus
  uint32_t* base = v + n;         // n
  uint32_t* acc = base + n;       // n
  uint32_t* prod = acc + n;       // 2n
  uint32_t* u = prod + 2 * n;     // n: running remainder (shifted by s)
  uint32_t* w = u + n;            // n + 1: feed_limb scratch

  // m itself, then normalized.
  for (size_t i = 0; i < n; ++i) v[i] = limb_of(in, len, moff, h.mlen, i);
  unsigned s = 0;
  while (!(v[n - 1] & (0x80000000u >> s))) ++s;
  if (s) {
    for (size_t i = n; i-- > 0;) v[i] = (v[i] << s) | (i > 0 ? v[i - 1] >> (32 - s) : 0);
  }
  Modulus md{v, n, s};
  bool m_is_one = (n == 1 && v[0] == 0x80000000u);
  if (m_is_one) {
    if (buf != stack_buf) free(buf);
    return true;  // everything mod 1 is 0
  }

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
