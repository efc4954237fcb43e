#include "change_set.h"

#include <cstring>
#include <stdexcept>
#include <string>

#include "../evm/reader.h"
#include "crypto/keccak.h"

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

constexpr uint32_t kNone = UINT32_MAX;

// encodeTrieChanges' account flags.
constexpr uint8_t kWorldDeleted = 1, kWorldStorageReset = 2, kWorldNoCode = 4;
// The EVM's change-record flags (kernels/evm/result.h).
constexpr uint8_t kRecordDeleted = 1, kRecordCode = 2, kRecordStorageReset = 4;

}  // namespace

const Hash32 kEmptyCodeHash = {{0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70}};

namespace {

std::string hex_address(const uint8_t* a) {
  static const char* digits = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 0; i < 20; ++i) s += digits[a[i] >> 4], s += digits[a[i] & 15];
  return s;
}

// Folds changes into one entry per address (an open-addressing table over cs.accounts).
class Merger {
 public:
  ChangeSet cs;

  uint32_t entry(const uint8_t* address) {
    if (2 * (cs.accounts.size() + 1) > table_.size()) grow();
    Address a;
    std::memcpy(a.b, address, 20);
    size_t mask = table_.size() - 1;
    for (size_t at = hasher_(a) & mask;; at = (at + 1) & mask) {
      uint32_t i = table_[at];
      if (i == kNone) {
        table_[at] = (uint32_t)cs.accounts.size();
        AccountChange c;
        c.address = a;
        c.slot_head = c.slot_tail = kNone;
        cs.accounts.push_back(c);
        return table_[at];
      }
      if (eq_(cs.accounts[i].address, a)) return i;
    }
  }

  void remove(uint32_t i) {
    AccountChange& c = cs.accounts[i];
    c.flags = kDeleted | kStorageReset;
    c.slot_head = c.slot_tail = kNone;
  }

  // The account exists after this change. A storage reset drops the slots written before (a deletion did
  // already); an account re-created after a deletion starts without code unless this change sets some.
  void update(uint32_t i, bool reset, uint64_t nonce, const uint8_t* balance, const Hash32* code_hash,
              const uint8_t* code = nullptr, uint32_t code_len = 0) {
    AccountChange& c = cs.accounts[i];
    bool recreated = c.flags & kDeleted;
    if (reset) {
      c.flags |= kStorageReset;
      c.slot_head = c.slot_tail = kNone;
    }
    c.flags &= (uint8_t)~kDeleted;
    c.nonce = nonce;
    c.balance = balance;
    if (code_hash != nullptr) {
      c.code_hash = *code_hash;
      c.has_code_hash = true;
      c.code = code;
      c.code_len = code_len;
    } else if (recreated) {
      c.code_hash = kEmptyCodeHash;
      c.has_code_hash = true;
      c.code = nullptr;
      c.code_len = 0;
    }
  }

  void slot(uint32_t i, const uint8_t* slot, const uint8_t* value) {
    AccountChange& c = cs.accounts[i];
    uint32_t s = (uint32_t)cs.slots.size();
    cs.slots.push_back({slot, value, {}, kNone});
    if (c.slot_tail == kNone) c.slot_head = s;
    else cs.slots[c.slot_tail].next = s;
    c.slot_tail = s;
  }

  // Lays each account's live slot writes out contiguously (slot_begin..slot_end).
  void finish() {
    std::vector<SlotChange> out;
    out.reserve(cs.slots.size());
    for (AccountChange& c : cs.accounts) {
      c.slot_begin = (uint32_t)out.size();
      for (uint32_t s = c.slot_head; s != kNone; s = cs.slots[s].next) out.push_back(cs.slots[s]);
      c.slot_end = (uint32_t)out.size();
    }
    cs.slots.swap(out);
  }

 private:
  void grow() {
    std::vector<uint32_t> bigger(table_.empty() ? 1024 : 2 * table_.size(), kNone);
    size_t mask = bigger.size() - 1;
    for (uint32_t i = 0; i < (uint32_t)cs.accounts.size(); ++i) {
      size_t at = hasher_(cs.accounts[i].address) & mask;
      while (bigger[at] != kNone) at = (at + 1) & mask;
      bigger[at] = i;
    }
    table_.swap(bigger);
  }

  std::vector<uint32_t> table_;
  AddressHasher hasher_;
  AddressEq eq_;
};

