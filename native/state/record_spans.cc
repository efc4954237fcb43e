#include "record_spans.h"

#include <cstring>
#include <string>

namespace native {
namespace state {

std::vector<uint8_t> pack_records(const Napi::Value& buffers_arg, const Napi::Value& spans_arg, const char* fn) {
  const std::string name(fn);
  Napi::Env env = buffers_arg.Env();
  std::vector<uint8_t> out;
  if (buffers_arg.IsUndefined() && spans_arg.IsUndefined()) return out;
  if (!buffers_arg.IsArray()) throw Napi::TypeError::New(env, name + ": records must be an array of Uint8Array");
  if (!spans_arg.IsTypedArray() || spans_arg.As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    throw Napi::TypeError::New(env, name + ": spans must be a Uint32Array");
  Napi::Array buffers = buffers_arg.As<Napi::Array>();
  std::vector<Napi::Uint8Array> views;
  for (uint32_t i = 0; i < buffers.Length(); ++i) {
    Napi::Value b = buffers.Get(i);
    if (!b.IsTypedArray() || b.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw Napi::TypeError::New(env, name + ": records[" + std::to_string(i) + "] must be a Uint8Array");
    views.push_back(b.As<Napi::Uint8Array>());
  }
  Napi::Uint32Array spans = spans_arg.As<Napi::Uint32Array>();
  if (spans.ElementLength() % 3 != 0) throw Napi::RangeError::New(env, name + ": spans must be (buffer, start, end) triples");
  size_t total = 0;
  for (size_t k = 0; k < spans.ElementLength(); k += 3) {
    uint32_t b = spans[k], start = spans[k + 1], end = spans[k + 2];
    if (b >= views.size() || start > end || end > views[b].ByteLength())
      throw Napi::RangeError::New(env, name + ": span " + std::to_string(k / 3) + " (" + std::to_string(b) + ", " +
                                           std::to_string(start) + ", " + std::to_string(end) + ") is outside its buffer");
    total += 4 + (end - start);
  }
  out.resize(total);
  uint8_t* p = out.data();
  for (size_t k = 0; k < spans.ElementLength(); k += 3) {
    uint32_t len = spans[k + 2] - spans[k + 1];
    for (int i = 0; i < 4; ++i) *p++ = (uint8_t)(len >> (8 * i));
    std::memcpy(p, views[spans[k]].Data() + spans[k + 1], len);
    p += len;
  }
  return out;
}

}  // namespace state
}  // namespace native
