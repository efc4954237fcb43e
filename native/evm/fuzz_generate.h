// Fresh fuzz sequences generated natively, straight into the bytes of a runner program: the same calls, drawn
// from the same random stream, as sequencer/fuzz/generate.ts's CallGenerator.sequence() (the reference; a
// test compares the two byte for byte), without a JS object or calldata copy per call. The ABI layouts are
// described once, by sequencer/fuzz/abi-layout.ts; this file only walks them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace native {
namespace evm {

// One node of a parameter layout (abi-layout.ts): a tree in preorder.
struct AbiNode {
  uint8_t kind;       // ABI_* below
  uint8_t size;       // int/uint: bits / 8; bytesN: N
  bool dynamic;       // sits in the tail behind an offset word
  uint32_t head;      // bytes it takes in a head (32 for dynamic types)
  uint32_t length;    // fixed array length, ABI_DYNAMIC_LENGTH for T[]
  uint32_t first;     // index of the first child node (array: the element; tuple: the components, in order)
  uint32_t children;  // tuple: component count
  uint32_t next;      // index of the node after this one's subtree (the next sibling)
};

enum : uint8_t { ABI_UINT, ABI_INT, ABI_ADDRESS, ABI_BOOL, ABI_FIXED_BYTES, ABI_BYTES, ABI_STRING, ABI_ARRAY, ABI_TUPLE };
constexpr uint32_t ABI_DYNAMIC_LENGTH = 0xffffffffu;

struct GenFunction {
  uint8_t address[20];
  uint8_t selector[4];
  uint8_t selector_len;  // 0 for receive()/fallback()
  bool payable;
  std::vector<uint32_t> params;  // root node of each parameter in nodes
  std::vector<AbiNode> nodes;
};

struct FuzzGenerator {
  std::vector<GenFunction> functions;
  std::vector<uint8_t> senders;        // 20 bytes each
  std::vector<uint8_t> address_words;  // 32-byte words
  std::vector<uint8_t> words;          // the dictionary's words (replaced when it learns)
};

// config (little-endian): u32 n_functions, per function [20] address, u8 selector length (0 or 4) + selector,
// u8 payable, u32 n_params, u32 n_nodes + nodes (u8 kind, u8 size, u8 dynamic, u32 head, u32 length,
// u32 children; preorder, parameters one after another); u32 n_senders + [20] each; u32 n_address_words +
// [32] each. Throws std::runtime_error on a malformed config.
FuzzGenerator make_fuzz_generator(const uint8_t* config, size_t len);

// Writes a fresh sequence of `depth` calls at out (program layout of fuzz_host.h, without the call count),
// advancing the xoshiro128** state rng[4] as the TypeScript generator would. Returns the bytes written, or
// -1 (rng untouched) when they do not fit in room.
int64_t generate_sequence(const FuzzGenerator& g, uint32_t rng[4], uint32_t depth, uint8_t* out, size_t room);

}  // namespace evm
}  // namespace native