// One record: u32 n_changes { [20] address, u8 flags, u64 nonce, [32] balance, if code: u32 len, code },
// u32 n_slots { u32 change index, [32] key, [32] value }.
void merge_record(Merger& m, const uint8_t* data, size_t len, size_t index) {
  struct Change {
    const uint8_t* address;
    uint8_t flags;
    uint64_t nonce;
    const uint8_t* balance;
    Hash32 code_hash;
    const uint8_t* code;
    uint32_t code_len;
  };
  thread_local std::vector<Change> changes;
  thread_local std::vector<uint32_t> first_slot, fill, by_change;
  changes.clear();
  // Built only for an error: a block has thousands of records.
  auto where = [index] { return "change record " + std::to_string(index); };
  evm::Reader r(data, len);
  for (uint32_t n = r.u32(); n > 0; --n) {
    Change c;
    c.address = r.take(20);
    c.flags = r.u8();
    if (c.flags & ~(kRecordDeleted | kRecordCode | kRecordStorageReset))
      throw std::invalid_argument(where() + ": account " + hex_address(c.address) + " has unknown flags " + std::to_string(c.flags));
    c.nonce = r.u64();
    c.balance = r.take(32);
    c.code = nullptr;
    c.code_len = 0;
    if (c.flags & kRecordCode) {
      c.code_len = r.u32();
      c.code = r.take(c.code_len);
      kern::keccak256(c.code, c.code_len, c.code_hash.b);
    }
    changes.push_back(c);
  }
  uint32_t n_slots = r.u32();
  r.need((size_t)n_slots * 68);
  size_t slots_at = r.off;
  auto slot_at = [&](uint32_t s) { return data + slots_at + 68 * (size_t)s; };
  auto change_of = [&](uint32_t s) {
    const uint8_t* p = slot_at(s);
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
  };
  // Slots bucketed by the change they belong to (a counting sort, stable): a change's slot writes apply
  // right after it, so a list naming an account twice (possible in lists built in TypeScript) merges as
  // applying its changes one after another does: a later reset or deletion drops the earlier writes.
  first_slot.assign(changes.size() + 1, 0);
  for (uint32_t s = 0; s < n_slots; ++s) {
    uint32_t idx = change_of(s);
    if (idx >= changes.size() || (changes[idx].flags & kRecordDeleted))
      throw std::invalid_argument(where() + ": slot " + std::to_string(s) + " names change " + std::to_string(idx) +
                                  ", which is not a live account of the record");
    first_slot[idx + 1]++;
  }
  for (size_t j = 0; j < changes.size(); ++j) first_slot[j + 1] += first_slot[j];
  by_change.resize(n_slots);
  fill.assign(first_slot.begin(), first_slot.end() - 1);
  for (uint32_t s = 0; s < n_slots; ++s) by_change[fill[change_of(s)]++] = s;
  r.off += (size_t)n_slots * 68;
  if (r.off != len) throw std::invalid_argument(where() + ": " + std::to_string(len - r.off) + " trailing bytes");
  for (size_t j = 0; j < changes.size(); ++j) {
    const Change& c = changes[j];
    uint32_t i = m.entry(c.address);
    if (c.flags & kRecordDeleted) {
      m.remove(i);
      continue;
    }
    m.update(i, c.flags & kRecordStorageReset, c.nonce, c.balance, (c.flags & kRecordCode) ? &c.code_hash : nullptr, c.code, c.code_len);
    for (uint32_t k = first_slot[j]; k < first_slot[j + 1]; ++k) m.slot(i, slot_at(by_change[k]) + 4, slot_at(by_change[k]) + 36);
  }
}

// encodeTrieChanges' layout: u32 count, then per account address[20], u8 flags, and unless deleted: u64
// nonce, balance[32], codeHash[32] (absent with flag 4), u32 slotCount, slotCount x (slot[32], value[32]).
void merge_world(Merger& m, const uint8_t* data, size_t len) {
  evm::Reader r(data, len);
  uint32_t count = r.u32();
  for (uint32_t k = 0; k < count; ++k) {
    const uint8_t* address = r.take(20);
    uint8_t flags = r.u8();
    if (flags & ~(kWorldDeleted | kWorldStorageReset | kWorldNoCode))
      throw std::invalid_argument("state trie change set: account " + std::to_string(k) + " has unknown flags " + std::to_string(flags));
    uint32_t i = m.entry(address);
    if (m.cs.accounts[i].in_world_set)
      throw std::invalid_argument("state trie change set: account " + hex_address(address) + " is listed twice");
    m.cs.accounts[i].in_world_set = true;
    if (flags & kWorldDeleted) {
      m.remove(i);
      continue;
    }
    uint64_t nonce = r.u64();
    const uint8_t* balance = r.take(32);
    Hash32 code_hash = kEmptyCodeHash;
    if (!(flags & kWorldNoCode)) std::memcpy(code_hash.b, r.take(32), 32);
    m.update(i, flags & kWorldStorageReset, nonce, balance, &code_hash);
    uint32_t n = r.u32();
    r.need((size_t)n * 64);
    for (uint32_t s = 0; s < n; ++s) {
      const uint8_t* slot = r.take(32);
      m.slot(i, slot, r.take(32));
    }
  }
  if (r.off != len) throw std::invalid_argument("state trie change set: " + std::to_string(len - r.off) + " trailing bytes");
}

}  // namespace

ChangeSet merge_changes(const uint8_t* records, size_t records_len, const uint8_t* world, size_t world_len) {
  Merger m;
  evm::Reader r(records, records_len);
  for (size_t index = 0; r.off < records_len; ++index) {
    uint32_t len = r.u32();
    try {
      merge_record(m, r.take(len), len, index);
    } catch (const std::runtime_error& e) {  // the reader's "truncated": say which record
      throw std::invalid_argument("change record " + std::to_string(index) + ": " + e.what());
    }
  }
  if (world_len > 0) merge_world(m, world, world_len);
  m.finish();
  return std::move(m.cs);
}

}  // namespace state
}  // namespace native
