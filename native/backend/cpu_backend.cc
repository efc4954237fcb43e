#include <thread>

#include "../../kernels/crypto/secp256k1.h"
#include "../../kernels/keccak_batch.h"
#include "backend.h"
#include "thread_pool.h"

namespace native {
namespace {

class CpuBackend final : public Backend {
 public:
  CpuBackend(unsigned threads, std::string reason) : pool_(threads), reason_(std::move(reason)) {}

  BackendInfo info() const override {
    return {"cpu", "host CPU", pool_.size(), reason_};
  }

  void keccak_batch(const uint8_t* data, size_t, const uint32_t* offsets, uint32_t count, uint8_t* out) override {
    // Hashes are tiny; hand out chunks so the shared counter is not the bottleneck.
    const size_t chunk = 256;
    size_t chunks = (count + chunk - 1) / chunk;
    pool_.parallel_for(chunks, [&](size_t c) {
      size_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
      for (size_t i = c * chunk; i < end; ++i) kern::keccak_batch_item(data, offsets, (uint32_t)i, out);
    });
  }

  void recover_senders_batch(const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                             uint8_t* ok) override {
    // ~80 us per item: small chunks keep all threads busy on small batches too.
    const size_t chunk = 8;
    size_t chunks = (count + chunk - 1) / chunk;
    pool_.parallel_for(chunks, [&](size_t c) {
      size_t end = (c + 1) * chunk < count ? (c + 1) * chunk : count;
      for (size_t i = c * chunk; i < end; ++i) kern::secp256k1::recover_batch_item(hashes, sigs, (uint32_t)i, addrs, ok);
    });
  }

 private:
  ThreadPool pool_;
  std::string reason_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(unsigned threads, std::string reason) {
  if (threads == 0) threads = std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  return std::make_unique<CpuBackend>(threads, std::move(reason));
}

}  // namespace native
