// Transaction chains: the overlay each chain builds from its transactions' result records, and their execution.
#include "chain_overlay.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>
#include <unordered_map>

#include "reader.h"

namespace native {
namespace evm {

using namespace kern::evm;

namespace {

constexpr uint32_t kMinIndex = 16;

// Slot of an open-addressed index where an entry hashing to h goes (0 there: free).
uint32_t& probe_free(std::vector<uint32_t>& index, uint64_t h) {
  uint32_t mask = (uint32_t)index.size() - 1;
  for (uint32_t p = 0;; ++p) {
    uint32_t& e = index[(h + p) & mask];
    if (e == 0) return e;
  }
}

}  // namespace

ChainOverlay::ChainOverlay(const StateMirror& base)
    : base_(base), db_(base.view()), acct_index_(kMinIndex, 0), slot_index_(kMinIndex, 0) {
  publish();
}

void ChainOverlay::publish() {
  view_.accts = accts_.data();
  view_.acct_index = acct_index_.data();
  view_.acct_mask = (uint32_t)acct_index_.size() - 1;
  view_.slots = slots_.data();
  view_.slot_index = slot_index_.data();
  view_.slot_mask = (uint32_t)slot_index_.size() - 1;
}

uint32_t ChainOverlay::entry(const uint8_t addr[20]) {
  int32_t found = chain_find(view_, addr);
  if (found >= 0) return (uint32_t)found;
  ChainAcctK a;
  std::memset(&a, 0, sizeof a);
  a.base = db_find_account(db_, addr);
  if (a.base >= 0) {
    a.rec = base_.accounts[a.base];
  } else {
    std::memcpy(a.rec.addr, addr, 20);
    empty_code_hash(a.rec.code_hash);
  }
  accts_.push_back(a);
  nonzero_.push_back(a.base >= 0 ? base_.nonzero_slots[a.base] : 0);
  uint32_t e = (uint32_t)accts_.size() - 1;
  if (2 * accts_.size() > acct_index_.size()) {
    acct_index_.assign(2 * acct_index_.size(), 0);
    for (uint32_t i = 0; i < accts_.size(); ++i) probe_free(acct_index_, addr_hash(accts_[i].rec.addr)) = i + 1;
  } else {
    probe_free(acct_index_, addr_hash(addr)) = e + 1;
  }
  publish();
  return e;
}

void ChainOverlay::set_slot(uint32_t e, const u256& key, const u256& value) {
  const u256 old = view_storage(db_, &view_, (int32_t)(db_.n_accounts + e), key);
  nonzero_[e] += (uint32_t)!is_zero(value) - (uint32_t)!is_zero(old);
  uint64_t h = slot_hash(e, key);
  uint32_t mask = (uint32_t)slot_index_.size() - 1;
  for (uint32_t p = 0;; ++p) {
    uint32_t s = slot_index_[(h + p) & mask];
    if (s == 0) break;
    if (slots_[s - 1].acct == e && eq(slots_[s - 1].key, key)) {
      slots_[s - 1].value = value;
      return;
    }
  }
  ChainSlotK s;
  std::memset(&s, 0, sizeof s);
  s.acct = e;
  s.key = key;
  s.value = value;
  slots_.push_back(s);
  if (2 * slots_.size() > slot_index_.size()) {
    slot_index_.assign(2 * slot_index_.size(), 0);
    for (uint32_t i = 0; i < slots_.size(); ++i) probe_free(slot_index_, slot_hash(slots_[i].acct, slots_[i].key)) = i + 1;
  } else {
    probe_free(slot_index_, h) = (uint32_t)slots_.size();
  }
  publish();
}

bool ChainOverlay::apply(const std::vector<uint8_t>& record) {
  Reader r(record.data(), record.size());
  if (r.u8() != OUT_EXECUTED) return true;
  // status, error, reads-coinbase, created, created address, gas used, blob gas used, coinbase credit
  r.take(4 + 20 + 8 + 8 + 32);
  r.take(r.u32());  // output
  for (uint32_t n = r.u32(); n > 0; --n) {  // logs
    r.take(20);
    r.take(32ULL * r.u32());
    r.take(r.u32());
  }
  std::vector<uint32_t> entries;
  for (uint32_t n = r.u32(); n > 0; --n) {
    const uint8_t* addr = r.take(20);
    uint8_t flags = r.u8();
    uint64_t nonce = r.u64();
    u256 balance = r.word();
    if (flags != 0) return false;  // deleted (1), new code (2), storage cleared (4)
    uint32_t e = entry(addr);
    accts_[e].rec.gone = 0;
    accts_[e].rec.nonce = nonce;
    accts_[e].rec.balance = balance;
    entries.push_back(e);
  }
  for (uint32_t n = r.u32(); n > 0; --n) {
    uint32_t idx = r.u32();
    u256 key = r.word();
    u256 value = r.word();
    if (idx >= entries.size()) throw std::runtime_error("native EVM: a slot change names no account change");
    set_slot(entries[idx], key, value);
  }
  for (uint32_t e : entries) accts_[e].rec.has_storage = nonzero_[e] > 0;
  return true;
}

namespace {

// Runs each chain on one of the pool's threads, longest first so a long chain does not start last and hold
// the batch up alone.
void run_chains(const StateMirror& state, const Batch& batch, std::vector<std::vector<uint32_t>>& chains,
                std::vector<std::vector<uint8_t>>& out) {
  std::stable_sort(chains.begin(), chains.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  StateDB db = state.view();
  evm_pool().parallel_for(chains.size(), [&](size_t k) {
    const std::vector<uint32_t>& txs = chains[k];
    if (txs.size() == 1) {
      out[txs[0]] = execute_one_host(db, batch.env, batch.txs[txs[0]]);
      return;
    }
    ChainOverlay overlay(state);
    for (size_t j = 0; j < txs.size(); ++j) {
      out[txs[j]] = execute_one_host(db, batch.env, batch.txs[txs[j]], nullptr, overlay.view());
      if (j + 1 == txs.size()) return;
      // A record the overlay cannot read (a bug) stops the chain like a change it does not carry: the rest
      // did not run and come back next round, which is always correct.
      bool goes_on = false;
      try {
        goes_on = overlay.apply(out[txs[j]]);
      } catch (const std::exception&) {
      }
      if (!goes_on) return;
    }
  });
}

}  // namespace

void execute_chains(const StateMirror& state, const Batch& batch, const std::vector<uint32_t>& chain_of,
                    std::vector<std::vector<uint8_t>>& out) {
  if (chain_of.size() != batch.txs.size()) throw std::runtime_error("native EVM: one chain id per transaction expected");
  std::vector<std::vector<uint32_t>> chains;
  std::unordered_map<uint32_t, size_t> at;
  for (uint32_t i = 0; i < chain_of.size(); ++i) {
    auto it = at.emplace(chain_of[i], chains.size()).first;
    if (it->second == chains.size()) chains.emplace_back();
    chains[it->second].push_back(i);
  }
  std::vector<uint32_t> singles;
  std::vector<std::vector<uint32_t>> longs;
  for (auto& c : chains) {
    if (c.size() == 1) singles.push_back(c[0]);
    else longs.push_back(std::move(c));
  }
  // Without a chain of two there is nothing to order: the plain batch (device included) runs it.
  if (longs.empty()) return execute_batch(state, batch, out);
  out.assign(batch.txs.size(), std::vector<uint8_t>());
  if (!device_runs_batches() || singles.empty()) {
    for (uint32_t i : singles) longs.push_back({i});
    return run_chains(state, batch, longs, out);
  }
  // With a device, its batch takes the unordered transactions while the host threads run the chains: a
  // chain is serial by nature, and one GPU thread would run it far slower than a core.
  Batch sub = batch_subset(batch, singles);
  std::vector<std::vector<uint8_t>> sub_out;
  std::exception_ptr device_error;
  std::thread device([&] {
    try {
      execute_batch(state, sub, sub_out);
    } catch (...) {
      device_error = std::current_exception();
    }
  });
  std::exception_ptr host_error;
  try {
    run_chains(state, batch, longs, out);
  } catch (...) {
    host_error = std::current_exception();
  }
  device.join();
  if (host_error) std::rethrow_exception(host_error);
  if (device_error) std::rethrow_exception(device_error);
  for (size_t k = 0; k < singles.size(); ++k) out[singles[k]] = std::move(sub_out[k]);
}

}  // namespace evm
}  // namespace native
