// The RLP encodings the state trie needs: byte strings, list headers and unsigned integers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace native {
namespace state {
namespace rlp {

inline void append_length(std::string& out, size_t len, uint8_t short_base, uint8_t long_base) {
  if (len < 56) {
    out.push_back((char)(short_base + len));
    return;
  }
  uint8_t be[8];
  int n = 0;
  for (size_t v = len; v != 0; v >>= 8) be[n++] = (uint8_t)v;
  out.push_back((char)(long_base + n));
  while (n > 0) out.push_back((char)be[--n]);
}

inline void append_string(std::string& out, const uint8_t* data, size_t len) {
  if (len == 1 && data[0] < 0x80) {
    out.push_back((char)data[0]);
    return;
  }
  append_length(out, len, 0x80, 0xb7);
  out.append(reinterpret_cast<const char*>(data), len);
}

inline void append_list_header(std::string& out, size_t payload_len) { append_length(out, payload_len, 0xc0, 0xf7); }

// A big-endian unsigned integer without leading zeros (zero is the empty string).
inline void append_uint(std::string& out, const uint8_t* be, size_t len) {
  while (len > 0 && be[0] == 0) ++be, --len;
  append_string(out, be, len);
}

}  // namespace rlp
}  // namespace state
}  // namespace native
