// CUDA launch code for batched secp256k1 sender recovery: the same kern::secp256k1 code as the CPU
// backend, one signature per GPU thread.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../../kernels/crypto/secp256k1.h"
#include "crypto_cuda.h"
#include "cuda_buffer.cuh"

namespace native {
namespace {

__global__ void recover_senders_kernel(const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                       uint8_t* ok) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < count) kern::secp256k1::recover_batch_item(hashes, sigs, i, addrs, ok);
}

}  // namespace

void cuda_recover_senders_batch(int device, const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                uint8_t* ok) {
  if (count == 0) return;
  check(cudaSetDevice(device), "cudaSetDevice");
  DevBuf d_hashes((size_t)count * 32), d_sigs((size_t)count * 65), d_addrs((size_t)count * 20), d_ok(count);
  check(cudaMemcpy(d_hashes.p, hashes, (size_t)count * 32, cudaMemcpyHostToDevice), "copy hashes");
  check(cudaMemcpy(d_sigs.p, sigs, (size_t)count * 65, cudaMemcpyHostToDevice), "copy signatures");
  const unsigned block = 128;
  recover_senders_kernel<<<(count + block - 1) / block, block>>>(d_hashes.as<uint8_t>(), d_sigs.as<uint8_t>(), count,
                                                                 d_addrs.as<uint8_t>(), d_ok.as<uint8_t>());
  check(cudaGetLastError(), "launch recover_senders_kernel");
  check(cudaMemcpy(addrs, d_addrs.p, (size_t)count * 20, cudaMemcpyDeviceToHost), "copy addresses");
  check(cudaMemcpy(ok, d_ok.p, count, cudaMemcpyDeviceToHost), "copy status");
}

}  // namespace native
