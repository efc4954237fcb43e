// Device-memory helpers shared by the CUDA launch files: checked calls, owned buffers, and the state mirror
// copied to the device with its pointers fixed up.
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "../backend/cuda_buffer.cuh"
#include "evm_host.h"

namespace native {
namespace evm {

// A pointer into a host byte buffer, moved to the same offset in its device copy.
inline const uint8_t* fix_ptr(const uint8_t* p, const std::vector<uint8_t>& host, const DevBuf& dev) {
  if (p >= host.data() && p <= host.data() + host.size()) return dev.as<uint8_t>() + (p - host.data());
  return dev.as<uint8_t>();  // empty fields point at a static byte: any valid pointer will do
}

// The state mirror on the device; db() is a device pointer to a StateDB over the copies.
class DeviceState {
 public:
  explicit DeviceState(const StateMirror& state)
      : accounts_(state.accounts.size() * sizeof(kern::evm::DbAccount)), aidx_(state.acct_index.size() * 4),
        slots_(state.slots.size() * sizeof(kern::evm::DbSlot)), sidx_(state.slot_index.size() * 4),
        code_(state.code.size()), jumpdests_(state.jumpdests.size()), db_(sizeof(kern::evm::StateDB)) {
    up(accounts_, state.accounts.data(), state.accounts.size());
    up(aidx_, state.acct_index.data(), state.acct_index.size());
    up(slots_, state.slots.data(), state.slots.size());
    up(sidx_, state.slot_index.data(), state.slot_index.size());
    up(code_, state.code.data(), state.code.size());
    up(jumpdests_, state.jumpdests.data(), state.jumpdests.size());
    kern::evm::StateDB db = state.view();
    db.accounts = accounts_.as<kern::evm::DbAccount>();
    db.acct_index = aidx_.as<uint32_t>();
    db.slots = slots_.as<kern::evm::DbSlot>();
    db.slot_index = sidx_.as<uint32_t>();
    db.code = code_.as<uint8_t>();
    db.jumpdests = jumpdests_.as<uint8_t>();
    up(db_, &db, 1);
  }
  const kern::evm::StateDB* db() const { return db_.as<kern::evm::StateDB>(); }

 private:
  DevBuf accounts_, aidx_, slots_, sidx_, code_, jumpdests_, db_;
};

// Instances that fit in half the free device memory, each needing per_instance bytes, at most n.
inline uint32_t device_chunk(uint32_t n, uint64_t per_instance) {
  size_t free_b = 0, total_b = 0;
  check(cudaMemGetInfo(&free_b, &total_b), "cudaMemGetInfo");
  uint64_t fit = (free_b / 2) / per_instance;
  return (uint32_t)(n < fit ? n : (fit > 0 ? fit : 1));
}

}  // namespace evm
}  // namespace native
