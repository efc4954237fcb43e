// N-API: batched secp256k1 sender recovery (the sequencer's ingress) and a test hook that runs any
// precompile (0x01..0x0a) through the kernel dispatcher, exactly as the interpreter calls it.
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

// runPrecompile(id, input, fork?) -> { ok, gas: bigint, output: Buffer } through kern::precompile (gas_cost,
// output_size, run): what the interpreter sees. `fork` (kernels/common/fork.h) defaults to the fork that
// introduced the precompile. The test hook refuses outputs above 64 MiB.
Napi::Value RunPrecompile(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 2 || !cb[0].IsNumber() || !cb[1].IsTypedArray() || (cb.Length() > 2 && !cb[2].IsUndefined() && !cb[2].IsNumber()))
    throw Napi::TypeError::New(env, "runPrecompile(id: number, input: Uint8Array, fork?: number)");
  uint32_t id = cb[0].As<Napi::Number>().Uint32Value();
  Napi::Uint8Array in = cb[1].As<Napi::Uint8Array>();
  if (in.TypedArrayType() != napi_uint8_array) throw Napi::TypeError::New(env, "runPrecompile: input must be a Uint8Array");
  if (id > 0xffff || kern::precompile::introduced((uint16_t)id) >= kern::N_FORKS)
    throw Napi::RangeError::New(env, "runPrecompile: " + std::to_string(id) + " is no precompile id at any fork");
  const uint16_t pid = (uint16_t)id;
  uint32_t fork = cb.Length() > 2 && cb[2].IsNumber() ? cb[2].As<Napi::Number>().Uint32Value() : kern::precompile::introduced(pid);
  if (fork >= kern::N_FORKS) throw Napi::RangeError::New(env, "runPrecompile: unknown fork id " + std::to_string(fork));
  if (kern::precompile::introduced(pid) > fork)
    throw Napi::RangeError::New(env, "runPrecompile: precompile " + std::to_string(id) + " does not exist at fork " + std::to_string(fork));
  if (!kern::precompile::implemented(pid))
    throw Napi::Error::New(env, "runPrecompile: precompile " + std::to_string(id) + " is not implemented in the kernels");
  const uint8_t* data = in.Data();
  size_t len = in.ByteLength();
  uint64_t gas = kern::precompile::gas_cost(pid, data, len, (uint8_t)fork);
  size_t out_size = kern::precompile::output_size(pid, data, len);
  if (out_size > ((size_t)64 << 20))
    throw Napi::RangeError::New(env, "runPrecompile: output of " + std::to_string(out_size) + " bytes is over the test hook's 64 MiB");
  std::vector<uint8_t> out(out_size ? out_size : 1);
  size_t out_len = 0;
  bool ok = kern::precompile::run(pid, data, len, out.data(), &out_len, (uint8_t)fork);
  if (ok && out_len != out_size)
    throw Napi::Error::New(env, "runPrecompile: run() wrote " + std::to_string(out_len) + " bytes, output_size() said " +
                                    std::to_string(out_size));
  Napi::Object o = Napi::Object::New(env);
  o.Set("ok", ok);
  o.Set("gas", Napi::BigInt::New(env, gas));
  o.Set("output", Napi::Buffer<uint8_t>::Copy(env, out.data(), ok ? out_len : 0));
  return o;
}

// precompileIdOf(address, fork?) -> the precompile id at that fork (default Cancun), 0 for none.
Napi::Value PrecompileIdOf(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 1 || !cb[0].IsTypedArray() || cb[0].As<Napi::Uint8Array>().ByteLength() != 20)
    throw Napi::TypeError::New(env, "precompileIdOf(address: Uint8Array of 20 bytes, fork?: number)");
  Napi::Uint8Array a = cb[0].As<Napi::Uint8Array>();
  uint32_t fork = cb.Length() > 1 && cb[1].IsNumber() ? cb[1].As<Napi::Number>().Uint32Value() : (uint32_t)kern::FORK_CANCUN;
  if (fork >= kern::N_FORKS) throw Napi::RangeError::New(env, "precompileIdOf: unknown fork id " + std::to_string(fork));
  return Napi::Number::New(env, kern::precompile::id_of(a.Data(), (uint8_t)fork));
}

}  // namespace

void register_crypto_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("recoverSendersBatch", Napi::Function::New(env, RecoverSendersBatch));
  exports.Set("recoverSendersBatchSync", Napi::Function::New(env, RecoverSendersBatchSync));
  exports.Set("runPrecompile", Napi::Function::New(env, RunPrecompile));
  exports.Set("precompileIdOf", Napi::Function::New(env, PrecompileIdOf));
}

}  // namespace native
