// Host side of fuzzing on the native EVM: a session (the deployed snapshot's mirror, block values, senders,
// properties, the campaign's coverage map) and runs of many call sequences at once, one EVM instance per
// sequence (kernels/evm/sequence.h), on the CPU pool. Buffer layouts: sequencer/fuzz/native-runner.ts.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "../../kernels/evm/sequence.h"
#include "evm_host.h"

namespace native {
namespace evm {

constexpr uint32_t COVERAGE_BITS = 1u << 16;
constexpr uint32_t EQ_SITES = 1u << 16;
constexpr size_t CMP_SEEN_CAP = 1u << 20;
constexpr uint32_t CMP_EMIT_CAP = 64;       // new operand pairs returned per sequence that reached something new
constexpr uint32_t CMP_EMIT_CAP_PLAIN = 8;  // ... per other sequence

// Admits ticket holders one at a time in ticket order (0, 1, 2, ...).
struct TicketGate {
  std::mutex mu;
  std::condition_variable cv;
  uint64_t next = 0;
};

struct FuzzSession {
  std::shared_ptr<StateMirror> mirror;
  std::vector<uint8_t> env_bytes, config_bytes;
  kern::evm::BlockEnvK env;
  std::vector<kern::evm::FuzzPropK> props;
  kern::evm::FuzzConfigK cfg;
  std::vector<uint8_t> coverage;  // COVERAGE_BITS bits: every edge any merged sequence reached
  uint32_t edges = 0;
  // Comparison feedback: operand pairs already handed to the campaign (hashes, bounded), and per comparing
  // site (hashed into EQ_SITES) the most bytes an EQ's operands ever had in common.
  std::unordered_set<uint64_t> cmp_seen;
  std::vector<uint8_t> eq_best;
  std::mutex mu;  // runs merge coverage one at a time, in sequence order (determinism)
  // Runs may overlap (the campaign submits a batch in chunks while it generates the next): each executes
  // and then merges only after every run submitted before it has (tickets), so a campaign stays a function
  // of its seed and the device is used by one run at a time.
  std::atomic<uint64_t> submitted{0};
  TicketGate executing, merging;
};

struct FuzzSequence {
  std::vector<kern::evm::FuzzCallK> calls;
};

struct FuzzSequenceOut {
  std::vector<kern::evm::CallOutK> calls;
  std::vector<int32_t> prop_failed_at;  // optimization targets: where the best value was first reached
  std::vector<kern::evm::u256> prop_best;  // optimization targets: the best value (signed)
  int32_t leak_at = -1;
  std::vector<uint32_t> edges;  // coverage bits this sequence set
  std::vector<kern::evm::CmpEntry> cmps;  // the instance's comparison log (empty without feedback)
};

// The sequences of a program (layout at fuzz_run); their calls point into program.
std::vector<FuzzSequence> decode_program(const std::vector<uint8_t>& program);

// Runs one sequence on the calling thread (larger instance limits after running out of room), with the
// comparison log when asked and block hit counts into hits when not null (zeroed first: see BlockHitsK).
void run_one(const FuzzSession& s, const FuzzSequence& seq, FuzzSequenceOut& out, bool comparisons,
             kern::evm::BlockHitsK* hits);

// The used entries of a comparison log's CMP_SLOTS slots (kernels/evm/cmp_log.h), in slot order.
void collect_comparisons(const kern::evm::CmpEntry* slots, std::vector<kern::evm::CmpEntry>& out);

// The set bits of a COVERAGE_BITS bitmap.
void bitmap_edges(const uint8_t* bitmap, std::vector<uint32_t>& out);

#ifdef EVM_WITH_CUDA
// CUDA path (native/evm/fuzz_cuda.cu): one sequence per device thread. done[i] is false for the sequences
// the device handed back (out of instance memory, or a precompile it does not run): the host runs those.
// With `comparisons`, each thread keeps its comparison log too. Returns false (with why) when the device
// cannot be used at all.
bool cuda_fuzz_run(const FuzzSession& s, const std::vector<uint8_t>& program, const std::vector<FuzzSequence>& seqs,
                   std::vector<FuzzSequenceOut>& outs, std::vector<uint8_t>& done, bool comparisons, std::string& why);
#endif

// config: u64 call_gas, [20] property sender, u32 n_senders + 20 each, u32 n_props + ([20] to, u8 kind
// (FuzzPropKind), u32 len, data).
std::shared_ptr<FuzzSession> make_fuzz_session(std::shared_ptr<StateMirror> mirror, std::vector<uint8_t> env,
                                               std::vector<uint8_t> config);

// program: u32 n_seqs, per sequence u32 n_calls, per call [20] from, [20] to, [32] value, u64 time delta,
// u64 block delta, u32 len, data. Returns, per sequence: u32 n_calls, u32 bytes of its calls' records, u32 calls
// that did not succeed, u8 1 when some call self-destructed or reverted with 36 bytes (could be a Panic: the
// only calls the campaign's tripwires read), then per call (u8 outcome, u8 status,
// u8 error, u8 flags, u64 gas used, u32 len, output), u32 n_props + i32 first failed check each (for an
// optimization target: the first check with its best value, then [32] that value, big-endian),
// i32 first ETH-leak check, u32 new coverage edges, u32 EQ sites brought closer than ever, u32 n new
// comparison pairs + (u8 opcode, u32 call index, [32] a, [32] b big-endian) each. Comparisons are logged
// only with `comparisons` and reported only when merging (a shrinking run reports none).
// ticket: s.submitted++ taken when the run was submitted (on the JS thread): the run executes, then merges,
// after every run with a smaller ticket has (whether that one failed or not).
std::vector<uint8_t> fuzz_run(FuzzSession& s, const std::vector<uint8_t>& program, bool merge_coverage, bool comparisons,
                              uint64_t ticket);

}  // namespace evm
}  // namespace native
