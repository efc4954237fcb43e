// The addon's batch argument shape: byte strings packed back to back in one Uint8Array, item i at
// data[offsets[i] .. offsets[i + 1]) (sequencer/primitives/packed-bytes.ts), checked once here.
#pragma once
#include <napi.h>

#include <string>

namespace native {

struct PackedItems {
  Napi::Uint8Array data;
  Napi::Uint32Array offsets;
  size_t count;
};

// cb[0] and cb[1] as (data: Uint8Array, offsets: Uint32Array); TypeError naming `usage` for other types,
// RangeError for offsets out of order or past the end of data.
inline PackedItems packed_items(const Napi::CallbackInfo& cb, const char* usage) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 2 || !cb[0].IsTypedArray() || !cb[1].IsTypedArray()) throw Napi::TypeError::New(env, usage);
  auto data = cb[0].As<Napi::Uint8Array>();
  auto offsets = cb[1].As<Napi::Uint32Array>();
  if (data.TypedArrayType() != napi_uint8_array || offsets.TypedArrayType() != napi_uint32_array) throw Napi::TypeError::New(env, usage);
  size_t n = offsets.ElementLength();
  if (n == 0) throw Napi::RangeError::New(env, std::string(usage) + ": offsets needs count + 1 entries");
  for (size_t i = 0; i < n; ++i) {
    if ((i > 0 && offsets[i] < offsets[i - 1]) || offsets[i] > data.ByteLength())
      throw Napi::RangeError::New(env, std::string(usage) + ": offsets[" + std::to_string(i) + "] is out of order or past the end of data");
  }
  return {data, offsets, n - 1};
}

}  // namespace native
