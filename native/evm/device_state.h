// The device-resident copy of a state mirror. It is uploaded once, then kept in step with the mirror by
// deltas (kernels/evm/state_delta.h): after the mirror follows the chain's change feeds in place
// (update_state_mirror), the next batch on the device sends only the changed accounts, slots, index entries
// and appended code, and a kernel applies them there. The same class drives CUDA memory and plain host
// memory standing in for it (EVM_SIMULATE_DEVICE), so the sync logic and the apply kernel's code run in
// CPU tests too.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "../../kernels/evm/state_delta.h"
#include "evm_host.h"

namespace native {
namespace evm {

// Memory a resident copy lives in, and how bytes and the apply kernel get there.
class StateMemory {
 public:
  virtual ~StateMemory() = default;
  virtual const char* name() const = 0;  // "cuda" or "host"
  virtual void* alloc(size_t bytes) = 0;
  virtual void release(void* p) = 0;
  virtual void upload(void* dst, const void* src, size_t bytes) = 0;
  virtual void download(void* dst, const void* src, size_t bytes) = 0;
  // Runs kern::evm::apply_delta_item for every item of the delta at `buf` (already in this memory).
  virtual void apply_delta(const uint8_t* buf, const kern::evm::StateDeltaHeader& h,
                           const kern::evm::ResidentArrays& r) = 0;
};

std::unique_ptr<StateMemory> make_host_state_memory();
#ifdef EVM_WITH_CUDA
std::unique_ptr<StateMemory> make_cuda_state_memory();  // device_state_cuda.cu
#endif

struct ResidentStats {
  uint64_t full_uploads = 0;   // whole-state uploads (the first one, then after growth or a journal overflow)
  uint64_t delta_syncs = 0;    // syncs by a delta
  uint64_t index_uploads = 0;  // whole index uploads after the mirror rebuilt (grew) an index
  uint64_t full_bytes = 0, delta_bytes = 0, index_bytes = 0;
  uint64_t last_delta_bytes = 0;
  uint64_t last_delta_items = 0;
};

class ResidentState {
 public:
  explicit ResidentState(std::unique_ptr<StateMemory> memory);
  ~ResidentState();
  ResidentState(const ResidentState&) = delete;
  ResidentState& operator=(const ResidentState&) = delete;

  // Brings the copy up to the mirror (by a delta of its journal, or whole) and returns the StateDB over it,
  // a pointer in the copy's memory. The caller reads the mirror (so it is not updated meanwhile).
  const kern::evm::StateDB* sync(const StateMirror& m);
  // The first difference between the copy and the mirror ("" when equal); downloads the whole copy.
  std::string compare(const StateMirror& m);
  ResidentStats stats();
  const char* memory_name() const { return memory_->name(); }

 private:
  struct Array {
    void* p = nullptr;
    size_t capacity = 0;  // bytes
  };
  void upload_all(const StateMirror& m);
  void upload_index(Array& a, const std::vector<uint32_t>& index);
  void apply_delta(const StateMirror& m);
  void ensure(Array& a, size_t bytes, size_t headroom_bytes);
  void publish_view(const StateMirror& m);

  std::unique_ptr<StateMemory> memory_;
  std::mutex mu_;
  bool loaded_ = false;
  Array accounts_, acct_index_, slots_, slot_index_, code_, jumpdests_, delta_, db_;
  size_t acct_index_len_ = 0, slot_index_len_ = 0;  // entries in the copy's indexes
  size_t code_len_ = 0, jumpdests_len_ = 0;         // bytes the copy holds
  ResidentStats stats_;
};

// A synced resident copy and its StateDB (a pointer in the copy's memory, valid while `owner` lives).
struct ResidentView {
  std::shared_ptr<ResidentState> owner;
  const kern::evm::StateDB* db;
};

// The mirror's resident copy, or null before a batch ran on the device (or its simulation).
std::shared_ptr<ResidentState> resident_of(const StateMirror& m);

// The resident copy of `m` in CUDA memory (cuda true) or host memory (the simulation), synced to it:
// created on first use and kept with the mirror for the next batches.
ResidentView resident_state(const StateMirror& m, bool cuda);

}  // namespace evm
}  // namespace native
