// CUDA path of the native EVM: one transaction per GPU thread, running the same kernels/evm code as the
// CPU. The state mirror is copied to the device (pointers fixed up), each thread carves its bounded instance
// memory from one device allocation, and writes its serialized result into a fixed output slot. A thread
// that cannot finish on the device (a precompile the device does not run, instance memory exhausted, or a
// result larger than its slot) leaves its slot empty, and the host completes that transaction.
#include <cuda_runtime.h>

// Precompiles other than IDENTITY are handed back to the host from the device (kernels/evm/interpreter.h).
#define EVM_DEVICE_PRECOMPILES 0

#include <stdexcept>
#include <string>
#include <vector>

#include "evm_host.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

constexpr uint64_t OUT_SLOT = 32 << 10;  // bytes of serialized result per thread

void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(err));
}

struct DevBuf {
  void* p = nullptr;
  explicit DevBuf(size_t n) { check(cudaMalloc(&p, n ? n : 1), "cudaMalloc"); }
  ~DevBuf() { cudaFree(p); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  template <typename T> T* as() const { return static_cast<T*>(p); }
};

template <typename T> void up(DevBuf& d, const T* src, size_t count) {
  if (count) check(cudaMemcpy(d.p, src, count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
}

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
    // State mirror.
    DevBuf d_accounts(state.accounts.size() * sizeof(DbAccount)), d_aidx(state.acct_index.size() * 4),
        d_slots(state.slots.size() * sizeof(DbSlot)), d_sidx(state.slot_index.size() * 4), d_code(state.code.size());
    up(d_accounts, state.accounts.data(), state.accounts.size());
    up(d_aidx, state.acct_index.data(), state.acct_index.size());
    up(d_slots, state.slots.data(), state.slots.size());
    up(d_sidx, state.slot_index.data(), state.slot_index.size());
    up(d_code, state.code.data(), state.code.size());
    StateDB db = state.view();
    db.accounts = d_accounts.as<DbAccount>();
    db.acct_index = d_aidx.as<uint32_t>();
    db.slots = d_slots.as<DbSlot>();
    db.slot_index = d_sidx.as<uint32_t>();
    db.code = d_code.as<uint8_t>();
    DevBuf d_db(sizeof(StateDB));
    up(d_db, &db, 1);
    // Environment and transactions: pointers into the host byte buffers become pointers into their copies.
    DevBuf d_envb(batch.env_bytes.size()), d_txb(batch.tx_bytes.size());
    up(d_envb, batch.env_bytes.data(), batch.env_bytes.size());
    up(d_txb, batch.tx_bytes.data(), batch.tx_bytes.size());
    auto fix = [](const uint8_t* p, const std::vector<uint8_t>& host, const DevBuf& dev) -> const uint8_t* {
      if (p >= host.data() && p <= host.data() + host.size()) return dev.as<uint8_t>() + (p - host.data());
      return dev.as<uint8_t>();  // empty fields point at a static byte: any valid pointer will do
    };
    BlockEnvK env = batch.env;
    env.block_hashes = fix(env.block_hashes, batch.env_bytes, d_envb);
    DevBuf d_env(sizeof(BlockEnvK));
    up(d_env, &env, 1);
    std::vector<TxK> txs = batch.txs;
    for (auto& t : txs) {
      t.data = fix(t.data, batch.tx_bytes, d_txb);
      t.access_list = fix(t.access_list, batch.tx_bytes, d_txb);
      t.blob_hashes = fix(t.blob_hashes, batch.tx_bytes, d_txb);
    }
    DevBuf d_txs(n * sizeof(TxK));
    up(d_txs, txs.data(), n);
    // Instances, in chunks that fit the device memory.
    Limits lim = device_limits();
    uint64_t ib = align_up(instance_bytes(lim), 256);
    size_t free_b = 0, total_b = 0;
    check(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
    uint64_t per = ib + OUT_SLOT + 4;
    uint32_t chunk = (uint32_t)std::min<uint64_t>(n, std::max<uint64_t>(1, (free_b / 2) / per));
    DevBuf d_arena(chunk * ib), d_out(chunk * OUT_SLOT), d_len(chunk * 4ULL);
    std::vector<uint32_t> lens(chunk);
    std::vector<uint8_t> host_out(chunk * OUT_SLOT);
    for (uint32_t start = 0; start < n; start += chunk) {
      uint32_t m = std::min(chunk, n - start);
      const unsigned block = 64;
      evm_batch_kernel<<<(m + block - 1) / block, block>>>(d_db.as<StateDB>(), d_env.as<BlockEnvK>(),
                                                           d_txs.as<TxK>() + start, m, d_arena.as<uint8_t>(), ib, lim,
                                                           d_out.as<uint8_t>(), d_len.as<uint32_t>());
      check(cudaGetLastError(), "launch evm_batch_kernel");
      check(cudaDeviceSynchronize(), "evm_batch_kernel");
      check(cudaMemcpy(lens.data(), d_len.p, m * 4ULL, cudaMemcpyDeviceToHost), "copy lengths");
      check(cudaMemcpy(host_out.data(), d_out.p, m * OUT_SLOT, cudaMemcpyDeviceToHost), "copy results");
      for (uint32_t k = 0; k < m; ++k)
        out[start + k].assign(host_out.data() + (uint64_t)k * OUT_SLOT, host_out.data() + (uint64_t)k * OUT_SLOT + lens[k]);
    }
    return true;
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
}

}  // namespace evm
}  // namespace native
