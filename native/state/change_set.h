// A state-root update's input, merged into one entry per account: the executor's per-transaction change
// records as the EVM wrote them (kernels/evm/result.h, the change and slot sections), in commit order, then
// the change set the TypeScript WorldState encodes for what it changed itself (layout:
// sequencer/state/native-state-trie.ts, encodeTrieChanges), which carries current values and so goes last.
// Merging follows WorldState.applyChanges: a deletion drops the account and its storage, a storage reset or
// the creation of an account that was deleted before drops the storage, later writes win.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mpt.h"

namespace native {
namespace state {

struct Address {
  uint8_t b[20];
};
struct AddressHasher {
  size_t operator()(const Address& a) const;
};
struct AddressEq {
  bool operator()(const Address& a, const Address& b) const;
};

// keccak256(""): the code hash of an account without code.
extern const Hash32 kEmptyCodeHash;

constexpr uint8_t kDeleted = 1;
constexpr uint8_t kStorageReset = 2;

struct Account;

// One account's final change; pointers point into the update's input buffers.
struct AccountChange {
  Address address;
  uint8_t flags = 0;  // kDeleted, kStorageReset
  bool has_code_hash = false;  // false: the account keeps its code (keccak256("") if it is new)
  uint64_t nonce = 0;
  const uint8_t* balance = nullptr;
  Hash32 code_hash;
  // The code itself when a record set it (the EVM state mirror stores it); null for the WorldState's change
  // set, which names code by hash only, and for an account re-created without code.
  const uint8_t* code = nullptr;
  uint32_t code_len = 0;
  uint32_t slot_begin = 0, slot_end = 0;  // into ChangeSet::slots, once merged
  Hash32 key;
  Account* account = nullptr;  // resolved while applying
  // While merging: the account's slot writes since its last reset, a list through SlotChange::next.
  uint32_t slot_head, slot_tail;
  bool in_world_set = false;  // listed by the WorldState's change set (which names each account once)
};

struct SlotChange {
  const uint8_t* slot;
  const uint8_t* value;  // 32 bytes big-endian; zero removes the slot
  Hash32 key;
  uint32_t next;
};

struct ChangeSet {
  std::vector<AccountChange> accounts;  // each address once
  std::vector<SlotChange> slots;        // grouped by account, in write order within an account
};

// Parses and merges `records` (a u32 length, then one record's change and slot sections, per record) and
// then `world` (encodeTrieChanges' layout; none when world_len is 0). Throws std::invalid_argument / std::runtime_error naming the
// record or account on malformed input; the buffers must outlive the change set.
ChangeSet merge_changes(const uint8_t* records, size_t records_len, const uint8_t* world, size_t world_len);

}  // namespace state
}  // namespace native
