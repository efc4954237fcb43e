// The execution backend seam inside the addon: CUDA device when one is usable, CPU threads otherwise.
// Both run the same kernel functions from kernels/.
#pragma once
#include <memory>
#include <string>

namespace native {

struct BackendInfo {
  std::string kind;    // "cuda" or "cpu"
  std::string device;  // GPU name, or CPU description
  unsigned threads;    // CPU worker threads (the CPU backend) or 0
  std::string reason;  // why this backend was chosen
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual BackendInfo info() const = 0;
  // Hashes `count` items laid out back to back in `data`, item i spanning offsets[i]..offsets[i+1].
  virtual void keccak_batch(const uint8_t* data, size_t data_len, const uint32_t* offsets, uint32_t count,
                            uint8_t* out) = 0;
  // Recovers `count` transaction senders: hashes[32*i], sigs[65*i] = r(32) s(32) recid(1, 0..3).
  // Writes addrs[20*i] (zeros when there is no key) and ok[i] = 1 (recovered) or 0.
  virtual void recover_senders_batch(const uint8_t* hashes, const uint8_t* sigs, uint32_t count, uint8_t* addrs,
                                     uint8_t* ok) = 0;
};

// The CPU backend: always available. `threads` = 0 means one per hardware thread.
std::unique_ptr<Backend> make_cpu_backend(unsigned threads, std::string reason);

// Returns the CUDA backend, or nullptr with `why_not` set when no usable device (or no CUDA build).
std::unique_ptr<Backend> make_cuda_backend(std::string& why_not);

// Process-wide backend, chosen on first use: CUDA if a device answers, else CPU.
Backend& active_backend();

}  // namespace native
