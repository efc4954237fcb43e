// Keccak-256 of many independent messages at once, host only: SIMD lanes each run their own sponge (8
// with AVX-512, 4 with AVX2), so one vector permutation advances up to 8 messages. The instruction set is
// picked at run time (__builtin_cpu_supports), so a portable build still uses it where the CPU has it;
// without either the messages are hashed one by one with kern::keccak256. The device keeps its own
// one-message-per-thread keccak (kernels/crypto/keccak.h).
#pragma once
#include <cstddef>
#include <cstdint>

namespace native {
namespace crypto {

struct KeccakJob {
  const uint8_t* data;
  size_t len;
  uint8_t* out;  // 32 bytes; may not overlap another job's data
};

// The widest lane count this CPU runs: 8, 4 or 1.
unsigned keccak_best_lanes();

// out = keccak256(data) for every job, with the widest lanes this CPU has.
void keccak256_many(const KeccakJob* jobs, size_t count);

// The same with a given lane count (1, 4 or 8), for tests and benchmarks; throws std::invalid_argument for
// another count or one this CPU cannot run.
void keccak256_many_lanes(unsigned lanes, const KeccakJob* jobs, size_t count);

}  // namespace crypto
}  // namespace native
