// CUDA path of the native EVM: one transaction per GPU thread, running the same kernels/evm code as the
// CPU. The mirror's resident device copy (device_state.h) is brought up to date by a delta, each thread
// carves its bounded instance memory from one device allocation, and writes its serialized result into a
// fixed output slot. A thread that cannot finish on the device (a precompile the device does not run,
// instance memory exhausted, or a result larger than its slot) leaves its slot empty, and the host
// completes that transaction.
#include <cuda_runtime.h>

// Precompiles other than IDENTITY are handed back to the host from the device (kernels/evm/interpreter.h).
#define EVM_DEVICE_PRECOMPILES 0

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda_util.cuh"
#include "device_state.h"
#include "evm_host.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

constexpr uint64_t OUT_SLOT = 32 << 10;  // bytes of serialized result per thread

__global__ void evm_batch_kernel(const StateDB* db, const BlockEnvK* env, const TxK* txs, uint32_t n, uint8_t* arena,
                                 uint64_t instance_bytes, Limits lim, uint8_t* out, uint32_t* out_len) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  Ctx c;
  ctx_init(c, arena + (uint64_t)i * instance_bytes, lim, db, env, &txs[i]);
  c.on_device = true;
  c.device_precompiles = EVM_DEVICE_PRECOMPILES != 0;
  execute_tx(c);
  out_len[i] = 0;
  if (c.result.outcome == OUT_RETRY_HOST) return;
  uint64_t size = serialize_result(c, nullptr);
  if (size > OUT_SLOT) return;
  serialize_result(c, out + (uint64_t)i * OUT_SLOT);
  out_len[i] = (uint32_t)size;
}

}  // namespace

bool cuda_device_available() {
  int count = 0;
  return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

bool cuda_execute_batch(const StateMirror& state, const Batch& batch, std::vector<std::vector<uint8_t>>& out,
                        std::string& why) {
  try {
    const uint32_t n = (uint32_t)batch.txs.size();
    if (n == 0) return true;
    check(cudaSetDevice(0), "cudaSetDevice");
    check(cudaDeviceSetLimit(cudaLimitStackSize, 32 << 10), "stack size");
    // The resident copy, brought up to the mirror by a delta (or uploaded whole the first time).
    ResidentView d_state = resident_state(state, true);
    // Environment and transactions: pointers into the host byte buffers become pointers into their copies.
    DevBuf d_envb(batch.env_bytes.size()), d_txb(batch.tx_bytes.size());
    up(d_envb, batch.env_bytes.data(), batch.env_bytes.size());
    up(d_txb, batch.tx_bytes.data(), batch.tx_bytes.size());
    BlockEnvK env = batch.env;
    env.block_hashes = fix_ptr(env.block_hashes, batch.env_bytes, d_envb);
    DevBuf d_env(sizeof(BlockEnvK));
    up(d_env, &env, 1);
    std::vector<TxK> txs = batch.txs;
    for (auto& t : txs) rebase_tx(t, batch.tx_bytes.data(), batch.tx_bytes.size(), d_txb.as<uint8_t>());
    DevBuf d_txs(n * sizeof(TxK));
    up(d_txs, txs.data(), n);
    // Instances, in chunks that fit the device memory.
    Limits lim = device_limits();
    uint64_t ib = align_up(instance_bytes(lim), 256);
    uint32_t chunk = device_chunk(n, ib + OUT_SLOT + 4);
    DevBuf d_arena(chunk * ib), d_out(chunk * OUT_SLOT), d_len(chunk * 4ULL);
    std::vector<uint32_t> lens(chunk);
    std::vector<uint8_t> host_out;
    for (uint32_t start = 0; start < n; start += chunk) {
      uint32_t m = std::min(chunk, n - start);
      const unsigned block = 64;
      evm_batch_kernel<<<(m + block - 1) / block, block>>>(d_state.db, d_env.as<BlockEnvK>(),
                                                           d_txs.as<TxK>() + start, m, d_arena.as<uint8_t>(), ib, lim,
                                                           d_out.as<uint8_t>(), d_len.as<uint32_t>());
      check(cudaGetLastError(), "launch evm_batch_kernel");
      check(cudaDeviceSynchronize(), "evm_batch_kernel");
      check(cudaMemcpy(lens.data(), d_len.p, m * 4ULL, cudaMemcpyDeviceToHost), "copy lengths");
      // Only the longest record's bytes of each slot travel back (one strided copy).
      uint32_t maxlen = 0;
      for (uint32_t k = 0; k < m; ++k) maxlen = std::max(maxlen, lens[k]);
      if (maxlen == 0) continue;
      host_out.resize((size_t)m * maxlen);
      check(cudaMemcpy2D(host_out.data(), maxlen, d_out.p, OUT_SLOT, maxlen, m, cudaMemcpyDeviceToHost), "copy results");
      for (uint32_t k = 0; k < m; ++k)
        out[start + k].assign(host_out.data() + (uint64_t)k * maxlen, host_out.data() + (uint64_t)k * maxlen + lens[k]);
    }
    return true;
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
}

}  // namespace evm
}  // namespace native
