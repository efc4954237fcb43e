// CUDA launch code of the crypto kernels (crypto_cuda.cu), called by the CUDA backend.
#pragma once
#include <stdint.h>

namespace native {

// One GPU thread per signature: kern::secp256k1::recover_batch_item. Throws std::runtime_error on CUDA errors.
void cuda_recover_senders_batch(int device, const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                uint8_t* ok);

}  // namespace native
