#include "fuzz_generate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "reader.h"

namespace native {
namespace evm {

namespace {

// generate.ts's constants: the longest time/block jump, recent words kept for reuse and how often one is.
constexpr uint32_t MAX_TIME_DELTA = 7 * 24 * 3600;
constexpr uint32_t MAX_BLOCK_DELTA = 100;
constexpr uint32_t RECENT_WORDS = 64;
constexpr double REUSE_CHANCE = 0.15;
constexpr size_t CALL_HEADER = 20 + 20 + 32 + 8 + 8 + 4;  // fuzz_host.h program layout
constexpr uint32_t MAX_NODES = 1u << 16;

// sequencer/fuzz/rng.ts: xoshiro128**, with below() and chance() computed in doubles exactly as there.
struct Rng {
  uint32_t a, b, c, d;
  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
  uint32_t u32() {
    uint32_t r = rotl(b * 5u, 7) * 9u;
    uint32_t t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  }
  uint32_t below(double n) { return (uint32_t)std::floor(((double)u32() / 4294967296.0) * n); }
  bool chance(double p) { return (double)u32() < p * 4294967296.0; }
};

// One sequence being written: generate.ts's CallGenerator (calls), RandomProducer (argument words) and
// abi.ts's Encoder (the head/tail walk), writing into out.
class SequenceWriter {
 public:
  SequenceWriter(const FuzzGenerator& g, Rng& rng, std::vector<uint8_t>& out) : g_(g), rng_(rng), out_(out) {}

  void call() {
    const GenFunction& fn = g_.functions[rng_.below((double)g_.functions.size())];
    bool jump = rng_.chance(0.1);
    size_t call_at = out_.size();
    out_.resize(call_at + CALL_HEADER, 0);
    std::memcpy(&out_[call_at], &g_.senders[20 * (size_t)rng_.below((double)(g_.senders.size() / 20))], 20);
    std::memcpy(&out_[call_at + 20], fn.address, 20);
    if (fn.payable) value(call_at + 40);
    base_ = call_at + CALL_HEADER;
    ensure(fn.selector_len);
    if (fn.selector_len) std::memcpy(at(0), fn.selector, fn.selector_len);
    size_t end = encode(fn, nullptr, fn.params.data(), (uint32_t)fn.params.size(), fn.selector_len);
    out_.resize(base_ + end);
    put_le(call_at + 88, end, 4);
    if (jump) {
      put_le(call_at + 72, 1 + rng_.below(MAX_TIME_DELTA), 8);
      put_le(call_at + 80, 1 + rng_.below(MAX_BLOCK_DELTA), 8);
    }
  }

 private:
  const FuzzGenerator& g_;
  Rng& rng_;
  std::vector<uint8_t>& out_;
  size_t base_ = 0;  // where the current call's calldata starts in out_
  uint8_t recent_[RECENT_WORDS * 32];
  uint32_t recent_count_ = 0;

  uint8_t* at(size_t pos) { return &out_[base_ + pos]; }
  void ensure(size_t end) {
    if (out_.size() < base_ + end) out_.resize(base_ + end);
  }
  void put_le(size_t where, uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_[where + i] = (uint8_t)(v >> (8 * i));
  }

  // generate.ts value(): most payable calls send nothing; the rest a few wei or 1..100 × 10^k wei (k ≤ 20).
  void value(size_t where) {
    if (!rng_.chance(0.3)) return;
    unsigned __int128 v;
    if (rng_.chance(0.3)) {
      v = 1 + rng_.below(1000);
    } else {
      v = 1 + rng_.below(100);
      for (uint32_t k = rng_.below(21); k > 0; --k) v *= 10;
    }
    for (int i = 0; i < 16; ++i) out_[where + 31 - i] = (uint8_t)(v >> (8 * i));
  }

