// CUDA launch code for batched secp256k1 sender recovery: the same kern::secp256k1 code as the CPU
// backend, one signature per GPU thread.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../../kernels/crypto/secp256k1.h"
#include "crypto_cuda.h"

namespace native {
namespace {

__global__ void recover_senders_kernel(const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                       uint8_t* ok) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < count) kern::secp256k1::recover_batch_item(hashes, sigs, i, addrs, ok);
}

void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(err));
}

struct DeviceBuffer {
  void* ptr = nullptr;
  explicit DeviceBuffer(size_t bytes) { check(cudaMalloc(&ptr, bytes ? bytes : 1), "cudaMalloc"); }
  ~DeviceBuffer() { cudaFree(ptr); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  uint8_t* bytes() const { return static_cast<uint8_t*>(ptr); }
};

}  // namespace

void cuda_recover_senders_batch(int device, const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                uint8_t* ok) {
  if (count == 0) return;
  check(cudaSetDevice(device), "cudaSetDevice");
  DeviceBuffer d_hashes((size_t)count * 32), d_sigs((size_t)count * 65), d_addrs((size_t)count * 20), d_ok(count);
  check(cudaMemcpy(d_hashes.ptr, hashes, (size_t)count * 32, cudaMemcpyHostToDevice), "copy hashes");
  check(cudaMemcpy(d_sigs.ptr, sigs, (size_t)count * 65, cudaMemcpyHostToDevice), "copy signatures");
  const unsigned block = 128;
  recover_senders_kernel<<<(count + block - 1) / block, block>>>(d_hashes.bytes(), d_sigs.bytes(), count,
                                                                 d_addrs.bytes(), d_ok.bytes());
  check(cudaGetLastError(), "launch recover_senders_kernel");
  check(cudaMemcpy(addrs, d_addrs.ptr, (size_t)count * 20, cudaMemcpyDeviceToHost), "copy addresses");
  check(cudaMemcpy(ok, d_ok.ptr, count, cudaMemcpyDeviceToHost), "copy status");
}

}  // namespace native
