// A block's receipts trie root and logs bloom from its receipts' consensus encodings, whose 256-byte blooms
// the encoder (sequencer/block/receipt-rlp.ts) leaves zero: each receipt's bloom is computed from its own
// logs (every address and topic hashed side by side in the keccak SIMD lanes) and written in place, OR-ed
// into the block's bloom, then the ordered trie (state/ordered_trie.h) hashes the finished receipts. Host only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../state/mpt.h"

namespace native {
namespace block {

struct ReceiptsRoot {
  state::Hash32 root;
  uint8_t bloom[256];
};

// receipts[i] is data[offsets[i] .. offsets[i + 1]): type byte (typed receipts) || rlp([status,
// cumulativeGasUsed, bloom, logs]). Throws std::invalid_argument naming the receipt when one does not parse
// (data is then unchanged).
ReceiptsRoot receipts_root(uint8_t* data, const uint32_t* offsets, size_t count);

}  // namespace block
}  // namespace native