  // Encoder.sequence: n values as a tuple at start (params[i], or element for all): heads, then tails.
  size_t encode(const GenFunction& fn, const AbiNode* element, const uint32_t* params, uint32_t n, size_t start) {
    size_t head_size = 0;
    for (uint32_t i = 0; i < n; ++i) head_size += (element ? *element : fn.nodes[params[i]]).head;
    size_t head = start, tail = start + head_size;
    ensure(tail);
    for (uint32_t i = 0; i < n; ++i) {
      const AbiNode& t = element ? *element : fn.nodes[params[i]];
      if (t.dynamic) {
        small_word(head, tail - start);
        tail = encode_value(fn, t, tail);
      } else {
        encode_value(fn, t, head);
      }
      head += t.head;
    }
    return tail;
  }

  // Encoder.value: one value at pos; returns where it ends.
  size_t encode_value(const GenFunction& fn, const AbiNode& t, size_t pos) {
    switch (t.kind) {
      case ABI_ARRAY: {
        const AbiNode& el = fn.nodes[t.first];
        if (t.length != ABI_DYNAMIC_LENGTH) return encode(fn, &el, nullptr, t.length, pos);
        uint32_t n = rng_.chance(0.1) ? 0 : 1 + rng_.below(rng_.chance(0.8) ? 4 : 32);
        ensure(pos + 32);
        small_word(pos, n);
        return encode(fn, &el, nullptr, n, pos + 32);
      }
      case ABI_TUPLE: {
        std::vector<uint32_t> parts;  // the components' node indices (tuples are rare: a vector is fine)
        for (uint32_t c = t.first, i = 0; i < t.children; ++i, c = fn.nodes[c].next) parts.push_back(c);
        return encode(fn, nullptr, parts.data(), t.children, pos);
      }
      case ABI_BYTES:
      case ABI_STRING: {
        uint32_t len = rng_.chance(0.1) ? 0 : rng_.below(rng_.chance(0.8) ? 33 : 300);
        size_t end = pos + 32 + (len + 31) / 32 * 32;
        ensure(end);
        small_word(pos, len);
        if (t.kind == ABI_BYTES) {
          random_bytes(pos + 32, len);
        } else {  // printable ASCII, as the reference writes
          for (uint32_t i = 0; i < len; ++i) *at(pos + 32 + i) = (uint8_t)(0x20 + rng_.below(95));
        }
        std::memset(at(pos + 32 + len), 0, end - (pos + 32 + len));
        return end;
      }
      default:
        ensure(pos + 32);
        word(t, pos);
        return pos + 32;
    }
  }

  void small_word(size_t pos, uint64_t n) {
    uint8_t* w = at(pos);
    std::memset(w, 0, 24);
    for (int i = 0; i < 8; ++i) w[31 - i] = (uint8_t)(n >> (8 * i));
  }

  // RandomProducer.word: an earlier word of the sequence (not for bools) or a fresh one, fitted to the type.
  void word(const AbiNode& t, size_t pos) {
    if (recent_count_ > 0 && t.kind != ABI_BOOL && rng_.chance(REUSE_CHANCE)) {
      std::memcpy(at(pos), recent_ + 32 * rng_.below(std::min(recent_count_, RECENT_WORDS)), 32);
    } else {
      fresh(t, pos);
    }
    fit(t, at(pos));
    std::memcpy(recent_ + 32 * (recent_count_++ % RECENT_WORDS), at(pos), 32);
  }

  void fresh(const AbiNode& t, size_t pos) {
    uint32_t r = rng_.below(100);
    uint8_t* w = at(pos);
    switch (t.kind) {
      case ABI_BOOL:
        small_word(pos, r & 1);
        return;
      case ABI_ADDRESS:
        if (r < 80) copy_word(g_.address_words, w);
        else if (r < 90) std::memset(w, 0, 32);
        else copy_word(g_.words, w);
        return;
      case ABI_FIXED_BYTES:
        if (r < 50) random_bytes(pos, 32);
        else if (r < 75) copy_word(g_.words, w);
        else if (r < 90) left_aligned_constant(w, t.size);
        else std::memset(w, 0, 32);
        return;
      default: {
        uint32_t bits = 8u * t.size;
        if (r < 40) copy_word(g_.words, w);
        else if (r < 60) small_number(pos, t.kind == ABI_INT && r < 45);
        else if (r < 70) extreme(w, t.size, rng_.below(6));
        else random_bits(pos, bits);
      }
    }
  }

