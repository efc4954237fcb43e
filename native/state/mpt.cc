#include "mpt.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "../backend/thread_pool.h"
#include "../crypto/keccak_lanes.h"
#include "hex_prefix.h"
#include "crypto/keccak.h"
#include "rlp.h"

namespace native {
namespace state {

const Hash32 kEmptyTrieRoot = {{0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
                                0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c,
                                0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21}};

namespace {

enum class Kind : uint8_t { Leaf, Ext, Branch };

// One nibble per byte: paths are short-lived edits, and the simple layout keeps splits and merges obvious.
struct Path {
  uint8_t len = 0;
  uint8_t n[kKeyNibbles];

  void assign(const uint8_t* nibbles, int count) {
    len = (uint8_t)count;
    std::memcpy(n, nibbles, (size_t)count);
  }
  void drop_front(int count) {
    std::memmove(n, n + count, (size_t)(len - count));
    len = (uint8_t)(len - count);
  }
  void prepend(const uint8_t* nibbles, int count) {
    std::memmove(n + count, n, len);
    std::memcpy(n, nibbles, (size_t)count);
    len = (uint8_t)(len + count);
  }
};

}  // namespace

// A node caches its reference (hash, or its own RLP when shorter than 32 bytes) until it is dirtied.
struct Node {
  explicit Node(Kind k) : kind(k) {}
  virtual ~Node() = default;
  Kind kind;
  bool dirty = true;
  uint8_t ref_len = 0;
  uint8_t ref[32];
};

namespace {

// A leaf's payload, inline up to the size of an account's RLP (at most 112 bytes), so hashing and
// updating a leaf touch one allocation, not two; longer payloads go to the heap.
class LeafValue {
 public:
  const uint8_t* data() const { return heap_ ? heap_.get() : inline_; }
  size_t size() const { return len_; }
  void assign(const uint8_t* data, size_t len) {
    if (len > kInline && len > heap_cap_) {
      heap_.reset(new uint8_t[len]);
      heap_cap_ = len;
    } else if (len <= kInline) {
      heap_.reset();
      heap_cap_ = 0;
    }
    std::memcpy(heap_ ? heap_.get() : inline_, data, len);
    len_ = len;
  }

