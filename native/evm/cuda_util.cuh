// Device-memory helpers shared by the CUDA launch files: host pointers moved into device copies, and how
// many instances fit the device memory.
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../backend/cuda_buffer.cuh"
#include "evm_host.h"

namespace native {
namespace evm {

// A pointer into a host byte buffer, moved to the same offset in its device copy.
inline const uint8_t* fix_ptr(const uint8_t* p, const std::vector<uint8_t>& host, const DevBuf& dev) {
  return rebase_ptr(p, host.data(), host.size(), dev.as<uint8_t>());
}

// Instances that fit in half the free device memory, each needing per_instance bytes, at most n.
inline uint32_t device_chunk(uint32_t n, uint64_t per_instance) {
  size_t free_b = 0, total_b = 0;
  check(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
  uint64_t fit = (free_b / 2) / per_instance;
  return (uint32_t)(n < fit ? n : (fit > 0 ? fit : 1));
}

}  // namespace evm
}  // namespace native
