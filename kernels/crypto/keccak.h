// Keccak-256 (the pre-standard padding 0x01 that Ethereum uses, not SHA3's 0x06).
#pragma once
#include "../common/hd.h"

namespace kern {

HD_INLINE uint64_t rotl64(uint64_t x, unsigned n) { return n == 0 ? x : (x << n) | (x >> (64 - n)); }

// Keccak-f[1600]: 24 rounds over a 5x5 lane state.
HD inline void keccak_f1600(uint64_t st[25]) {
  const uint64_t round_constants[24] = {
      0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
      0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
      0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
      0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
      0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
      0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
  // Rho offsets and pi lane order along the (x, y) -> (y, 2x + 3y) walk starting at lane 1.
  const unsigned rho[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
  const unsigned pi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};
  for (int round = 0; round < 24; ++round) {
    uint64_t c[5];
    for (int x = 0; x < 5; ++x) c[x] = st[x] ^ st[x + 5] ^ st[x + 10] ^ st[x + 15] ^ st[x + 20];
    for (int x = 0; x < 5; ++x) {
      uint64_t d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) st[y + x] ^= d;
    }
    uint64_t carry = st[1];
    for (int i = 0; i < 24; ++i) {
      unsigned j = pi[i];
      uint64_t t = st[j];
      st[j] = rotl64(carry, rho[i]);
      carry = t;
    }
    for (int y = 0; y < 25; y += 5) {
      uint64_t row[5];
      for (int x = 0; x < 5; ++x) row[x] = st[y + x];
      for (int x = 0; x < 5; ++x) st[y + x] = row[x] ^ ((~row[(x + 1) % 5]) & row[(x + 2) % 5]);
    }
    st[0] ^= round_constants[round];
  }
}

// keccak256(data[0..len)) -> out[32]. Byte-wise absorption keeps it endian-neutral and alignment-free.
HD inline void keccak256(const uint8_t* data, size_t len, uint8_t out[32]) {
  const size_t rate = 136;
  uint64_t st[25];
  for (int i = 0; i < 25; ++i) st[i] = 0;
  while (len >= rate) {
    for (size_t i = 0; i < rate / 8; ++i) {
      uint64_t lane = 0;
      for (int b = 0; b < 8; ++b) lane |= (uint64_t)data[i * 8 + b] << (8 * b);
      st[i] ^= lane;
    }
    keccak_f1600(st);
    data += rate;
    len -= rate;
  }
  uint8_t block[136];
  for (size_t i = 0; i < rate; ++i) block[i] = i < len ? data[i] : 0;
  block[len] ^= 0x01;
  block[rate - 1] ^= 0x80;
  for (size_t i = 0; i < rate / 8; ++i) {
    uint64_t lane = 0;
    for (int b = 0; b < 8; ++b) lane |= (uint64_t)block[i * 8 + b] << (8 * b);
    st[i] ^= lane;
  }
  keccak_f1600(st);
  for (int i = 0; i < 32; ++i) out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}

}  // namespace kern