 private:
  static constexpr size_t kInline = 112;
  size_t len_ = 0, heap_cap_ = 0;
  std::unique_ptr<uint8_t[]> heap_;
  uint8_t inline_[kInline];
};

struct Leaf final : Node {
  Leaf() : Node(Kind::Leaf) {}
  Path path;
  LeafValue value;
};

struct Ext final : Node {
  Ext() : Node(Kind::Ext) {}
  Path path;
  NodePtr child;  // always a branch
};

struct Branch final : Node {
  Branch() : Node(Kind::Branch) {}
  NodePtr child[16];
};

void key_nibbles(const uint8_t key[32], uint8_t out[kKeyNibbles]) {
  for (int i = 0; i < 32; ++i) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 15;
  }
}

int common_prefix(const uint8_t* a, int alen, const uint8_t* b, int blen) {
  int i = 0;
  while (i < alen && i < blen && a[i] == b[i]) ++i;
  return i;
}

// A leaf's payload as handed to put(): copied into the leaf.
struct Value {
  const uint8_t* data;
  size_t len;
};

NodePtr make_leaf(const uint8_t* k, int klen, Value value) {
  auto leaf = std::make_unique<Leaf>();
  leaf->path.assign(k, klen);
  leaf->value.assign(value.data, value.len);
  return leaf;
}

// Puts `node` under the `count` nibbles of `prefix` (an extension), or returns it as is when count is 0.
NodePtr under_prefix(const uint8_t* prefix, int count, NodePtr node) {
  if (count == 0) return node;
  auto ext = std::make_unique<Ext>();
  ext->path.assign(prefix, count);
  ext->child = std::move(node);
  return ext;
}

NodePtr insert(NodePtr n, const uint8_t* k, int klen, Value value) {
  if (!n) return make_leaf(k, klen, value);
  n->dirty = true;
  if (n->kind == Kind::Branch) {
    auto* b = static_cast<Branch*>(n.get());
    b->child[k[0]] = insert(std::move(b->child[k[0]]), k + 1, klen - 1, value);
    return n;
  }
  Path& path = n->kind == Kind::Leaf ? static_cast<Leaf*>(n.get())->path : static_cast<Ext*>(n.get())->path;
  int c = common_prefix(path.n, path.len, k, klen);
  if (n->kind == Kind::Leaf && c == path.len) {  // same key (all keys have the same length)
    static_cast<Leaf*>(n.get())->value.assign(value.data, value.len);
    return n;
  }
  if (n->kind == Kind::Ext && c == path.len) {
    auto* e = static_cast<Ext*>(n.get());
    e->child = insert(std::move(e->child), k + c, klen - c, value);
    return n;
  }
  // The paths part at nibble c: a branch takes the old node (shortened) and the new leaf.
  auto branch = std::make_unique<Branch>();
  uint8_t old_nibble = path.n[c];
  if (n->kind == Kind::Ext && path.len == c + 1) {
    branch->child[old_nibble] = std::move(static_cast<Ext*>(n.get())->child);
  } else {
    path.drop_front(c + 1);
    branch->child[old_nibble] = std::move(n);
  }
  branch->child[k[c]] = make_leaf(k + c + 1, klen - c - 1, value);
  return under_prefix(k, c, std::move(branch));
}

// The common update, a key already present: walks down without reshaping anything, and only once the leaf
// is found marks the path dirty and replaces the value. False (nothing changed) when the key is absent.
bool replace(Node* n, const uint8_t* k, Value value) {
  Node* path[kKeyNibbles + 1];
  int depth = 0, pos = 0;
  while (n != nullptr) {
    path[depth++] = n;
    if (n->kind == Kind::Branch) {
      n = static_cast<Branch*>(n)->child[k[pos++]].get();
      continue;
    }
    const Path& p = n->kind == Kind::Leaf ? static_cast<Leaf*>(n)->path : static_cast<Ext*>(n)->path;
    if (p.len > kKeyNibbles - pos || std::memcmp(p.n, k + pos, p.len) != 0) return false;
    pos += p.len;
    if (n->kind == Kind::Leaf) {
      for (int i = 0; i < depth; ++i) path[i]->dirty = true;
      static_cast<Leaf*>(n)->value.assign(value.data, value.len);
      return true;
    }
    n = static_cast<Ext*>(n)->child.get();
  }
  return false;
}

// After a deletion below it, a branch left with one child (or an extension over a collapsed branch)
// merges into that child, so the trie stays canonical (the same keys give the same shape and root).
NodePtr with_prefix(const uint8_t* prefix, int count, NodePtr child) {
  if (child->kind == Kind::Branch) return under_prefix(prefix, count, std::move(child));
  Path& path = child->kind == Kind::Leaf ? static_cast<Leaf*>(child.get())->path : static_cast<Ext*>(child.get())->path;
  path.prepend(prefix, count);
  child->dirty = true;
  return child;
}

NodePtr remove(NodePtr n, const uint8_t* k, int klen, bool& found) {
  found = false;
  if (!n) return n;
  if (n->kind == Kind::Leaf) {
    auto* l = static_cast<Leaf*>(n.get());
    found = l->path.len == klen && std::memcmp(l->path.n, k, (size_t)klen) == 0;
    return found ? nullptr : std::move(n);
  }
  if (n->kind == Kind::Ext) {
    auto* e = static_cast<Ext*>(n.get());
    if (e->path.len > klen || std::memcmp(e->path.n, k, e->path.len) != 0) return n;
    e->child = remove(std::move(e->child), k + e->path.len, klen - e->path.len, found);
    if (!found) return n;
    if (e->child->kind == Kind::Branch) {
      e->dirty = true;
      return n;
    }
    return with_prefix(e->path.n, e->path.len, std::move(e->child));
  }
  auto* b = static_cast<Branch*>(n.get());
  b->child[k[0]] = remove(std::move(b->child[k[0]]), k + 1, klen - 1, found);
  if (!found) return n;
  int count = 0, last = -1;
  for (int i = 0; i < 16; ++i)
    if (b->child[i]) ++count, last = i;
  if (count >= 2) {
    b->dirty = true;
    return n;
  }
  uint8_t nibble = (uint8_t)last;
  return with_prefix(&nibble, 1, std::move(b->child[last]));
}

size_t child_ref_size(const Node* child) { return child == nullptr ? 1 : child->ref_len == 32 ? 33 : child->ref_len; }

uint8_t* put_child_ref(uint8_t* out, const Node* child) {
  if (child == nullptr) {
    *out++ = 0x80;
  } else if (child->ref_len == 32) {
    out = rlp::put_string(out, child->ref, 32);
  } else {  // embedded node: its RLP as is
    std::memcpy(out, child->ref, child->ref_len);
    out += child->ref_len;
  }
  return out;
}

// A node's RLP, written in two steps (its size, then its bytes) so a level of nodes shares one buffer.
// Its children must be clean.
struct Encoder {
  const Node* n;
  uint8_t hp[kKeyNibbles / 2 + 1];
  int hp_len = 0;
  size_t payload = 0;

