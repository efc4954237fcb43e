#include "state_trie.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <time.h>

#include "../backend/thread_pool.h"
#include "../crypto/keccak_lanes.h"
#include "crypto/keccak.h"
#include "phase_clock.h"
#include "rlp.h"

namespace native {
namespace state {

namespace {

// Its own pool (not the EVM's): the root of block N is computed while block N+1 executes.
ThreadPool& trie_pool() {
  static std::unique_ptr<ThreadPool> pool;
  static std::once_flag once;
  std::call_once(once, [] {
    const char* t = std::getenv("TRIE_THREADS");
    unsigned n = t ? (unsigned)std::strtoul(t, nullptr, 10) : 0;
    if (n == 0) n = std::thread::hardware_concurrency();
    pool.reset(new ThreadPool(n == 0 ? 1 : n));
  });
  return *pool;
}

Hash32 keccak(const uint8_t* data, size_t len) {
  Hash32 h;
  kern::keccak256(data, len, h.b);
  return h;
}

// Secure-trie keys, hashed across the pool in SIMD lanes; an account already in the state has its key
// already, and is resolved here once (concurrent finds only: nothing inserts meanwhile).
template <class Accounts>
void hash_keys(ChangeSet& cs, Accounts& known) {
  constexpr size_t kChunk = 1024;
  size_t a_chunks = (cs.accounts.size() + kChunk - 1) / kChunk, s_chunks = (cs.slots.size() + kChunk - 1) / kChunk;
  trie_pool().parallel_for(a_chunks + s_chunks, [&](size_t c) {
    thread_local std::vector<crypto::KeccakJob> jobs;
    jobs.clear();
    if (c < a_chunks) {
      for (size_t i = c * kChunk; i < cs.accounts.size() && i < (c + 1) * kChunk; ++i) {
        AccountChange& a = cs.accounts[i];
        auto it = known.find(a.address);
        if (it != known.end()) {
          a.account = &it->second;
          a.key = it->second.key;
        } else {
          jobs.push_back({a.address.b, 20, a.key.b});
        }
      }
    } else {
      for (size_t i = (c - a_chunks) * kChunk; i < cs.slots.size() && i < (c - a_chunks + 1) * kChunk; ++i)
        jobs.push_back({cs.slots[i].slot, 32, cs.slots[i].key.b});
    }
    crypto::keccak256_many(jobs.data(), jobs.size());
  });
}

bool is_zero(const uint8_t* w) {
  for (int i = 0; i < 32; ++i)
    if (w[i]) return false;
  return true;
}

std::string slot_value(const uint8_t* word) {
  std::string v;
  if (!is_zero(word)) rlp::append_uint(v, word, 32);
  return v;  // empty: the slot is removed
}

// From this many items on, filling an empty trie sorts and builds it instead of putting key by key.
constexpr size_t kBulkItems = 256;

void apply_slots(Account& account, const SlotChange* begin, const SlotChange* end) {
  if (begin == end) return;
  account.storage_dirty = true;
  if (account.storage.empty() && (size_t)(end - begin) >= kBulkItems) {
    std::vector<Trie::Item> items;
    items.reserve((size_t)(end - begin));
    for (const SlotChange* s = begin; s != end; ++s) items.push_back({s->key, slot_value(s->value)});
    Trie::sort_unique(items);
    items.erase(std::remove_if(items.begin(), items.end(), [](const Trie::Item& i) { return i.value.empty(); }), items.end());
    account.storage.assign_sorted(items);
    return;
  }
  for (const SlotChange* s = begin; s != end; ++s) {
    std::string v = slot_value(s->value);
    if (v.empty()) account.storage.del(s->key.b);
    else account.storage.put(s->key.b, reinterpret_cast<const uint8_t*>(v.data()), v.size());
  }
}

// RLP([nonce, balance, storageRoot, codeHash]) into out (its buffer reused from one account to the next):
// at most 1 + 9 + 33 + 33 + 33 bytes after a 2-byte header.
void encode_account(const Account& a, std::string& out) {
  uint8_t nonce_be[8];
  for (int i = 0; i < 8; ++i) nonce_be[i] = (uint8_t)(a.nonce >> (8 * (7 - i)));
  out.assign(2, '\0');  // list header, written once the payload length is known
  rlp::append_uint(out, nonce_be, 8);
  rlp::append_uint(out, a.balance, 32);
  rlp::append_string(out, a.storage_root.b, 32);
  rlp::append_string(out, a.code_hash, 32);
  size_t payload = out.size() - 2;  // 68..110: always the long form with one length byte
  out[0] = (char)0xf8;
  out[1] = (char)payload;
}

// Orders accounts by their trie key's first 16 bits (a counting sort): consecutive puts then share the top
// of their paths, and a trie built in key order (the bulk load) is walked through memory in order.
void in_key_order(std::vector<Account*>& accounts) {
  constexpr size_t kMinAccounts = 1024;  // below this the trie's top levels stay cached anyway
  if (accounts.size() < kMinAccounts) return;
  thread_local std::vector<uint32_t> starts;
  thread_local std::vector<Account*> sorted;
  starts.assign(65537, 0);
  auto bucket = [](const Account* a) { return ((uint32_t)a->key.b[0] << 8) | a->key.b[1]; };
  for (const Account* a : accounts) ++starts[bucket(a) + 1];
  for (size_t b = 1; b < starts.size(); ++b) starts[b] += starts[b - 1];
  sorted.resize(accounts.size());
  for (Account* a : accounts) sorted[starts[bucket(a)]++] = a;
  accounts.swap(sorted);
}

// A storage trie with at least this many changed slots is hashed with the whole pool (one at a time);
// smaller ones are hashed side by side, one per worker.
constexpr size_t kBigStorageChanges = 1024;

}  // namespace

void StateTrie::apply(const uint8_t* records, size_t records_len, const uint8_t* world, size_t world_len) {
  if (!dirty_.empty()) throw std::logic_error("state trie apply: the last apply() has no root() yet");
  PhaseClock clock;
  ChangeSet cs = merge_changes(records, records_len, world, world_len);
  clock.mark("merge");
  hash_keys(cs, accounts_);
  clock.mark("keys");
  // Validated: from here on nothing throws for input reasons. Each account is listed once (merged), so
  // none is both updated and erased here, and the pointers kept in dirty_ stay valid until root().
  std::vector<AccountChange*> with_slots;
  // Sized once for a bulk load; afterwards the map grows by doubling (reserving size + block on every
  // block made it re-hash all accounts whenever the request crossed the bucket count).
  if (accounts_.empty()) accounts_.reserve(cs.accounts.size());
  for (auto& c : cs.accounts) {
    if (c.flags & kDeleted) {
      if (c.account != nullptr) accounts_.erase(c.address);
      c.account = nullptr;
      trie_.del(c.key.b);
      continue;
    }
    bool created = c.account == nullptr;
    if (created) c.account = &accounts_[c.address];
    Account& a = *c.account;
    a.key = c.key;
    if (c.flags & kStorageReset) {
      a.storage = Trie();
      a.storage_root = kEmptyTrieRoot;
      a.storage_dirty = false;
    }
    a.nonce = c.nonce;
    std::memcpy(a.balance, c.balance, 32);
    if (c.has_code_hash) std::memcpy(a.code_hash, c.code_hash.b, 32);
    else if (created) std::memcpy(a.code_hash, kEmptyCodeHash.b, 32);
    dirty_.push_back(&a);
    if (c.slot_end > c.slot_begin) with_slots.push_back(&c);
  }
  clock.mark("accounts");
  // Different accounts, different tries: their slot edits do not touch each other.
  trie_pool().parallel_for(with_slots.size(), [&](size_t i) {
    AccountChange& c = *with_slots[i];
    apply_slots(*c.account, cs.slots.data() + c.slot_begin, cs.slots.data() + c.slot_end);
  });
  clock.mark("slots");
  clock.report("apply");
}

Hash32 StateTrie::root() {
  PhaseClock clock;
  std::vector<Account*> stale;
  stale.swap(dirty_);
  std::vector<Account*> small;
  for (Account* a : stale) {
    if (!a->storage_dirty) continue;
    if (a->storage.dirty_leaves() >= kBigStorageChanges) {
      a->storage_root = a->storage.hash(&trie_pool());
      a->storage_dirty = false;
    } else {
      small.push_back(a);
    }
  }
  trie_pool().parallel_for(small.size(), [&](size_t i) {
    small[i]->storage_root = small[i]->storage.hash();
    small[i]->storage_dirty = false;
  });
  clock.mark("storage");
  if (trie_.empty() && stale.size() >= kBulkItems) {
    std::vector<Trie::Item> items(stale.size());
    constexpr size_t kChunk = 4096;
    trie_pool().parallel_for((stale.size() + kChunk - 1) / kChunk, [&](size_t c) {
      for (size_t i = c * kChunk; i < stale.size() && i < (c + 1) * kChunk; ++i) {
        items[i].key = stale[i]->key;
        encode_account(*stale[i], items[i].value);
      }
    });
    Trie::sort_unique(items);
    trie_.assign_sorted(items, &trie_pool());
  } else {
    std::string leaf;
    in_key_order(stale);
    for (Account* a : stale) {
      encode_account(*a, leaf);
      trie_.put(a->key.b, reinterpret_cast<const uint8_t*>(leaf.data()), leaf.size());
    }
  }
  clock.mark("puts");
  Hash32 root = trie_.hash(&trie_pool());
  clock.mark("hash");
  clock.report("root");
  return root;
}

double StateTrie::cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6 + trie_pool().workers_cpu_ms();
}

StateProof StateTrie::prove(const uint8_t address[20], const uint8_t* slots, size_t slot_count) const {
  if (!dirty_.empty()) throw std::logic_error("state trie prove: changes applied since the last root()");
  StateProof p;
  p.account = trie_.prove(keccak(address, 20).b);
  Address a;
  std::memcpy(a.b, address, 20);
  auto it = accounts_.find(a);
  p.storage_root = it == accounts_.end() ? kEmptyTrieRoot : it->second.storage_root;
  p.storage.resize(slot_count);
  if (it == accounts_.end()) return p;
  for (size_t i = 0; i < slot_count; ++i) p.storage[i] = it->second.storage.prove(keccak(slots + 32 * i, 32).b);
  return p;
}

}  // namespace state
}  // namespace native
