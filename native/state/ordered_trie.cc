#include "ordered_trie.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "../crypto/keccak_lanes.h"
#include "hex_prefix.h"
#include "rlp.h"

namespace native {
namespace state {
namespace {

// rlp of a 32-bit index is at most 5 bytes (0x84 and 4 bytes big-endian).
constexpr int kMaxKeyNibbles = 10;
constexpr int32_t kNone = -1;

struct Key {
  uint8_t len = 0;
  uint8_t nib[kMaxKeyNibbles];
};

Key key_of(uint32_t i) {
  uint8_t bytes[5];
  int n = 0;
  if (i == 0) {
    bytes[n++] = 0x80;  // the empty string
  } else if (i < 0x80) {
    bytes[n++] = (uint8_t)i;
  } else {
    int len = i < 0x100 ? 1 : i < 0x10000 ? 2 : i < 0x1000000 ? 3 : 4;
    bytes[n++] = (uint8_t)(0x80 + len);
    for (int b = len - 1; b >= 0; --b) bytes[n++] = (uint8_t)(i >> (8 * b));
  }
  Key k;
  k.len = (uint8_t)(2 * n);
  for (int b = 0; b < n; ++b) k.nib[2 * b] = bytes[b] >> 4, k.nib[2 * b + 1] = bytes[b] & 15;
  return k;
}

enum class Kind : uint8_t { Leaf, Ext, Branch };

// Nodes live in one array and point at each other by index; values point into the caller's buffer.
struct Node {
  Kind kind;
  uint8_t path_len = 0;
  uint8_t path[kMaxKeyNibbles];
  uint8_t ref_len = 0;  // 32: ref is the node's hash; shorter: ref is its RLP, embedded in the parent
  uint8_t ref[32];
  const uint8_t* value = nullptr;
  size_t value_len = 0;
  int32_t child[16];  // Ext: child[0]; Branch: kNone where empty
};

struct Item {
  Key key;
  const uint8_t* value;
  size_t len;
};

class Builder {
 public:
  explicit Builder(size_t count) { nodes_.reserve(2 * count); }

  // The subtree of items[lo..hi) (sorted, prefix-free keys sharing their first `depth` nibbles), `level`
  // edges below the root.
  int32_t build(const Item* items, size_t lo, size_t hi, int depth, size_t level) {
    const Key& first = items[lo].key;
    if (hi - lo == 1) {
      int32_t id = add(Kind::Leaf, level);
      Node& leaf = nodes_[id];
      leaf.path_len = (uint8_t)(first.len - depth);
      std::memcpy(leaf.path, first.nib + depth, leaf.path_len);
      leaf.value = items[lo].value;
      leaf.value_len = items[lo].len;
      return id;
    }
    // Sorted and prefix-free: what the first and last keys share, all share, and they differ before either ends.
    const Key& last = items[hi - 1].key;
    int common = depth;
    while (first.nib[common] == last.nib[common]) ++common;
    int32_t ext = kNone;
    if (common > depth) {
      ext = add(Kind::Ext, level++);
      nodes_[ext].path_len = (uint8_t)(common - depth);
      std::memcpy(nodes_[ext].path, first.nib + depth, (size_t)(common - depth));
    }
    int32_t branch = add(Kind::Branch, level);
    for (int n = 0; n < 16; ++n) nodes_[branch].child[n] = kNone;
    for (size_t a = lo; a < hi;) {
      uint8_t nib = items[a].key.nib[common];
      size_t b = a + 1;
      while (b < hi && items[b].key.nib[common] == nib) ++b;
      int32_t c = build(items, a, b, common + 1, level + 1);
      nodes_[branch].child[nib] = c;  // after the call: it may have moved nodes_
      a = b;
    }
    if (ext == kNone) return branch;
    nodes_[ext].child[0] = branch;
    return ext;
  }

