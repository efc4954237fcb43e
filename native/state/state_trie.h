// The state commitment: the account trie and one storage trie per account, kept in step with the
// TypeScript WorldState through change sets, re-hashed incrementally (dirty paths only). Storage tries of
// different accounts are hashed in parallel on the trie's thread pool, the account trie after them.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "change_set.h"
#include "mpt.h"

namespace native {
namespace state {

struct Account {
  Hash32 key;  // keccak(address), its path in the account trie: hashed once, when the account appears
  uint64_t nonce = 0;
  uint8_t balance[32] = {};    // big-endian
  uint8_t code_hash[32] = {};
  Trie storage;
  Hash32 storage_root = kEmptyTrieRoot;
  bool storage_dirty = false;  // its storage trie has unhashed changes
};

struct StateProof {
  std::vector<std::string> account;               // account trie nodes, root first
  Hash32 storage_root;
  std::vector<std::vector<std::string>> storage;  // per requested slot
};

class StateTrie {
 public:
  // Applies the executor's change records, then the WorldState's change set (change_set.h). Both are
  // validated before anything changes, so bad input leaves the trie as it was. root() comes before the
  // next apply().
  void apply(const uint8_t* records, size_t records_len, const uint8_t* world, size_t world_len);
  // The state root after the changes applied so far.
  Hash32 root();
  // CPU time the calling thread and the trie's worker threads have used so far: the difference over an
  // update, taken on the thread that runs it, is that update's own cost (not the process's other threads).
  static double cpu_ms();
  // EIP-1186 proof nodes for an address and slots (32 bytes each) as of the last root().
  StateProof prove(const uint8_t address[20], const uint8_t* slots, size_t slot_count) const;

 private:
  // By address, not by trie key: a block's change set names addresses, and looking one up costs far less
  // than the keccak that turns it into its trie key.
  std::unordered_map<Address, Account, AddressHasher, AddressEq> accounts_;
  std::vector<Account*> dirty_;  // accounts whose leaf is stale, each once (map nodes do not move)
  Trie trie_;
};

}  // namespace state
}  // namespace native
