// CUDA memory for the resident state copy (device_state.h): device allocations, copies, and the kernel that
// applies a state delta on the device, one item per thread (kernels/evm/state_delta.h).
#include <cuda_runtime.h>

#include "../backend/cuda_buffer.cuh"
#include "device_state.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

__global__ void apply_state_delta_kernel(const uint8_t* buf, StateDeltaHeader h, ResidentArrays r, uint64_t n) {
  for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < n; i += (uint64_t)gridDim.x * blockDim.x)
    apply_delta_item(buf, h, r, i);
}

class CudaStateMemory : public StateMemory {
 public:
  const char* name() const override { return "cuda"; }
  void* alloc(size_t bytes) override {
    void* p = nullptr;
    check(cudaMalloc(&p, bytes ? bytes : 1), "cudaMalloc (resident state)");
    return p;
  }
  void release(void* p) override { cudaFree(p); }
  void upload(void* dst, const void* src, size_t bytes) override {
    if (bytes) check(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice), "copy state to device");
  }
  void download(void* dst, const void* src, size_t bytes) override {
    if (bytes) check(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost), "copy state from device");
  }
  void apply_delta(const uint8_t* buf, const StateDeltaHeader& h, const ResidentArrays& r) override {
    const uint64_t n = delta_items(h);
    if (n == 0) return;
    const unsigned block = 256;
    const uint64_t want = (n + block - 1) / block;
    const unsigned grid = (unsigned)(want < 4096 ? want : 4096);
    apply_state_delta_kernel<<<grid, block>>>(buf, h, r, n);
    check(cudaGetLastError(), "launch apply_state_delta_kernel");
    check(cudaDeviceSynchronize(), "apply_state_delta_kernel");
  }
};

}  // namespace

std::unique_ptr<StateMemory> make_cuda_state_memory() { return std::unique_ptr<StateMemory>(new CudaStateMemory()); }

}  // namespace evm
}  // namespace native
