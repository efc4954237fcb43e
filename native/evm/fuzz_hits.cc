#include "fuzz_hits.h"

#include <mutex>

#include "../backend/backend.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

// One thread's counting arrays over the code arena, kept zeroed between sequences (only what a sequence
// counted is collected and cleared), and its stamps valid across sequences (call ids only grow).
struct HitBuffers {
  std::vector<uint32_t> stamp, pending, ok, failed, seen;
  BlockHitsK k{};

  BlockHitsK& over(uint64_t len) {
    if (stamp.size() != len) {
      for (auto* v : {&stamp, &pending, &ok, &failed, &seen}) v->assign(len, 0);
      k = BlockHitsK{};
      k.len = len;
      k.call = 1;
      k.stamp = stamp.data();
      k.pending = pending.data();
      k.ok = ok.data();
      k.failed = failed.data();
      k.seen = seen.data();
    }
    return k;
  }
};

void put_u32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back((uint8_t)(v >> (8 * i)));
}

}  // namespace

std::vector<uint8_t> fuzz_block_hits(const FuzzSession& s, const std::vector<uint8_t>& program) {
  std::vector<FuzzSequence> seqs = decode_program(program);
  const StateDB db = s.mirror->view();
  std::vector<uint32_t> ok(db.code_len, 0), failed(db.code_len, 0);
  std::mutex mu;
  std::exception_ptr failure;
  evm_pool().parallel_for(seqs.size(), [&](size_t i) {
    thread_local HitBuffers buf;
    try {
      BlockHitsK& h = buf.over(db.code_len);
      FuzzSequenceOut out;
      run_one(s, seqs[i], out, false, &h);
      std::lock_guard<std::mutex> g(mu);
      for (uint32_t j = 0; j < h.n_seen; ++j) {
        const uint32_t at = h.seen[j];
        ok[at] += h.ok[at];
        failed[at] += h.failed[at];
        h.ok[at] = h.failed[at] = 0;
      }
      h.n_seen = 0;
    } catch (...) {
      std::lock_guard<std::mutex> g(mu);
      if (!failure) failure = std::current_exception();
    }
  });
  if (failure) std::rethrow_exception(failure);

  std::vector<uint8_t> bytes;
  uint32_t n_accounts = 0;
  put_u32(bytes, 0);  // patched below
  for (uint32_t a = 0; a < db.n_accounts; ++a) {
    const DbAccount& acct = db.accounts[a];
    if (acct.gone || acct.code_len == 0) continue;
    ++n_accounts;
    bytes.insert(bytes.end(), acct.addr, acct.addr + 20);
    const size_t count_at = bytes.size();
    put_u32(bytes, 0);
    uint32_t n = 0;
    for (uint64_t pc = 0; pc < acct.code_len; ++pc) {
      const uint64_t at = acct.code_off + pc;
      if (ok[at] == 0 && failed[at] == 0) continue;
      put_u32(bytes, (uint32_t)pc);
      put_u32(bytes, ok[at]);
      put_u32(bytes, failed[at]);
      ++n;
    }
    for (int i = 0; i < 4; ++i) bytes[count_at + i] = (uint8_t)(n >> (8 * i));
  }
  for (int i = 0; i < 4; ++i) bytes[i] = (uint8_t)(n_accounts >> (8 * i));
  return bytes;
}

}  // namespace evm
}  // namespace native
