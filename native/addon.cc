// N-API entry points. Inputs arrive as flat buffers (no JSON on the hot path); heavy work runs on
// libuv's worker threads (AsyncWorker) and from there on the backend, so the event loop never blocks.
#include <napi.h>
#include <time.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "backend/backend.h"
#include "bindings/packed_items.h"
#include "crypto/keccak_lanes.h"
#include "promise_worker.h"
#include "../kernels/crypto/keccak.h"

namespace native {
namespace {

Napi::Value BackendInfoJs(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  BackendInfo info = active_backend().info();
  Napi::Object o = Napi::Object::New(env);
  o.Set("kind", info.kind);
  o.Set("device", info.device);
  o.Set("threads", info.threads);
  o.Set("reason", info.reason);
  return o;
}

constexpr const char* kKeccakBatchUsage = "keccak256Batch(data: Uint8Array, offsets: Uint32Array)";

// One hash on the calling thread: the trie and transaction hashing of the TypeScript side (about 4x
// @noble/hashes for trie-node sized inputs, N-API call included).
Napi::Value Keccak256Sync(const Napi::CallbackInfo& cb) {
  if (cb.Length() < 1 || !cb[0].IsTypedArray() || cb[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Napi::TypeError::New(cb.Env(), "keccak256Sync(data: Uint8Array)");
  Napi::Uint8Array data = cb[0].As<Napi::Uint8Array>();
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(cb.Env(), 32);
  kern::keccak256(data.Data(), data.ByteLength(), out.Data());
  return out;
}

Napi::Value Keccak256BatchSync(const Napi::CallbackInfo& cb) {
  PackedItems in = packed_items(cb, kKeccakBatchUsage);
  Napi::Uint8Array data = in.data;
  Napi::Uint32Array offsets = in.offsets;
  uint32_t count = (uint32_t)in.count;
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(cb.Env(), (size_t)count * 32);
  active_backend().keccak_batch(data.Data(), data.ByteLength(), offsets.Data(), count, out.Data());
  return out;
}

// The multi-lane host keccak (crypto/keccak_lanes.h) with a chosen lane count (1, 4 or 8), on the calling
// thread: tests hold each lane width to the scalar one.
Napi::Value Keccak256LanesSync(const Napi::CallbackInfo& cb) {
  PackedItems in = packed_items(cb, kKeccakBatchUsage);
  Napi::Uint8Array data = in.data;
  Napi::Uint32Array offsets = in.offsets;
  uint32_t count = (uint32_t)in.count;
  if (cb.Length() < 3 || !cb[2].IsNumber()) throw Napi::TypeError::New(cb.Env(), "keccak256LanesSync(data, offsets, lanes: 1 | 4 | 8)");
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(cb.Env(), (size_t)count * 32);
  std::vector<crypto::KeccakJob> jobs(count);
  for (uint32_t i = 0; i < count; ++i) jobs[i] = {data.Data() + offsets[i], (size_t)(offsets[i + 1] - offsets[i]), out.Data() + 32 * (size_t)i};
  try {
    crypto::keccak256_many_lanes(cb[2].As<Napi::Number>().Uint32Value(), jobs.data(), jobs.size());
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(cb.Env(), e.what());
  }
  return out;
}

Napi::Value KeccakLanes(const Napi::CallbackInfo& cb) { return Napi::Number::New(cb.Env(), crypto::keccak_best_lanes()); }

Napi::Value Keccak256Batch(const Napi::CallbackInfo& cb) {
  PackedItems in = packed_items(cb, kKeccakBatchUsage);
  Napi::Uint8Array data = in.data;
  Napi::Uint32Array offsets = in.offsets;
  uint32_t count = (uint32_t)in.count;
  struct Job {
    std::vector<uint8_t> data;  // copied: the JS buffers may be reused while we run
    std::vector<uint32_t> offsets;
    std::vector<uint8_t> out;
  };
  auto job = std::make_shared<Job>(Job{std::vector<uint8_t>(data.Data(), data.Data() + data.ByteLength()),
                                       std::vector<uint32_t>(offsets.Data(), offsets.Data() + count + 1),
                                       std::vector<uint8_t>((size_t)count * 32)});
  return run_async(
      cb.Env(),
      [job, count] { active_backend().keccak_batch(job->data.data(), job->data.size(), job->offsets.data(), count, job->out.data()); },
      [job](Napi::Env env) { return Napi::Buffer<uint8_t>::Copy(env, job->out.data(), job->out.size()); });
}

// CPU time of the calling thread: benches tell the main thread's own work from V8's background threads
// (process.cpuUsage() counts every thread; Node 20 has no per-thread figure).
Napi::Value ThreadCpuMs(const Napi::CallbackInfo& cb) {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return Napi::Number::New(cb.Env(), (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

}  // namespace
}  // namespace native

namespace native { void register_pairing_bindings(Napi::Env env, Napi::Object exports); }  // bindings/pairing_bindings.cc
namespace native { void register_crypto_bindings(Napi::Env env, Napi::Object exports); }  // bindings/crypto_bindings.cc
namespace native { void register_precompile_bindings(Napi::Env env, Napi::Object exports); }  // bindings/precompile_bindings.cc
namespace native { void register_evm_bindings(Napi::Env env, Napi::Object exports); }  // evm/evm_binding.cc
namespace native { void register_fuzz_bindings(Napi::Env env, Napi::Object exports); }  // evm/fuzz_binding.cc
namespace native { void register_state_trie_bindings(Napi::Env env, Napi::Object exports); }  // state/state_trie_binding.cc
namespace native { void register_tx_decode_bindings(Napi::Env env, Napi::Object exports); }  // ingress/tx_decode_binding.cc
namespace native { void register_ordered_trie_bindings(Napi::Env env, Napi::Object exports); }  // state/ordered_trie_binding.cc
namespace native { void register_receipts_root_bindings(Napi::Env env, Napi::Object exports); }  // block/receipts_root_binding.cc

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  using namespace native;
  exports.Set("backendInfo", Napi::Function::New(env, BackendInfoJs));
  exports.Set("threadCpuMs", Napi::Function::New(env, ThreadCpuMs));
  exports.Set("keccak256Batch", Napi::Function::New(env, Keccak256Batch));
  exports.Set("keccak256BatchSync", Napi::Function::New(env, Keccak256BatchSync));
  exports.Set("keccak256Sync", Napi::Function::New(env, Keccak256Sync));
  exports.Set("keccak256LanesSync", Napi::Function::New(env, Keccak256LanesSync));
  exports.Set("keccakLanes", Napi::Function::New(env, KeccakLanes));
  register_pairing_bindings(env, exports);
  register_crypto_bindings(env, exports);
  register_precompile_bindings(env, exports);
  register_evm_bindings(env, exports);
  register_fuzz_bindings(env, exports);
  register_state_trie_bindings(env, exports);
  register_tx_decode_bindings(env, exports);
  register_ordered_trie_bindings(env, exports);
  register_receipts_root_bindings(env, exports);
  return exports;
}

NODE_API_MODULE(evm_native, InitAddon)
