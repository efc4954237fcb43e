// Batched keccak-256: item i hashes data[offsets[i] .. offsets[i+1]) into out[32*i .. 32*i+32).
// The same function is the body of the CPU loop and of the CUDA thread.
#pragma once
#include "crypto/keccak.h"

namespace kern {

HD inline void keccak_batch_item(const uint8_t* data, const uint32_t* offsets, uint32_t i, uint8_t* out) {
  keccak256(data + offsets[i], offsets[i + 1] - offsets[i], out + 32 * (size_t)i);
}

}  // namespace kern
