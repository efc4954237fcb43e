// Test hooks for the pairing precompiles (kernels/precompiles/bn254.h, kzg.h): each takes the raw call
// input and returns { ok, output } the way the EVM would see it (inputs shorter than the fixed size are
// right-padded with zeros, longer ones truncated, as the dispatcher does; the pairing gets the whole input).
// Synchronous: a pairing check costs milliseconds.
#include <napi.h>

#include <vector>

#include "precompiles/bn254.h"
#include "precompiles/kzg.h"

namespace native {
namespace {

Napi::Uint8Array InputArg(const Napi::CallbackInfo& cb, const char* name) {
  if (cb.Length() < 1 || !cb[0].IsTypedArray() || cb[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(cb.Env(), std::string(name) + "(input: Uint8Array)");
  return cb[0].As<Napi::Uint8Array>();
}

Napi::Value Result(Napi::Env env, bool ok, const uint8_t* out, size_t len) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", ok);
  o.Set("output", ok ? Napi::Buffer<uint8_t>::Copy(env, out, len) : Napi::Buffer<uint8_t>::New(env, 0));
  return o;
}

template <size_t N>
void Padded(const Napi::Uint8Array& in, uint8_t (&buf)[N]) {
  for (size_t i = 0; i < N; ++i) buf[i] = i < in.ByteLength() ? in[i] : 0;
}

Napi::Value Bn254Add(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Add");
  uint8_t buf[128], out[64];
  Padded(in, buf);
  bool ok = kern::bn254::add(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

Napi::Value Bn254Mul(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Mul");
  uint8_t buf[96], out[64];
  Padded(in, buf);
  bool ok = kern::bn254::mul(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

Napi::Value Bn254Pairing(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "bn254Pairing");
  std::vector<uint8_t> copy(in.Data(), in.Data() + in.ByteLength());
  uint8_t out[32];
  bool ok = kern::bn254::pairing(copy.data(), copy.size(), out);
  return Result(cb.Env(), ok, out, 32);
}

Napi::Value KzgPointEvaluation(const Napi::CallbackInfo& cb) {
  Napi::Uint8Array in = InputArg(cb, "kzgPointEvaluation");
  uint8_t out[64];
  if (in.ByteLength() != 192) return Result(cb.Env(), false, out, 0);
  uint8_t buf[192];
  Padded(in, buf);
  bool ok = kern::kzg::point_evaluation(buf, out);
  return Result(cb.Env(), ok, out, 64);
}

}  // namespace

void register_pairing_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("bn254Add", Napi::Function::New(env, Bn254Add));
  exports.Set("bn254Mul", Napi::Function::New(env, Bn254Mul));
  exports.Set("bn254Pairing", Napi::Function::New(env, Bn254Pairing));
  exports.Set("kzgPointEvaluation", Napi::Function::New(env, KzgPointEvaluation));
}

}  // namespace native
