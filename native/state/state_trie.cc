#include "state_trie.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "../backend/thread_pool.h"
#include "../crypto/keccak_lanes.h"
#include "../evm/reader.h"
#include "crypto/keccak.h"
#include "phase_clock.h"
#include "rlp.h"

namespace native {
namespace state {

size_t AddressHasher::operator()(const Address& a) const {
  // Addresses need not be uniform (0x00..01, vanity prefixes): mix all 20 bytes.
  uint64_t x, y;
  uint32_t z;
  std::memcpy(&x, a.b, 8);
  std::memcpy(&y, a.b + 8, 8);
  std::memcpy(&z, a.b + 16, 4);
  uint64_t h = (x * 0x9e3779b97f4a7c15ULL) ^ (y + 0x632be59bd9b4e019ULL) ^ ((uint64_t)z << 17);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  return (size_t)(h ^ (h >> 29));
}

bool AddressEq::operator()(const Address& a, const Address& b) const { return std::memcmp(a.b, b.b, 20) == 0; }

namespace {

constexpr uint8_t kDeleted = 1;
constexpr uint8_t kStorageReset = 2;
constexpr uint8_t kNoCode = 4;  // codeHash omitted: keccak256("") (most accounts are EOAs)

const uint8_t kEmptyCodeHash[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                    0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                    0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};

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

// One account's entry of a change set; pointers point into the caller's buffer.
struct AccountChange {
  Address address;
  uint8_t flags;
  uint64_t nonce = 0;
  const uint8_t* balance = nullptr;
  const uint8_t* code_hash = nullptr;
  uint32_t slot_begin = 0, slot_end = 0;  // into ChangeSet::slots
  Hash32 key;
  Account* account = nullptr;  // resolved while applying
};

struct SlotChange {
  const uint8_t* slot;
  const uint8_t* value;  // 32 bytes big-endian; zero removes the slot
  Hash32 key;
};

struct ChangeSet {
  std::vector<AccountChange> accounts;
  std::vector<SlotChange> slots;
};

ChangeSet parse(const uint8_t* data, size_t len) {
  evm::Reader r(data, len);
  ChangeSet cs;
  uint32_t count = r.u32();
  cs.accounts.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    AccountChange a;
    std::memcpy(a.address.b, r.take(20), 20);
    a.flags = r.u8();
    if (a.flags & ~(kDeleted | kStorageReset | kNoCode))
      throw std::invalid_argument("state trie change set: account " + std::to_string(i) + " has unknown flags " +
                                  std::to_string(a.flags));
    if (!(a.flags & kDeleted)) {
      a.nonce = r.u64();
      a.balance = r.take(32);
      a.code_hash = (a.flags & kNoCode) ? kEmptyCodeHash : r.take(32);
      uint32_t n = r.u32();
      r.need((size_t)n * 64);
      a.slot_begin = (uint32_t)cs.slots.size();
      for (uint32_t s = 0; s < n; ++s) {
        const uint8_t* slot = r.take(32);
        cs.slots.push_back({slot, r.take(32), {}});
      }
      a.slot_end = (uint32_t)cs.slots.size();
    }
    cs.accounts.push_back(a);
  }
  if (r.off != len) throw std::invalid_argument("state trie change set: " + std::to_string(len - r.off) + " trailing bytes");
  return cs;
}

// Secure-trie keys, hashed across the pool in SIMD lanes; an account already in the state has its key already.
template <class Accounts>
void hash_keys(ChangeSet& cs, const Accounts& known) {
  constexpr size_t kChunk = 1024;
  size_t a_chunks = (cs.accounts.size() + kChunk - 1) / kChunk, s_chunks = (cs.slots.size() + kChunk - 1) / kChunk;
  trie_pool().parallel_for(a_chunks + s_chunks, [&](size_t c) {
    thread_local std::vector<crypto::KeccakJob> jobs;
    jobs.clear();
    if (c < a_chunks) {
      for (size_t i = c * kChunk; i < cs.accounts.size() && i < (c + 1) * kChunk; ++i) {
        AccountChange& a = cs.accounts[i];
        auto it = known.find(a.address);
        if (it != known.end()) a.key = it->second.key;
        else jobs.push_back({a.address.b, 20, a.key.b});
      }
    } else {
      for (size_t i = (c - a_chunks) * kChunk; i < cs.slots.size() && i < (c - a_chunks + 1) * kChunk; ++i)
        jobs.push_back({cs.slots[i].slot, 32, cs.slots[i].key.b});
    }
    crypto::keccak256_many(jobs.data(), jobs.size());
  });
}

std::string hex_address(const uint8_t* a) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 0; i < 20; ++i) s += digits[a[i] >> 4], s += digits[a[i] & 15];
  return s;
}

// One open-addressing probe per account (a sort of the addresses cost several times more).
void check_unique(const ChangeSet& cs) {
  size_t cap = 16;
  while (cap < 2 * cs.accounts.size()) cap <<= 1;
  constexpr uint32_t kFree = UINT32_MAX;
  std::vector<uint32_t> table(cap, kFree);
  AddressHasher hasher;
  AddressEq eq;
  for (uint32_t i = 0; i < (uint32_t)cs.accounts.size(); ++i) {
    const Address& a = cs.accounts[i].address;
    size_t at = hasher(a) & (cap - 1);
    for (; table[at] != kFree; at = (at + 1) & (cap - 1))
      if (eq(cs.accounts[table[at]].address, a))
        throw std::invalid_argument("state trie change set: account " + hex_address(a.b) + " is listed twice");
    table[at] = i;
  }
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

// A storage trie with at least this many changed slots is hashed with the whole pool (one at a time);
// smaller ones are hashed side by side, one per worker.
constexpr size_t kBigStorageChanges = 1024;

}  // namespace

void StateTrie::apply(const uint8_t* data, size_t len) {
  PhaseClock clock;
  ChangeSet cs = parse(data, len);
  clock.mark("parse");
  hash_keys(cs, accounts_);
  clock.mark("keys");
  check_unique(cs);
  clock.mark("unique");
  // Validated: from here on nothing throws for input reasons.
  std::vector<AccountChange*> with_slots;
  // Sized once for a bulk load; afterwards the map grows by doubling (reserving size + block on every
  // block made it re-hash all accounts whenever the request crossed the bucket count).
  if (accounts_.empty()) accounts_.reserve(cs.accounts.size());
  for (auto& c : cs.accounts) {
    if (c.flags & kDeleted) {
      accounts_.erase(c.address);
      trie_.del(c.key.b);
      continue;
    }
    Account& a = accounts_[c.address];
    a.key = c.key;
    if (c.flags & kStorageReset) {
      a.storage = Trie();
      a.storage_root = kEmptyTrieRoot;
      a.storage_dirty = false;
    }
    a.nonce = c.nonce;
    std::memcpy(a.balance, c.balance, 32);
    std::memcpy(a.code_hash, c.code_hash, 32);
    dirty_.push_back(c.address);
    a.dirty = true;
    c.account = &a;
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
  for (const Address& address : dirty_) {
    auto it = accounts_.find(address);
    if (it == accounts_.end() || !it->second.dirty) continue;  // deleted since, or listed twice
    it->second.dirty = false;
    stale.push_back(&it->second);
  }
  dirty_.clear();
  clock.mark("stale");
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
