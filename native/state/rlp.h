// The RLP encodings the state trie needs: byte strings, list headers and unsigned integers. The put_*
// forms write into a caller's buffer sized with the *_size functions (trie nodes are encoded without heap
// allocation); the append_* forms grow a std::string through them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace native {
namespace state {
namespace rlp {

inline size_t length_size(size_t len) {
  size_t n = 1;
  if (len >= 56)
    for (size_t v = len; v != 0; v >>= 8) ++n;
  return n;
}

inline uint8_t* put_length(uint8_t* out, size_t len, uint8_t short_base, uint8_t long_base) {
  if (len < 56) {
    *out++ = (uint8_t)(short_base + len);
    return out;
  }
  int n = 0;
  for (size_t v = len; v != 0; v >>= 8) ++n;
  *out++ = (uint8_t)(long_base + n);
  for (int i = n - 1; i >= 0; --i) *out++ = (uint8_t)(len >> (8 * i));
  return out;
}

// Encoded size of a byte string.
inline size_t string_size(const uint8_t* data, size_t len) {
  return len == 1 && data[0] < 0x80 ? 1 : length_size(len) + len;
}

inline uint8_t* put_string(uint8_t* out, const uint8_t* data, size_t len) {
  if (len == 1 && data[0] < 0x80) {
    *out++ = data[0];
    return out;
  }
  out = put_length(out, len, 0x80, 0xb7);
  std::memcpy(out, data, len);
  return out + len;
}

inline size_t list_header_size(size_t payload_len) { return length_size(payload_len); }

inline uint8_t* put_list_header(uint8_t* out, size_t payload_len) { return put_length(out, payload_len, 0xc0, 0xf7); }

inline void append_string(std::string& out, const uint8_t* data, size_t len) {
  size_t at = out.size();
  out.resize(at + string_size(data, len));
  put_string(reinterpret_cast<uint8_t*>(&out[at]), data, len);
}

// A big-endian unsigned integer without leading zeros (zero is the empty string).
inline void append_uint(std::string& out, const uint8_t* be, size_t len) {
  while (len > 0 && be[0] == 0) ++be, --len;
  append_string(out, be, len);
}

}  // namespace rlp
}  // namespace state
}  // namespace native
