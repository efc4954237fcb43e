#include "keccak_lanes.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "crypto/keccak.h"

namespace native {
namespace crypto {
namespace {

constexpr size_t kRate = 136;
constexpr int kRateWords = 17;

void hash_one_by_one(const KeccakJob* jobs, size_t count) {
  for (size_t i = 0; i < count; ++i) kern::keccak256(jobs[i].data, jobs[i].len, jobs[i].out);
}

// XORs one rate block (17 little-endian words) into a sponge word array with stride `stride`; the last
// block of a message (fewer than 136 bytes left) is padded with Keccak's 0x01 .. 0x80.
inline void absorb_block(uint64_t* words, size_t stride, const uint8_t* p, size_t left) {
  uint8_t padded[kRate];
  if (left < kRate) {
    std::memset(padded, 0, kRate);
    std::memcpy(padded, p, left);
    padded[left] ^= 0x01;
    padded[kRate - 1] ^= 0x80;
    p = padded;
  }
  for (int i = 0; i < kRateWords; ++i) {
    uint64_t w;
    std::memcpy(&w, p + 8 * i, 8);  // the SIMD paths are x86 only: little-endian
    words[i * stride] ^= w;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)

// Keccak-f[1600] on W states at once, one vector per lane position (the same steps as kern::keccak_f1600).
template <class V>
[[gnu::always_inline]] inline void permute(V* a) {
  static const uint64_t rc[24] = {KECCAK_ROUND_CONSTANTS};
  constexpr int rho[25] = {KECCAK_RHO};
  constexpr int pi_to[25] = {KECCAK_PI_TO};
  for (int round = 0; round < 24; ++round) {
    V c[5], d[5], b[25];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ ((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63));
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) {
      V t = a[i] ^ d[i % 5];
      b[pi_to[i]] = rho[i] == 0 ? t : (t << rho[i]) | (t >> (64 - rho[i]));
    }
#pragma GCC unroll 25
    for (int i = 0; i < 25; ++i) a[i] = b[i] ^ (~b[i - i % 5 + (i + 1) % 5] & b[i - i % 5 + (i + 2) % 5]);
    a[0] ^= rc[round];
  }
}

// Each of the W lanes runs one message's sponge; a lane whose message is done takes the next job, so
// messages of different lengths (one-block leaves, four-block branches) keep every lane busy until the
// jobs run out. Once few lanes are left busy, they finish one by one on the scalar permutation.
template <class V, int W>
[[gnu::always_inline]] inline void hash_lanes(const KeccakJob* jobs, size_t count) {
  alignas(64) uint64_t st[25][W];  // st[word][lane]
  const KeccakJob* job[W] = {};
  size_t absorbed[W] = {};
  size_t next = 0;
  for (;;) {
    int busy = 0;
    for (int l = 0; l < W; ++l) {
      if (job[l] == nullptr && next < count) {
        job[l] = &jobs[next++];
        absorbed[l] = 0;
        for (int i = 0; i < 25; ++i) st[i][l] = 0;
      }
      busy += job[l] != nullptr;
    }
    if (busy == 0) return;
    if (next == count && busy <= W / 4) break;
    for (int l = 0; l < W; ++l)
      if (job[l] != nullptr) absorb_block(&st[0][l], W, job[l]->data + absorbed[l], job[l]->len - absorbed[l]);
    V a[25];
    for (int i = 0; i < 25; ++i) std::memcpy(&a[i], st[i], sizeof(V));
    permute(a);
    for (int i = 0; i < 25; ++i) std::memcpy(st[i], &a[i], sizeof(V));
    for (int l = 0; l < W; ++l) {
      if (job[l] == nullptr) continue;
      if (job[l]->len - absorbed[l] >= kRate) {
        absorbed[l] += kRate;
        continue;
      }
      for (int w = 0; w < 4; ++w) std::memcpy(job[l]->out + 8 * w, &st[w][l], 8);
      job[l] = nullptr;
    }
  }
  // The tail: a vector permutation for one or two messages costs more than their scalar ones.
  for (int l = 0; l < W; ++l) {
    if (job[l] == nullptr) continue;
    uint64_t s[25];
    for (int i = 0; i < 25; ++i) s[i] = st[i][l];
    for (;;) {
      size_t left = job[l]->len - absorbed[l];
      absorb_block(s, 1, job[l]->data + absorbed[l], left);
      kern::keccak_f1600(s);
      if (left < kRate) break;
      absorbed[l] += kRate;
    }
    std::memcpy(job[l]->out, s, 32);
  }
}

typedef uint64_t V4 __attribute__((vector_size(32)));
typedef uint64_t V8 __attribute__((vector_size(64)));

__attribute__((target("avx2"))) void hash_avx2(const KeccakJob* jobs, size_t count) { hash_lanes<V4, 4>(jobs, count); }
__attribute__((target("avx512f"))) void hash_avx512(const KeccakJob* jobs, size_t count) { hash_lanes<V8, 8>(jobs, count); }

bool cpu_has(unsigned lanes) {
  __builtin_cpu_init();
  if (lanes == 8) return __builtin_cpu_supports("avx512f");
  if (lanes == 4) return __builtin_cpu_supports("avx2");
  return lanes == 1;
}

#else

bool cpu_has(unsigned lanes) { return lanes == 1; }

#endif

}  // namespace

unsigned keccak_best_lanes() {
  static const unsigned best = cpu_has(8) ? 8 : cpu_has(4) ? 4 : 1;
  return best;
}

void keccak256_many_lanes(unsigned lanes, const KeccakJob* jobs, size_t count) {
  if ((lanes != 1 && lanes != 4 && lanes != 8) || !cpu_has(lanes))
    throw std::invalid_argument("keccak256 lanes: " + std::to_string(lanes) + " lanes are not available on this CPU (best: " +
                                std::to_string(keccak_best_lanes()) + ")");
#if defined(__x86_64__) && defined(__GNUC__)
  if (lanes == 8) return hash_avx512(jobs, count);
  if (lanes == 4) return hash_avx2(jobs, count);
#endif
  hash_one_by_one(jobs, count);
}

void keccak256_many(const KeccakJob* jobs, size_t count) {
  // A lone message gains nothing from lanes.
  keccak256_many_lanes(count < 2 ? 1 : keccak_best_lanes(), jobs, count);
}

}  // namespace crypto
}  // namespace native
