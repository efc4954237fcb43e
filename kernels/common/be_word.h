// 32-byte big-endian words as they appear in transactions and RLP (signature values, chain ids, fees):
// the few comparisons and conversions the decoders need, without a uint256 type.
#pragma once
#include "hd.h"

namespace kern {

HD_INLINE bool word_fits_u64(const uint8_t w[32]) {
  for (int i = 0; i < 24; ++i)
    if (w[i]) return false;
  return true;
}

// The low 64 bits.
HD_INLINE uint64_t word_u64(const uint8_t w[32]) {
  uint64_t v = 0;
  for (int i = 24; i < 32; ++i) v = (v << 8) | w[i];
  return v;
}

HD_INLINE void word_from_u64(uint64_t v, uint8_t out[32]) {
  for (int i = 0; i < 24; ++i) out[i] = 0;
  for (int i = 31; i >= 24; --i, v >>= 8) out[i] = (uint8_t)v;
}

// a < b.
HD_INLINE bool word_lt(const uint8_t a[32], const uint8_t b[32]) {
  for (int i = 0; i < 32; ++i)
    if (a[i] != b[i]) return a[i] < b[i];
  return false;
}

// 0 < w < secp256k1n: a valid signature component.
HD_INLINE bool word_in_secp_range(const uint8_t w[32]) {
  const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
                         0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
  bool zero = true;
  for (int i = 0; i < 32; ++i) zero = zero && w[i] == 0;
  return !zero && word_lt(w, n);
}

// s <= secp256k1n / 2 (EIP-2).
HD_INLINE bool s_is_low(const uint8_t s[32]) {
  const uint8_t half[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                            0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};
  return !word_lt(half, s);
}

}  // namespace kern