  explicit Encoder(const Node* node) : n(node) {
    if (n->kind == Kind::Leaf) {
      auto* l = static_cast<const Leaf*>(n);
      hp_len = hex_prefix<kKeyNibbles>(l->path.n, l->path.len, true, hp);
      payload = rlp::string_size(hp, (size_t)hp_len) +
                rlp::string_size(l->value.data(), l->value.size());
    } else if (n->kind == Kind::Ext) {
      auto* e = static_cast<const Ext*>(n);
      hp_len = hex_prefix<kKeyNibbles>(e->path.n, e->path.len, false, hp);
      payload = rlp::string_size(hp, (size_t)hp_len) + child_ref_size(e->child.get());
    } else {
      payload = 1;  // no value: keys have one length, none ends at a branch
      for (const auto& c : static_cast<const Branch*>(n)->child) payload += child_ref_size(c.get());
    }
  }
  size_t size() const { return rlp::list_header_size(payload) + payload; }
  void write(uint8_t* out) const {
    out = rlp::put_list_header(out, payload);
    if (n->kind == Kind::Leaf) {
      auto* l = static_cast<const Leaf*>(n);
      out = rlp::put_string(out, hp, (size_t)hp_len);
      rlp::put_string(out, l->value.data(), l->value.size());
    } else if (n->kind == Kind::Ext) {
      out = rlp::put_string(out, hp, (size_t)hp_len);
      put_child_ref(out, static_cast<const Ext*>(n)->child.get());
    } else {
      for (const auto& c : static_cast<const Branch*>(n)->child) out = put_child_ref(out, c.get());
      *out = 0x80;
    }
  }
};

std::string encoded(const Node* n) {
  Encoder e(n);
  std::string out(e.size(), '\0');
  e.write(reinterpret_cast<uint8_t*>(&out[0]));
  return out;
}

// Encodes nodes whose children are clean, sets their references and marks them clean: the ones of 32
// bytes or more are hashed together (crypto::keccak256_many runs independent nodes side by side in SIMD
// lanes), the shorter ones are embedded in their parent as they are.
void hash_nodes(Node* const* nodes, size_t count) {
  thread_local std::vector<uint8_t> buf;
  thread_local std::vector<crypto::KeccakJob> jobs;
  thread_local std::vector<size_t> at;  // jobs[k]'s offset in buf, which may still grow while encoding
  constexpr size_t kPrefetch = 4;  // a level's nodes are scattered in memory: fetch ahead of the encoder
  jobs.clear();
  at.clear();
  size_t used = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i + kPrefetch < count) __builtin_prefetch(nodes[i + kPrefetch]);
    Node* n = nodes[i];
    Encoder e(n);
    size_t len = e.size();
    if (buf.size() < used + len) buf.resize(2 * (used + len));
    e.write(buf.data() + used);
    if (len < 32) {
      std::memcpy(n->ref, buf.data() + used, len);
      n->ref_len = (uint8_t)len;
    } else {
      jobs.push_back({nullptr, len, n->ref});
      at.push_back(used);
      n->ref_len = 32;
      used += len;
    }
    n->dirty = false;
  }
  for (size_t k = 0; k < jobs.size(); ++k) jobs[k].data = buf.data() + at[k];
  crypto::keccak256_many(jobs.data(), jobs.size());
}

