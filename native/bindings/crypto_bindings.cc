// N-API: batched secp256k1 sender recovery (the sequencer's ingress). The precompile hooks live in
// precompile_bindings.cc.
#include <napi.h>

#include <memory>

#include <string>
#include <vector>

#include "../../kernels/precompiles/precompiles.h"
#include "../backend/backend.h"
#include "../promise_worker.h"

namespace native {
namespace {

struct RecoverArgs {
  Napi::Uint8Array hashes, sigs;
  uint32_t count = 0;
};

RecoverArgs ReadRecoverArgs(const Napi::CallbackInfo& cb, const char* name) {
  Napi::Env env = cb.Env();
  const std::string usage = std::string(name) + "(hashes: Uint8Array (32*n), sigs: Uint8Array (65*n: r, s, recid))";
  if (cb.Length() < 2 || !cb[0].IsTypedArray() || !cb[1].IsTypedArray()) throw Napi::TypeError::New(env, usage);
  RecoverArgs a;
  a.hashes = cb[0].As<Napi::Uint8Array>();
  a.sigs = cb[1].As<Napi::Uint8Array>();
  if (a.hashes.TypedArrayType() != napi_uint8_array || a.sigs.TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(env, usage);
  size_t hl = a.hashes.ByteLength(), sl = a.sigs.ByteLength();
  if (hl % 32 != 0) throw Napi::RangeError::New(env, std::string(name) + ": hashes length is not a multiple of 32");
  if (sl != hl / 32 * 65)
    throw Napi::RangeError::New(env, std::string(name) + ": sigs must hold 65 bytes per hash (" +
                                         std::to_string(hl / 32) + " hashes, " + std::to_string(sl) + " sig bytes)");
  if (hl / 32 > 0xFFFFFFFFull) throw Napi::RangeError::New(env, std::string(name) + ": too many items");
  a.count = (uint32_t)(hl / 32);
  return a;
}

Napi::Object RecoverResult(Napi::Env env, const uint8_t* addrs, const uint8_t* ok, uint32_t count) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("addresses", Napi::Buffer<uint8_t>::Copy(env, addrs, (size_t)count * 20));
  Napi::Uint8Array okArr = Napi::Uint8Array::New(env, count);
  for (uint32_t i = 0; i < count; ++i) okArr[i] = ok[i];
  o.Set("ok", okArr);
  return o;
}

Napi::Value RecoverSendersBatchSync(const Napi::CallbackInfo& cb) {
  RecoverArgs a = ReadRecoverArgs(cb, "recoverSendersBatchSync");
  std::vector<uint8_t> addrs((size_t)a.count * 20), ok(a.count);
  active_backend().recover_senders_batch(a.hashes.Data(), a.sigs.Data(), a.count, addrs.data(), ok.data());
  return RecoverResult(cb.Env(), addrs.data(), ok.data(), a.count);
}

Napi::Value RecoverSendersBatch(const Napi::CallbackInfo& cb) {
  RecoverArgs a = ReadRecoverArgs(cb, "recoverSendersBatch");
  struct Job {
    std::vector<uint8_t> hashes, sigs;  // copied: the JS buffers may be reused while we run
    std::vector<uint8_t> addrs, ok;
  };
  auto job = std::make_shared<Job>(Job{std::vector<uint8_t>(a.hashes.Data(), a.hashes.Data() + a.hashes.ByteLength()),
                                       std::vector<uint8_t>(a.sigs.Data(), a.sigs.Data() + a.sigs.ByteLength()),
                                       std::vector<uint8_t>((size_t)a.count * 20), std::vector<uint8_t>(a.count)});
  uint32_t count = a.count;
  return run_async(
      cb.Env(),
      [job, count] { active_backend().recover_senders_batch(job->hashes.data(), job->sigs.data(), count, job->addrs.data(), job->ok.data()); },
      [job, count](Napi::Env env) { return RecoverResult(env, job->addrs.data(), job->ok.data(), count); });
}

}  // namespace

void register_crypto_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("recoverSendersBatch", Napi::Function::New(env, RecoverSendersBatch));
  exports.Set("recoverSendersBatchSync", Napi::Function::New(env, RecoverSendersBatchSync));
}

}  // namespace native
