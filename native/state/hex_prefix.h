// Hex-prefix encoding of a trie path (Yellow Paper appendix C): flag 2 marks a leaf, flag 1 an odd number
// of nibbles, whose first nibble then shares the flag byte.
#pragma once
#include <cstdint>

namespace native {
namespace state {

// Writes the encoding of nibbles[0..count) into out; returns its length. kMaxNibbles bounds count: the loop
// stops there too (count never exceeds it), so the compiler can see that out cannot overflow.
template <int kMaxNibbles>
inline int hex_prefix(const uint8_t* nibbles, int count, bool leaf, uint8_t (&out)[kMaxNibbles / 2 + 1]) {
  uint8_t flag = leaf ? 2 : 0;
  int len = 0, i = 0;
  if (count & 1) {
    out[len++] = (uint8_t)(((flag | 1) << 4) | nibbles[0]);
    i = 1;
  } else {
    out[len++] = (uint8_t)(flag << 4);
  }
  int end = count < kMaxNibbles ? count : kMaxNibbles;
  for (; i < end; i += 2) out[len++] = (uint8_t)((nibbles[i] << 4) | nibbles[i + 1]);
  return len;
}

}  // namespace state
}  // namespace native
