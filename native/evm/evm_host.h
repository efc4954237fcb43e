// Host side of the native EVM: the state mirror (flat snapshot built from the TypeScript WorldState), the
// decoding of flat batch buffers into kernel structs, and batch execution on the CPU thread pool or the
// CUDA device. Kernel code is in kernels/evm/ (header-only, HD).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../../kernels/evm/result.h"
#include "../backend/thread_pool.h"

namespace native {
namespace state {
struct ChangeSet;
}
namespace evm {

using kern::evm::BlockEnvK;
using kern::evm::StateDB;
using kern::evm::TxK;

class ResidentState;

// Entries of a mirror changed since its device-resident copy last synced (device_state.h), recorded only
// while it has one; positions may repeat. Past `limit` entries a delta is not worth it: recording stops and
// the next sync uploads everything.
struct MirrorJournal {
  bool recording = false;
  bool overflow = false;
  bool acct_index_rebuilt = false, slot_index_rebuilt = false;
  size_t limit = 0;
  std::vector<uint32_t> accounts, slots, acct_index_pos, slot_index_pos;
  void note(std::vector<uint32_t>& list, uint32_t i) {
    if (!recording || overflow) return;
    list.push_back(i);
    if (accounts.size() + slots.size() + acct_index_pos.size() + slot_index_pos.size() > limit) {
      overflow = true;
      accounts = slots = acct_index_pos = slot_index_pos = std::vector<uint32_t>();
    }
  }
  // Starts a new recording (after a sync).
  void restart(size_t new_limit) {
    *this = MirrorJournal();
    recording = true;
    limit = new_limit;
  }
};

// A mirror's device-resident copy (created by the first batch on the device or its simulation; see
// device_state.h for access) and the changes it has not seen yet. The journal is written only by in-place
// updates, which never overlap a reader, and read and restarted by syncs, which only readers do. A copy of
// the mirror starts without either.
struct DeviceCopy {
  std::shared_ptr<ResidentState> resident;
  MirrorJournal journal;
  DeviceCopy() = default;
  DeviceCopy(const DeviceCopy&) {}
  DeviceCopy& operator=(const DeviceCopy&) { return *this; }
};

// An immutable snapshot of the world state in kernel layout.
struct StateMirror {
  std::vector<kern::evm::DbAccount> accounts;
  std::vector<uint32_t> acct_index;
  std::vector<kern::evm::DbSlot> slots;
  std::vector<uint32_t> slot_index;
  std::vector<uint8_t> code;       // every account's code 8-aligned (see StateDB::jumpdests)
  std::vector<uint8_t> jumpdests;  // code.size() / 8 + 1 bytes
  std::vector<uint32_t> nonzero_slots;  // per account (host only): keeps has_storage exact under updates
  // Batches reading the mirror now, and whether something keeps it for good (a fuzz session): in-place
  // updates are refused unless both are zero. Touched on the JS thread only.
  int readers = 0;
  bool pinned = false;
  mutable DeviceCopy device;
  StateDB view() const;
  // Appends code (8-aligned, with its JUMPDEST bitmap); returns its offset.
  uint64_t add_code(const uint8_t* code, uint64_t len);
};

// A copy of the mirror (no readers, not pinned, no device copy) that can be updated while the original is read.
std::shared_ptr<StateMirror> fork_state_mirror(const StateMirror& m);
// Parses the state buffer (see sequencer/executor/native/encode.ts, encodeState). Throws on bad input.
std::shared_ptr<StateMirror> build_state_mirror(const uint8_t* buf, size_t len);
// Applies account changes in place (encode.ts, encodeChanges): the caller guarantees no batch reads the
// mirror meanwhile. Throws on bad input (the mirror may then be partly updated: drop it).
void update_state_mirror(StateMirror& m, const uint8_t* buf, size_t len);
// The same from the executor's change records merged in commit order (state/change_set.h, without a
// WorldState set): a record carries its code, so the mirror gets the code bytes, not just their hash.
void update_state_mirror(StateMirror& m, const state::ChangeSet& cs);

// A decoded batch: owns its bytes; env/txs point into them.
struct Batch {
  std::vector<uint8_t> env_bytes, tx_bytes;
  BlockEnvK env;
  std::vector<TxK> txs;
};
// Decodes the block environment buffer (see encode.ts, encodeEnv); block_hashes points into bytes.
void decode_env(const std::vector<uint8_t>& bytes, BlockEnvK& e);
// Decodes env + txs buffers (see encode.ts). Throws std::runtime_error on malformed input.
void decode_batch(Batch& b);

// p, which points into from[0..size), at the same offset of `to`; a pointer outside it (a shared empty
// byte) points at `to`.
inline const uint8_t* rebase_ptr(const uint8_t* p, const uint8_t* from, size_t size, const uint8_t* to) {
  return p >= from && p <= from + size ? to + (p - from) : to;
}
// Points a transaction's byte fields (data, access list, blob hashes, authorizations) from[0..size) at the
// same offsets of `to`, with rebase_ptr.
void rebase_tx(kern::evm::TxK& t, const uint8_t* from, size_t size, const uint8_t* to);
// The batch's transactions `which` (in that order) as a batch of their own, over copies of its bytes.
Batch batch_subset(const Batch& batch, const std::vector<uint32_t>& which);

// EVM_SIMULATE_DEVICE=1: CPU runs behave as device threads would (see execute_one_as_device).
bool simulating_device();
// Whether execute_batch runs on a device (the CUDA backend) or as one (simulating_device()).
bool device_runs_batches();
// Executes every transaction of the batch against the mirror; out[i] is tx i's serialized result.
void execute_batch(const StateMirror& state, const Batch& batch, std::vector<std::vector<uint8_t>>& out);
// The same under a cancel flag (a deadline): on the calling thread, one transaction after another, so a
// long run never holds the shared pool (whose loops run one at a time) that the sequencer's batches need.
// A run stopped by the flag returns an OUT_ABORTED record.
void execute_batch_cancellable(const StateMirror& state, const Batch& batch, const uint8_t* abort_flag,
                               std::vector<std::vector<uint8_t>>& out);

// The CPU pool every native EVM batch (and fuzz run) shares.
ThreadPool& evm_pool();
// Description of where batches run (CPU threads, or the CUDA device) and the per-instance memory.
struct EvmInfo {
  std::string backend;
  uint64_t instance_bytes;
  uint64_t device_instance_bytes;
  unsigned threads;
  uint64_t handed_back;  // transactions completed on the host after the device handed them back (so far)
};
EvmInfo evm_info();
// Counts work (transactions, fuzz sequences) the device, or its simulation, handed back to the host.
void note_handed_back(uint64_t n);

kern::evm::Limits default_limits();
// The (smaller) per-thread limits of a device instance.
kern::evm::Limits device_limits();
kern::evm::Limits scaled_limits(unsigned factor);

// Runs one transaction on the calling host thread, retrying with larger limits when it runs out of room.
// abort_flag: see execute_batch_cancellable (nullptr: none).
// chain: the earlier transactions of its chain (chain_overlay.h), nullptr for none.
std::vector<uint8_t> execute_one_host(const StateDB& db, const BlockEnvK& env, const TxK& tx,
                                      const uint8_t* abort_flag = nullptr,
                                      const kern::evm::ChainOverlayK* chain = nullptr);

// EVM_SIMULATE_DEVICE=1: the CPU path first runs each transaction exactly as a device thread would (device
// limits, no device precompiles) and completes the handed-back ones on the host, so the hand-back logic is
// exercised on machines without a GPU. Returns an empty vector when the device would hand it back.
std::vector<uint8_t> execute_one_as_device(const StateDB& db, const BlockEnvK& env, const TxK& tx);

#ifdef EVM_WITH_CUDA
// CUDA path (native/evm/evm_cuda.cu): runs the batch on the device; results of transactions the device
// could not finish (a precompile it cannot run, or out of instance memory) are left empty for the host.
// Returns false (with why) when the device cannot be used at all.
bool cuda_execute_batch(const StateMirror& state, const Batch& batch, std::vector<std::vector<uint8_t>>& out,
                        std::string& why);
bool cuda_device_available();
#endif

}  // namespace evm
}  // namespace native
