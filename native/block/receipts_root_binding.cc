// N-API surface of the receipts root (sequencer/block/receipts-root.ts):
//   receiptsRootSync(data: Uint8Array, offsets: Uint32Array): Buffer
//       receipts packed back to back with their blooms zero; writes each receipt's logs bloom into data in
//       place and returns 288 bytes: the receipts trie root (32) then the block's logs bloom (256). On the
//       calling thread. RangeError naming the receipt when one does not parse (data unchanged then), or
//       for offsets out of order or past the end of data.
#include <napi.h>

#include <cstring>
#include <stdexcept>

#include "../bindings/packed_items.h"
#include "receipts_root.h"

namespace native {
namespace block {
namespace {

Napi::Value ReceiptsRootSync(const Napi::CallbackInfo& cb) {
  PackedItems in = packed_items(cb, "receiptsRootSync(data: Uint8Array, offsets: Uint32Array)");
  ReceiptsRoot r;
  try {
    r = receipts_root(in.data.Data(), in.offsets.Data(), in.count);
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(cb.Env(), e.what());
  }
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(cb.Env(), 32 + 256);
  std::memcpy(out.Data(), r.root.b, 32);
  std::memcpy(out.Data() + 32, r.bloom, 256);
  return out;
}

}  // namespace
}  // namespace block

void register_receipts_root_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("receiptsRootSync", Napi::Function::New(env, block::ReceiptsRootSync));
}

}  // namespace native
