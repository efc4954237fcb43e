// N-API surface of the ordered trie (sequencer/block/ordered-trie.ts):
//   orderedTrieRootSync(data: Uint8Array, offsets: Uint32Array): Buffer
//       the 32-byte root of the trie rlp(i) -> data[offsets[i] .. offsets[i + 1]), on the calling thread (a
//       block's transactions: a few milliseconds). RangeError for offsets out of order or past the end of
//       data, or an empty item.
#include <napi.h>

#include <stdexcept>

#include "../bindings/packed_items.h"
#include "ordered_trie.h"

namespace native {
namespace state {
namespace {

Napi::Value OrderedTrieRootSync(const Napi::CallbackInfo& cb) {
  PackedItems in = packed_items(cb, "orderedTrieRootSync(data: Uint8Array, offsets: Uint32Array)");
  Hash32 root;
  try {
    root = ordered_trie_root(in.data.Data(), in.offsets.Data(), in.count);
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(cb.Env(), e.what());
  }
  return Napi::Buffer<uint8_t>::Copy(cb.Env(), root.b, 32);
}

}  // namespace
}  // namespace state

void register_ordered_trie_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("orderedTrieRootSync", Napi::Function::New(env, state::OrderedTrieRootSync));
}

}  // namespace native