// The dirty nodes by depth (levels[d]: the dirty nodes d edges below the root). A node is dirty when
// anything below it changed, so clean subtrees are skipped whole.
void collect_dirty(Node* n, size_t depth, std::vector<std::vector<Node*>>& levels) {
  if (n == nullptr || !n->dirty) return;
  if (levels.size() <= depth) levels.resize(depth + 1);
  levels[depth].push_back(n);
  if (n->kind == Kind::Ext) {
    collect_dirty(static_cast<Ext*>(n)->child.get(), depth + 1, levels);
  } else if (n->kind == Kind::Branch) {
    for (auto& c : static_cast<Branch*>(n)->child) collect_dirty(c.get(), depth + 1, levels);
  }
}

inline uint8_t nibble_at(const Hash32& key, int i) { return i & 1 ? key.b[i >> 1] & 15 : key.b[i >> 1] >> 4; }

// The subtree of items[0..n) (sorted, unique, sharing their first `depth` nibbles).
NodePtr build_sorted(Trie::Item* items, size_t n, int depth) {
  if (n == 1) {
    auto leaf = std::make_unique<Leaf>();
    leaf->path.len = (uint8_t)(kKeyNibbles - depth);
    for (int i = depth; i < kKeyNibbles; ++i) leaf->path.n[i - depth] = nibble_at(items[0].key, i);
    leaf->value.assign(reinterpret_cast<const uint8_t*>(items[0].value.data()), items[0].value.size());
    return leaf;
  }
  // Sorted: what the first and last keys share, all of them share.
  int common = depth;
  while (common < kKeyNibbles && nibble_at(items[0].key, common) == nibble_at(items[n - 1].key, common)) ++common;
  auto branch = std::make_unique<Branch>();
  size_t lo = 0;
  while (lo < n) {
    uint8_t nib = nibble_at(items[lo].key, common);
    size_t hi = lo + 1;
    while (hi < n && nibble_at(items[hi].key, common) == nib) ++hi;
    branch->child[nib] = build_sorted(items + lo, hi - lo, common + 1);
    lo = hi;
  }
  if (common == depth) return branch;
  auto ext = std::make_unique<Ext>();
  ext->path.len = (uint8_t)(common - depth);
  for (int i = depth; i < common; ++i) ext->path.n[i - depth] = nibble_at(items[0].key, i);
  ext->child = std::move(branch);
  return ext;
}

// Below this many dirty leaves the pool's hand-off costs more than it saves.
constexpr size_t kParallelDirtyLeaves = 256;
// A level is split across the pool in chunks of this many nodes (several rounds of 8 lanes each).
constexpr size_t kLevelChunk = 128;

}  // namespace

Trie::Trie() = default;
Trie::~Trie() = default;
Trie::Trie(Trie&&) noexcept = default;
Trie& Trie::operator=(Trie&&) noexcept = default;

void Trie::put(const uint8_t key[32], const uint8_t* value, size_t len) {
  if (len == 0) throw std::invalid_argument("trie put: empty value (delete the key instead)");
  uint8_t k[kKeyNibbles];
  key_nibbles(key, k);
  if (!replace(root_.get(), k, {value, len})) root_ = insert(std::move(root_), k, kKeyNibbles, {value, len});
  ++dirty_leaves_;
}

void Trie::sort_unique(std::vector<Item>& items) {
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return std::memcmp(a.key.b, b.key.b, 32) < 0; });
  size_t out = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    bool last_of_key = i + 1 == items.size() || std::memcmp(items[i].key.b, items[i + 1].key.b, 32) != 0;
    if (!last_of_key) continue;
    if (out != i) items[out] = std::move(items[i]);  // never self-move: it may empty the value
    ++out;
  }
  items.resize(out);
}

