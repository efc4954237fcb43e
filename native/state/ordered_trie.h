// Root of an "ordered" Merkle-Patricia trie: key rlp(i) -> values[i] for i < count, what a block's
// transactions and receipts tries are. The whole key set is known up front, so the trie is built in one
// pass over the keys in sorted order (no insertions) and hashed level by level, deepest first, each
// level's nodes side by side in the keccak SIMD lanes (crypto/keccak_lanes.h). Host only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "mpt.h"

namespace native {
namespace state {

// values[i] is data[offsets[i] .. offsets[i + 1]) (offsets has count + 1 entries, non-decreasing). Every
// value must be non-empty (an empty value is a deletion in Ethereum's tries): throws std::invalid_argument
// naming the item otherwise. count 0 gives the empty trie's root.
Hash32 ordered_trie_root(const uint8_t* data, const uint32_t* offsets, size_t count);

}  // namespace state
}  // namespace native
