// N-API surface of the ordered trie (sequencer/block/ordered-trie.ts):
//   orderedTrieRootSync(data: Uint8Array, offsets: Uint32Array): Buffer
//       the 32-byte root of the trie rlp(i) -> data[offsets[i] .. offsets[i + 1]), on the calling thread (a
//       block's transactions or receipts: a few milliseconds). RangeError for offsets out of order or past
//       the end of data, or an empty item.
#include <napi.h>

#include <stdexcept>
#include <string>

#include "ordered_trie.h"

namespace native {
namespace state {
namespace {

Napi::Value OrderedTrieRootSync(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const char* usage = "orderedTrieRootSync(data: Uint8Array, offsets: Uint32Array)";
  if (cb.Length() < 2 || !cb[0].IsTypedArray() || !cb[1].IsTypedArray()) throw Napi::TypeError::New(env, usage);
  auto data = cb[0].As<Napi::Uint8Array>();
  auto offsets = cb[1].As<Napi::Uint32Array>();
  if (data.TypedArrayType() != napi_uint8_array || offsets.TypedArrayType() != napi_uint32_array) throw Napi::TypeError::New(env, usage);
  size_t n = offsets.ElementLength();
  if (n == 0) throw Napi::RangeError::New(env, "orderedTrieRootSync: offsets needs count + 1 entries");
  for (size_t i = 0; i < n; ++i) {
    if ((i > 0 && offsets[i] < offsets[i - 1]) || offsets[i] > data.ByteLength())
      throw Napi::RangeError::New(env, "orderedTrieRootSync: offsets[" + std::to_string(i) + "] is out of order or past the end of data");
  }
  Hash32 root;
  try {
    root = ordered_trie_root(data.Data(), offsets.Data(), n - 1);
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, e.what());
  }
  return Napi::Buffer<uint8_t>::Copy(env, root.b, 32);
}

}  // namespace
}  // namespace state

void register_ordered_trie_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("orderedTrieRootSync", Napi::Function::New(env, state::OrderedTrieRootSync));
}

}  // namespace native
