// Strict RLP reading over a byte buffer, host and device alike: only the canonical encoding is accepted
// (a single byte below 0x80 is never wrapped, lengths use the short form below 56 and carry no leading zero
// bytes, nothing runs past its parent), so "decodes" also means "re-encodes to the same bytes".
#pragma once
#include "../common/hd.h"

namespace kern {
namespace rlp {

// One item: its payload spans buf[off, off + len); the whole item (header included) spans [start, end).
struct Item {
  uint32_t start, off, len, end;
  bool list;
};

// Reads the item at `pos`, which must end at or before `limit`. False when the bytes are not canonical RLP.
HD inline bool read(const uint8_t* buf, uint32_t pos, uint32_t limit, Item& it) {
  if (pos >= limit) return false;
  const uint8_t p = buf[pos];
  it.start = pos;
  uint64_t len;
  uint32_t off;
  if (p < 0x80) {
    it.list = false;
    it.off = pos;
    it.len = 1;
    it.end = pos + 1;
    return true;
  }
  const bool list = p >= 0xc0;
  const uint8_t base = list ? 0xc0 : 0x80;
  if (p - base < 56) {
    len = (uint64_t)(p - base);
    off = pos + 1;
  } else {
    const uint32_t n = (uint32_t)(p - base - 55);  // 1..8 length bytes
    if (n > 4 || (uint64_t)pos + 1 + n > limit) return false;
    if (buf[pos + 1] == 0) return false;  // length with a leading zero byte
    len = 0;
    for (uint32_t i = 0; i < n; ++i) len = (len << 8) | buf[pos + 1 + i];
    if (len < 56) return false;  // the long form for a short payload
    off = pos + 1 + n;
  }
  if ((uint64_t)off + len > limit) return false;
  if (!list && len == 1 && buf[off] < 0x80) return false;  // a lone small byte is never wrapped
  it.list = list;
  it.off = off;
  it.len = (uint32_t)len;
  it.end = off + (uint32_t)len;
  return true;
}

// Checks that every item nested in `top` is canonical too (lists nest at most 32 deep here; nothing a
// transaction holds nests deeper than 3).
HD inline bool valid_tree(const uint8_t* buf, const Item& top) {
  if (!top.list) return true;
  uint32_t ends[32];
  int depth = 0;
  ends[0] = top.end;
  uint32_t pos = top.off;
  for (;;) {
    while (depth >= 0 && pos == ends[depth]) --depth;
    if (depth < 0) return true;
    Item it;
    if (!read(buf, pos, ends[depth], it)) return false;
    if (it.list && it.len > 0) {
      if (depth == 31) return false;
      ends[++depth] = it.end;
      pos = it.off;
    } else {
      pos = it.end;
    }
  }
}

// Walks the children of a list item: next(child) reads the item after the previous one.
struct ListCursor {
  const uint8_t* buf;
  uint32_t pos, end;

  HD bool done() const { return pos >= end; }
  HD bool next(Item& child) {
    if (!read(buf, pos, end, child)) return false;
    pos = child.end;
    return true;
  }
};

HD_INLINE ListCursor children(const uint8_t* buf, const Item& list) { return ListCursor{buf, list.off, list.end}; }

// Bytes a list header takes for a payload of `len` bytes.
HD_INLINE uint32_t list_header_size(uint32_t len) {
  if (len < 56) return 1;
  uint32_t n = 0;
  for (uint32_t v = len; v != 0; v >>= 8) ++n;
  return 1 + n;
}

// Writes a list header for a payload of `len` bytes into out (at most 5 bytes); returns its size.
HD_INLINE uint32_t write_list_header(uint32_t len, uint8_t out[5]) {
  if (len < 56) {
    out[0] = (uint8_t)(0xc0 + len);
    return 1;
  }
  const uint32_t n = list_header_size(len) - 1;  // 1..4: len is 32 bits
  out[0] = (uint8_t)(0xf7 + n);
  for (uint32_t i = 0; i < n && i < 4; ++i) out[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
  return 1 + n;
}

// RLP of a big-endian 32-byte word as a scalar (minimal bytes; zero is the empty string) into out
// (at most 33 bytes); returns its size.
HD_INLINE int write_word(const uint8_t w[32], uint8_t* out) {
  int lead = 0;
  while (lead < 32 && w[lead] == 0) ++lead;
  int n = 32 - lead;
  if (n == 1 && w[31] < 0x80) {
    out[0] = w[31];
    return 1;
  }
  out[0] = (uint8_t)(0x80 + n);
  for (int i = 0; i < n; ++i) out[1 + i] = w[lead + i];
  return 1 + n;
}

}  // namespace rlp
}  // namespace kern
