// An in-memory Merkle-Patricia trie over fixed-length 32-byte keys (Ethereum's "secure" tries: the key is
// already keccak(address) or keccak(slot)), hashed incrementally: put/del mark the nodes on the key's path
// dirty, and hashing visits dirty nodes only. Encodings follow the Yellow Paper (appendix D): hex-prefix
// paths, child references inlined when their RLP is shorter than 32 bytes, the root always hashed.
// Fixed-length keys mean no key is a prefix of another, so branch nodes never carry a value.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace native {
class ThreadPool;

namespace state {

constexpr int kKeyNibbles = 64;

struct Hash32 {
  uint8_t b[32];
};

// keccak256(rlp("")): the root of an empty trie.
extern const Hash32 kEmptyTrieRoot;

struct Node;
using NodePtr = std::unique_ptr<Node>;

class Trie {
 public:
  Trie();
  ~Trie();
  Trie(Trie&&) noexcept;
  Trie& operator=(Trie&&) noexcept;

  bool empty() const { return root_ == nullptr; }

  // Inserts or replaces the value at key (32 bytes). The value is the leaf's payload (already RLP for
  // accounts and slots); it must not be empty (an empty value is a deletion in Ethereum's tries). A
  // replaced value is copied into the leaf's buffer, so updating a key allocates nothing.
  void put(const uint8_t key[32], const uint8_t* value, size_t len);
  // Builds the trie from scratch out of items sorted by key (unique keys, non-empty values): the bulk load
  // (genesis, restart), much faster than one put per key. The trie must be empty. With a pool the 16
  // subtrees under the root are built in parallel.
  struct Item {
    Hash32 key;
    std::string value;
  };
  void assign_sorted(std::vector<Item>& items, ThreadPool* pool = nullptr);
  // Sorts items by key and drops all but the last item of each key (what a sequence of puts would keep).
  static void sort_unique(std::vector<Item>& items);

  // Removes key; returns whether it was present.
  bool del(const uint8_t key[32]);
  // Dirty leaves since the last hash (an estimate of the hashing work, to choose how to parallelize).
  size_t dirty_leaves() const { return dirty_leaves_; }

  // Re-hashes the dirty nodes and returns the root: level by level, deepest first, each level's nodes
  // side by side in SIMD lanes (crypto/keccak_lanes.h). With a pool, big levels are split across its
  // threads (the pool must not be running another parallel_for).
  Hash32 hash(ThreadPool* pool = nullptr);

  // The RLP of every node on key's path whose reference is a hash, root first (EIP-1186 / geth's Prove:
  // nodes embedded in their parent are not listed separately). Call after hash() (clean trie).
  std::vector<std::string> prove(const uint8_t key[32]) const;

 private:
  NodePtr root_;
  size_t dirty_leaves_ = 0;
};

}  // namespace state
}  // namespace native