  // Encodes and hashes every node, deepest level first (a node's children are referenced by then); returns
  // the root's hash (the root is hashed even when its RLP is shorter than 32 bytes).
  Hash32 hash_root() {
    std::vector<uint8_t> buf;
    std::vector<crypto::KeccakJob> jobs;
    std::vector<size_t> at;  // jobs[k]'s offset in buf, which may still grow while encoding
    Hash32 root;
    for (size_t level = levels_.size(); level-- > 0;) {
      buf.clear();
      jobs.clear();
      at.clear();
      for (int32_t id : levels_[level]) {
        Node& n = nodes_[id];
        size_t used = buf.size();
        buf.resize(used + encoded_size(n));
        encode(n, buf.data() + used);
        size_t len = buf.size() - used;
        if (len < 32 && level > 0) {
          std::memcpy(n.ref, buf.data() + used, len);
          n.ref_len = (uint8_t)len;
        } else {
          jobs.push_back({nullptr, len, level > 0 ? n.ref : root.b});
          at.push_back(used);
          n.ref_len = 32;
        }
      }
      for (size_t k = 0; k < jobs.size(); ++k) jobs[k].data = buf.data() + at[k];
      crypto::keccak256_many(jobs.data(), jobs.size());
    }
    return root;
  }

 private:
  std::vector<Node> nodes_;
  std::vector<std::vector<int32_t>> levels_;

  int32_t add(Kind kind, size_t level) {
    nodes_.push_back(Node{});
    nodes_.back().kind = kind;
    if (levels_.size() <= level) levels_.resize(level + 1);
    levels_[level].push_back((int32_t)(nodes_.size() - 1));
    return (int32_t)(nodes_.size() - 1);
  }

  size_t ref_size(int32_t c) const { return c == kNone ? 1 : nodes_[c].ref_len == 32 ? 33 : nodes_[c].ref_len; }

  uint8_t* put_ref(uint8_t* out, int32_t c) const {
    if (c == kNone) {
      *out++ = 0x80;
      return out;
    }
    const Node& n = nodes_[c];
    if (n.ref_len == 32) return rlp::put_string(out, n.ref, 32);
    std::memcpy(out, n.ref, n.ref_len);
    return out + n.ref_len;
  }

  size_t payload_size(const Node& n, const uint8_t* hp, int hp_len) const {
    if (n.kind == Kind::Branch) {
      size_t p = 1;  // no value: no key ends at a branch
      for (int32_t c : n.child) p += ref_size(c);
      return p;
    }
    size_t p = rlp::string_size(hp, (size_t)hp_len);
    return p + (n.kind == Kind::Leaf ? rlp::string_size(n.value, n.value_len) : ref_size(n.child[0]));
  }

  size_t encoded_size(const Node& n) const {
    uint8_t hp[kMaxKeyNibbles / 2 + 1];
    int hp_len = n.kind == Kind::Branch ? 0 : hex_prefix<kMaxKeyNibbles>(n.path, n.path_len, n.kind == Kind::Leaf, hp);
    size_t payload = payload_size(n, hp, hp_len);
    return rlp::list_header_size(payload) + payload;
  }

  void encode(const Node& n, uint8_t* out) const {
    uint8_t hp[kMaxKeyNibbles / 2 + 1];
    int hp_len = n.kind == Kind::Branch ? 0 : hex_prefix<kMaxKeyNibbles>(n.path, n.path_len, n.kind == Kind::Leaf, hp);
    out = rlp::put_list_header(out, payload_size(n, hp, hp_len));
    if (n.kind == Kind::Branch) {
      for (int32_t c : n.child) out = put_ref(out, c);
      *out = 0x80;
      return;
    }
    out = rlp::put_string(out, hp, (size_t)hp_len);
    if (n.kind == Kind::Leaf) rlp::put_string(out, n.value, n.value_len);
    else put_ref(out, n.child[0]);
  }
};

}  // namespace

Hash32 ordered_trie_root(const uint8_t* data, const uint32_t* offsets, size_t count) {
  if (count == 0) return kEmptyTrieRoot;
  if (count > UINT32_MAX) throw std::invalid_argument("ordered trie: more than 2^32 items");
  // Keys in sorted order without a sort: rlp(1..127) are the bytes 0x01..0x7f, below rlp(0) = 0x80, below
  // rlp(128..) = 0x81.. (one length byte per width, so wider indices sort after narrower ones).
  std::vector<Item> items;
  items.reserve(count);
  auto push = [&](uint32_t i) {
    size_t len = offsets[i + 1] - offsets[i];
    if (len == 0) throw std::invalid_argument("ordered trie: item " + std::to_string(i) + " is empty (an empty value is a deletion)");
    items.push_back({key_of(i), data + offsets[i], len});
  };
  for (uint32_t i = 1; i < count && i < 0x80; ++i) push(i);
  push(0);
  for (uint32_t i = 0x80; i < count; ++i) push(i);
  Builder b(count);
  b.build(items.data(), 0, items.size(), 0, 0);
  return b.hash_root();
}

}  // namespace state
}  // namespace native
