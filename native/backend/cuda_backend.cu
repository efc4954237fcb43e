// The CUDA backend: the same kernels/ functions, one item per GPU thread.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../../kernels/keccak_batch.h"
#include "backend.h"
#include "crypto_cuda.h"
#include "cuda_buffer.cuh"

namespace native {
namespace {

__global__ void keccak_batch_kernel(const uint8_t* data, const uint32_t* offsets, uint32_t count, uint8_t* out) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < count) kern::keccak_batch_item(data, offsets, i, out);
}

class CudaBackend final : public Backend {
 public:
  CudaBackend(int device, std::string name) : device_(device), name_(std::move(name)) {}

  BackendInfo info() const override { return {"cuda", name_, 0, "CUDA device " + std::to_string(device_)}; }

  void keccak_batch(const uint8_t* data, size_t data_len, const uint32_t* offsets, uint32_t count,
                    uint8_t* out) override {
    if (count == 0) return;
    check(cudaSetDevice(device_), "cudaSetDevice");
    DevBuf d_data(data_len), d_offsets((count + 1) * sizeof(uint32_t)), d_out((size_t)count * 32);
    check(cudaMemcpy(d_data.p, data, data_len, cudaMemcpyHostToDevice), "copy data");
    check(cudaMemcpy(d_offsets.p, offsets, (count + 1) * sizeof(uint32_t), cudaMemcpyHostToDevice), "copy offsets");
    const unsigned block = 128;
    keccak_batch_kernel<<<(count + block - 1) / block, block>>>(d_data.as<uint8_t>(), d_offsets.as<uint32_t>(), count,
                                                                d_out.as<uint8_t>());
    check(cudaGetLastError(), "launch keccak_batch_kernel");
    check(cudaMemcpy(out, d_out.p, (size_t)count * 32, cudaMemcpyDeviceToHost), "copy results");
  }

  void recover_senders_batch(const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                             uint8_t* ok) override {
    cuda_recover_senders_batch(device_, hashes, sigs, count, addrs, ok);  // crypto_cuda.cu
  }

 private:
  int device_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend(std::string& why_not) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  // Without a driver this is error 35 (insufficient driver), not 100: any failure means "no device".
  if (err != cudaSuccess) {
    why_not = std::string("no CUDA device: cudaGetDeviceCount failed (") + cudaGetErrorName(err) + ": " +
              cudaGetErrorString(err) + ")";
    return nullptr;
  }
  if (count == 0) {
    why_not = "no CUDA device: cudaGetDeviceCount returned 0";
    return nullptr;
  }
  cudaDeviceProp prop;
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
    why_not = "no CUDA device: cudaGetDeviceProperties failed";
    return nullptr;
  }
  return std::make_unique<CudaBackend>(0, prop.name);
}

}  // namespace native