void Trie::assign_sorted(std::vector<Item>& items, ThreadPool* pool) {
  if (root_) throw std::logic_error("trie assign_sorted: the trie is not empty");
  for (const Item& it : items)
    if (it.value.empty()) throw std::invalid_argument("trie assign_sorted: empty value (absent keys are not listed)");
  dirty_leaves_ = items.size();
  if (items.empty()) return;
  if (pool == nullptr || pool->size() <= 1 || items.size() < kParallelDirtyLeaves || nibble_at(items.front().key, 0) == nibble_at(items.back().key, 0)) {
    root_ = build_sorted(items.data(), items.size(), 0);
    return;
  }
  // Keys spread over several first nibbles: the root is a branch, its subtrees independent.
  size_t bounds[17];
  size_t at = 0;
  for (int nib = 0; nib < 16; ++nib) {
    bounds[nib] = at;
    while (at < items.size() && nibble_at(items[at].key, 0) == nib) ++at;
  }
  bounds[16] = items.size();
  auto branch = std::make_unique<Branch>();
  pool->parallel_for(16, [&](size_t nib) {
    if (bounds[nib + 1] > bounds[nib]) branch->child[nib] = build_sorted(items.data() + bounds[nib], bounds[nib + 1] - bounds[nib], 1);
  });
  root_ = std::move(branch);
}

bool Trie::del(const uint8_t key[32]) {
  uint8_t k[kKeyNibbles];
  key_nibbles(key, k);
  bool found = false;
  root_ = remove(std::move(root_), k, kKeyNibbles, found);
  if (found) ++dirty_leaves_;
  return found;
}

Hash32 Trie::hash(ThreadPool* pool) {
  Hash32 h;
  if (!root_) {
    dirty_leaves_ = 0;
    return kEmptyTrieRoot;
  }
  // Deepest level first: a node is encoded once all its children have their references.
  thread_local std::vector<std::vector<Node*>> levels;
  for (auto& level : levels) level.clear();
  collect_dirty(root_.get(), 0, levels);
  bool parallel = pool != nullptr && pool->size() > 1 && dirty_leaves_ >= kParallelDirtyLeaves;
  for (size_t d = levels.size(); d-- > 0;) {
    std::vector<Node*>& level = levels[d];
    if (parallel && level.size() >= 2 * kLevelChunk) {
      size_t chunks = (level.size() + kLevelChunk - 1) / kLevelChunk;
      pool->parallel_for(chunks, [&](size_t c) {
        size_t begin = c * kLevelChunk;
        hash_nodes(level.data() + begin, std::min(kLevelChunk, level.size() - begin));
      });
    } else {
      hash_nodes(level.data(), level.size());
    }
  }
  dirty_leaves_ = 0;
  if (root_->ref_len == 32) {
    std::memcpy(h.b, root_->ref, 32);
  } else {  // a root shorter than 32 bytes is still hashed
    kern::keccak256(root_->ref, root_->ref_len, h.b);
  }
  return h;
}

std::vector<std::string> Trie::prove(const uint8_t key[32]) const {
  uint8_t k[kKeyNibbles];
  key_nibbles(key, k);
  std::vector<std::string> proof;
  const Node* n = root_.get();
  int pos = 0;
  while (n != nullptr) {
    if (n->dirty) throw std::logic_error("trie prove: the trie has changes that are not hashed yet");
    if (n == root_.get() || n->ref_len == 32) {
      proof.push_back(encoded(n));
    }
    if (n->kind == Kind::Leaf) break;
    if (n->kind == Kind::Ext) {
      auto* e = static_cast<const Ext*>(n);
      if (e->path.len > kKeyNibbles - pos || std::memcmp(e->path.n, k + pos, e->path.len) != 0) break;
      pos += e->path.len;
      n = e->child.get();
    } else {
      n = static_cast<const Branch*>(n)->child[k[pos++]].get();
    }
  }
  return proof;
}

}  // namespace state
}  // namespace native
