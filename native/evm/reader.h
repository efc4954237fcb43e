// Bounds-checked little-endian reader for the flat buffers TypeScript sends (sequencer/executor/native/encode.ts,
// sequencer/fuzz/native-runner.ts): every read past the end throws instead of reading garbage.
#pragma once
#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "../../kernels/evm/uint256.h"

namespace native {
namespace evm {

struct Reader {
  const uint8_t* p;
  size_t len, off = 0;
  Reader(const uint8_t* p_, size_t l) : p(p_), len(l) {}
  void need(size_t n) {
    if (off + n > len || off + n < off) throw std::runtime_error("native EVM: truncated input buffer");
  }
  const uint8_t* take(size_t n) {
    need(n);
    const uint8_t* r = p + off;
    off += n;
    return r;
  }
  uint8_t u8() { return *take(1); }
  uint32_t u32() {
    const uint8_t* b = take(4);
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
  }
  uint64_t u64() {
    const uint8_t* b = take(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= (uint64_t)b[i] << (8 * i);
    return v;
  }
  kern::evm::u256 word() { return kern::evm::from_be32(take(32)); }
};

}  // namespace evm
}  // namespace native
