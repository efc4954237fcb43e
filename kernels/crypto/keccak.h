// Keccak-256 (the pre-standard padding 0x01 that Ethereum uses, not SHA3's 0x06).
#pragma once
#include "../common/hd.h"

namespace kern {

// The permutation's tables as initializer lists: the scalar permutation below and the SIMD lanes of
// native/crypto/keccak_lanes.cc declare their own arrays from them (device code needs them as local arrays).
// Round constants; the rho rotation of lane i, and where pi moves it: (x, y) -> (y, 2x + 3y).
#define KECCAK_ROUND_CONSTANTS \
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL, \
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL, \
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL, \
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL, \
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL, \
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL
#define KECCAK_RHO 0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14
#define KECCAK_PI_TO 0, 10, 20, 5, 15, 16, 1, 11, 21, 6, 7, 17, 2, 12, 22, 23, 8, 18, 3, 13, 14, 24, 9, 19, 4

HD_INLINE uint64_t rotl64(uint64_t x, unsigned n) { return n == 0 ? x : (x << n) | (x >> (64 - n)); }

// Keccak-f[1600]: 24 rounds over a 5x5 lane state (lane x + 5y). The loops over lanes are fully unrolled
// so every index is a constant and the state stays in registers (about 4x the table-walking form).
HD inline void keccak_f1600(uint64_t st[25]) {
  const uint64_t round_constants[24] = {KECCAK_ROUND_CONSTANTS};
  const unsigned rho[25] = {KECCAK_RHO};
  const unsigned pi_to[25] = {KECCAK_PI_TO};
  uint64_t a[25];
  HD_UNROLL
  for (int i = 0; i < 25; ++i) a[i] = st[i];
  for (int round = 0; round < 24; ++round) {
    uint64_t c[5], d[5], b[25];
    HD_UNROLL
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    HD_UNROLL
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
    HD_UNROLL
    for (int i = 0; i < 25; ++i) b[pi_to[i]] = rotl64(a[i] ^ d[i % 5], rho[i]);
    HD_UNROLL
    for (int i = 0; i < 25; ++i) a[i] = b[i] ^ (~b[i - i % 5 + (i + 1) % 5] & b[i - i % 5 + (i + 2) % 5]);
    a[0] ^= round_constants[round];
  }
  HD_UNROLL
  for (int i = 0; i < 25; ++i) st[i] = a[i];
}

// A little-endian 64-bit word from bytes: endian-neutral and alignment-free (compilers turn it into one load).
HD_INLINE uint64_t load_le64(const uint8_t* p) {
  uint64_t w = 0;
  HD_UNROLL
  for (int b = 0; b < 8; ++b) w |= (uint64_t)p[b] << (8 * b);
  return w;
}

// keccak256(data[0..len)) -> out[32]. The last block is absorbed word by word with its padding (0x01 after
// the data, 0x80 in the rate's last byte) XORed in place, without copying it into a padded block.
HD inline void keccak256(const uint8_t* data, size_t len, uint8_t out[32]) {
  const size_t rate = 136;
  uint64_t st[25];
  for (int i = 0; i < 25; ++i) st[i] = 0;
  while (len >= rate) {
    for (size_t i = 0; i < rate / 8; ++i) st[i] ^= load_le64(data + 8 * i);
    keccak_f1600(st);
    data += rate;
    len -= rate;
  }
  size_t words = len / 8, tail = len % 8;
  for (size_t i = 0; i < words; ++i) st[i] ^= load_le64(data + 8 * i);
  uint64_t last = 0x01ULL << (8 * tail);
  for (size_t b = 0; b < tail; ++b) last |= (uint64_t)data[8 * words + b] << (8 * b);
  st[words] ^= last;
  st[rate / 8 - 1] ^= 0x8000000000000000ULL;
  keccak_f1600(st);
  for (int i = 0; i < 32; ++i) out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
}

// Incremental keccak256 for inputs that are not contiguous in memory (a transaction's signing payload is a
// new list header followed by a span of the raw bytes): absorb pieces in order, then finish once.
struct KeccakSponge {
  uint64_t st[25];
  uint8_t block[136];
  size_t fill;

  HD void init() {
    for (int i = 0; i < 25; ++i) st[i] = 0;
    fill = 0;
  }
  HD void absorb_block() {
    for (size_t i = 0; i < 136 / 8; ++i) {
      uint64_t lane = 0;
      for (int b = 0; b < 8; ++b) lane |= (uint64_t)block[i * 8 + b] << (8 * b);
      st[i] ^= lane;
    }
    keccak_f1600(st);
    fill = 0;
  }
  HD void absorb(const uint8_t* data, size_t len) {
    for (size_t i = 0; i < len; ++i) {
      block[fill++] = data[i];
      if (fill == 136) absorb_block();
    }
  }
  HD void finish(uint8_t out[32]) {
    for (size_t i = fill; i < 136; ++i) block[i] = 0;
    block[fill] ^= 0x01;
    block[135] ^= 0x80;
    absorb_block();
    for (int i = 0; i < 32; ++i) out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
  }
};

}  // namespace kern