  // A word drawn from words (all zero when there are none, as the reference reads missing bytes as 0).
  void copy_word(const std::vector<uint8_t>& words, uint8_t* w) {
    uint32_t i = rng_.below((double)(words.size() / 32));
    if (words.empty()) std::memset(w, 0, 32);
    else std::memcpy(w, &words[32 * (size_t)i], 32);
  }

  void left_aligned_constant(uint8_t* w, uint32_t size) {
    uint32_t i = rng_.below((double)(g_.words.size() / 32));
    if (g_.words.empty()) std::memset(w, 0, size);
    else std::memcpy(w, &g_.words[32 * (size_t)i + 32 - size], size);
    std::memset(w + size, 0, 32 - size);
  }

  void small_number(size_t pos, bool negative) {
    uint32_t n = rng_.below(std::ldexp(1.0, 1 + (int)rng_.below(16)));
    small_word(pos, n);
    if (negative && n != 0) {
      uint8_t* w = at(pos);
      std::memset(w, 0xff, 28);
      uint32_t neg = 0u - n;
      for (int i = 0; i < 4; ++i) w[31 - i] = (uint8_t)(neg >> (8 * i));
    }
  }

  // uint max / int -1, max - 1, 1, int max, int min (after sign extension), 0 at the type's width.
  static void extreme(uint8_t* w, uint32_t bytes, uint32_t which) {
    uint32_t first = 32 - bytes;
    std::memset(w, which < 2 ? 0xff : 0, 32);
    if (which == 1) w[31] = 0xfe;
    else if (which == 2) w[31] = 1;
    else if (which == 3) {
      w[first] = 0x7f;
      std::memset(w + first + 1, 0xff, 31 - first);
    } else if (which == 4) w[first] = 0x80;
  }

  void random_bits(size_t pos, uint32_t bits) {
    uint32_t len = 1 + rng_.below(bits / 8);
    std::memset(at(pos), 0, 32 - len);
    random_bytes(pos + 32 - len, len);
  }

  void random_bytes(size_t pos, uint32_t len) {
    uint8_t* p = at(pos);
    uint32_t i = 0;
    for (; i + 4 <= len; i += 4) {
      uint32_t r = rng_.u32();
      for (int k = 0; k < 4; ++k) p[i + k] = (uint8_t)(r >> (8 * k));
    }
    for (; i < len; ++i) p[i] = (uint8_t)rng_.u32();
  }

