// Shared by the EVM's N-API files: the JS-side handle of a state mirror, and copying typed-array arguments.
#pragma once
#include <napi.h>

#include <memory>
#include <string>
#include <vector>

#include "evm_host.h"

namespace native {
namespace evm {

// What evmLoadState's `handle` (a Napi::External) points at.
struct StateHandle {
  std::shared_ptr<StateMirror> mirror;
};

inline std::vector<uint8_t> copy_bytes(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Uint8Array");
  auto a = v.As<Napi::Uint8Array>();
  if (a.TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Uint8Array");
  return std::vector<uint8_t>(a.Data(), a.Data() + a.ByteLength());
}

}  // namespace evm
}  // namespace native