  // abi.ts fitWord: a word forced into a valid encoding of its type.
  static void fit(const AbiNode& t, uint8_t* w) {
    switch (t.kind) {
      case ABI_UINT:
        std::memset(w, 0, 32 - t.size);
        return;
      case ABI_INT:
        std::memset(w, (w[32 - t.size] & 0x80) ? 0xff : 0, 32 - t.size);
        return;
      case ABI_ADDRESS:
        std::memset(w, 0, 12);
        return;
      case ABI_BOOL:
        w[31] &= 1;
        std::memset(w, 0, 31);
        return;
      case ABI_FIXED_BYTES:
        std::memset(w + t.size, 0, 32 - t.size);
        return;
    }
  }
};

// Reads one node and its subtree in preorder; returns the index after it.
uint32_t read_node(Reader& r, std::vector<AbiNode>& nodes, uint32_t n_nodes, const std::string& where) {
  if (nodes.size() >= n_nodes) throw std::runtime_error("native fuzz generator: " + where + ": more nodes than declared");
  uint32_t me = (uint32_t)nodes.size();
  AbiNode n{};
  n.kind = r.u8();
  n.size = r.u8();
  n.dynamic = r.u8() != 0;
  n.head = r.u32();
  n.length = r.u32();
  n.children = r.u32();
  bool word = n.kind <= ABI_FIXED_BYTES;
  if (n.kind > ABI_TUPLE || (word && n.head != 32) || ((n.kind == ABI_UINT || n.kind == ABI_INT || n.kind == ABI_FIXED_BYTES) && (n.size < 1 || n.size > 32)))
    throw std::runtime_error("native fuzz generator: " + where + ": bad ABI node (kind " + std::to_string(n.kind) + ")");
  if (n.dynamic && n.head != 32) throw std::runtime_error("native fuzz generator: " + where + ": a dynamic node's head is not 32 bytes");
  nodes.push_back(n);
  uint32_t next = me + 1;
  if (n.kind == ABI_ARRAY) {
    nodes[me].first = next;
    next = read_node(r, nodes, n_nodes, where);
  } else if (n.kind == ABI_TUPLE) {
    nodes[me].first = next;
    for (uint32_t i = 0; i < n.children; ++i) next = read_node(r, nodes, n_nodes, where);
  }
  nodes[me].next = next;
  return next;
}

}  // namespace

FuzzGenerator make_fuzz_generator(const uint8_t* config, size_t len) {
  Reader r(config, len);
  FuzzGenerator g;
  uint32_t nf = r.u32();
  if (nf == 0 || nf > len) throw std::runtime_error("native fuzz generator: bad function count");
  g.functions.resize(nf);
  for (uint32_t f = 0; f < nf; ++f) {
    GenFunction& fn = g.functions[f];
    const std::string where = "function " + std::to_string(f);
    std::memcpy(fn.address, r.take(20), 20);
    fn.selector_len = r.u8();
    if (fn.selector_len != 0 && fn.selector_len != 4) throw std::runtime_error("native fuzz generator: " + where + ": selector length is not 0 or 4");
    std::memcpy(fn.selector, r.take(fn.selector_len), fn.selector_len);
    fn.payable = r.u8() != 0;
    uint32_t np = r.u32(), nn = r.u32();
    if (np > nn || nn > MAX_NODES) throw std::runtime_error("native fuzz generator: " + where + ": bad parameter or node count");
    for (uint32_t p = 0; p < np; ++p) {
      fn.params.push_back((uint32_t)fn.nodes.size());
      read_node(r, fn.nodes, nn, where);
    }
    if (fn.nodes.size() != nn) throw std::runtime_error("native fuzz generator: " + where + ": fewer nodes than declared");
  }
  uint32_t ns = r.u32();
  if (ns == 0) throw std::runtime_error("native fuzz generator: no senders");
  const uint8_t* senders = r.take(20ULL * ns);
  g.senders.assign(senders, senders + 20ULL * ns);
  uint32_t na = r.u32();
  const uint8_t* addresses = r.take(32ULL * na);
  g.address_words.assign(addresses, addresses + 32ULL * na);
  if (r.off != len) throw std::runtime_error("native fuzz generator: trailing bytes after the config");
  return g;
}

int64_t generate_sequence(const FuzzGenerator& g, uint32_t rng[4], uint32_t depth, uint8_t* out, size_t room) {
  thread_local std::vector<uint8_t> bytes;
  bytes.clear();
  Rng r{rng[0], rng[1], rng[2], rng[3]};
  SequenceWriter w(g, r, bytes);
  for (uint32_t i = 0; i < depth; ++i) w.call();
  if (bytes.size() > room) return -1;
  std::memcpy(out, bytes.data(), bytes.size());
  rng[0] = r.a;
  rng[1] = r.b;
  rng[2] = r.c;
  rng[3] = r.d;
  return (int64_t)bytes.size();
}

}  // namespace evm
}  // namespace native
