// N-API surface of the native EVM:
//   evmLoadState(state: Uint8Array): object      a handle to an immutable native state mirror
//   evmLoadStateAsync(state: Uint8Array): Promise<object>   the same, built off the event loop
//   evmExecute(handle, env: Uint8Array, txs: Uint8Array): Promise<Buffer>
//       runs the batch off the event loop (AsyncWorker -> CPU thread pool or CUDA device); the Buffer is
//       u32 count, then per transaction u32 length + the record of kernels/evm/result.h
//   evmUpdateState(handle, changes: Uint8Array): boolean   applies account changes in place (false: busy)
//   evmInfo(): { backend, instanceBytes, deviceInstanceBytes, threads }
#include <napi.h>

#include <memory>

#include "evm_host.h"
#include "napi_util.h"

namespace native {
namespace evm {
namespace {

Napi::Object MirrorObject(Napi::Env env, std::shared_ptr<StateMirror> m) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("accounts", (double)m->accounts.size());
  o.Set("slots", (double)m->slots.size());
  auto* h = new StateHandle{std::move(m)};
  o.Set("handle", Napi::External<StateHandle>::New(env, h, [](Napi::Env, StateHandle* p) { delete p; }));
  return o;
}

Napi::Value LoadState(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 1) throw Napi::TypeError::New(env, "evmLoadState(state: Uint8Array)");
  std::vector<uint8_t> bytes = copy_bytes(cb[0], "state");
  std::shared_ptr<StateMirror> m;
  try {
    m = build_state_mirror(bytes.data(), bytes.size());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  return MirrorObject(env, std::move(m));
}

// The same, built on a libuv worker thread (large states must not block the event loop).
class LoadWorker final : public Napi::AsyncWorker {
 public:
  LoadWorker(Napi::Env env, std::vector<uint8_t> bytes)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), bytes_(std::move(bytes)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    try {
      mirror_ = build_state_mirror(bytes_.data(), bytes_.size());
    } catch (const std::exception& e) {
      SetError(e.what());
    }
    bytes_ = std::vector<uint8_t>();
  }
  void OnOK() override { deferred_.Resolve(MirrorObject(Env(), mirror_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<uint8_t> bytes_;
  std::shared_ptr<StateMirror> mirror_;
};

Napi::Value LoadStateAsync(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 1) throw Napi::TypeError::New(env, "evmLoadStateAsync(state: Uint8Array)");
  auto* w = new LoadWorker(env, copy_bytes(cb[0], "state"));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

class ExecWorker final : public Napi::AsyncWorker {
 public:
  ExecWorker(Napi::Env env, std::shared_ptr<StateMirror> m, std::unique_ptr<Batch> b)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), mirror_(std::move(m)),
        batch_(std::move(b)) {
    mirror_->readers++;
  }
  ~ExecWorker() override { mirror_->readers--; }
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    try {
      decode_batch(*batch_);
      execute_batch(*mirror_, *batch_, results_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    size_t total = 4;
    for (auto& r : results_) total += 4 + r.size();
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(Env(), total);
    uint8_t* p = out.Data();
    auto put32 = [&](uint32_t v) {
      for (int i = 0; i < 4; ++i) *p++ = (uint8_t)(v >> (8 * i));
    };
    put32((uint32_t)results_.size());
    for (auto& r : results_) {
      put32((uint32_t)r.size());
      if (!r.empty()) std::memcpy(p, r.data(), r.size());
      p += r.size();
    }
    deferred_.Resolve(out);
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<StateMirror> mirror_;
  std::unique_ptr<Batch> batch_;
  std::vector<std::vector<uint8_t>> results_;
};

Napi::Value Execute(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 3 || !cb[0].IsExternal())
    throw Napi::TypeError::New(env, "evmExecute(handle, env: Uint8Array, txs: Uint8Array)");
  StateHandle* h = cb[0].As<Napi::External<StateHandle>>().Data();
  auto batch = std::make_unique<Batch>();
  batch->env_bytes = copy_bytes(cb[1], "env");
  batch->tx_bytes = copy_bytes(cb[2], "txs");
  auto* w = new ExecWorker(env, h->mirror, std::move(batch));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// Applies account changes to the mirror in place; false (nothing changed) while a batch reads it or a
// fuzz session keeps it: the caller then loads a fresh mirror.
Napi::Value UpdateState(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 2 || !cb[0].IsExternal()) throw Napi::TypeError::New(env, "evmUpdateState(handle, changes: Uint8Array)");
  StateMirror& m = *cb[0].As<Napi::External<StateHandle>>().Data()->mirror;
  std::vector<uint8_t> bytes = copy_bytes(cb[1], "changes");
  if (m.readers > 0 || m.pinned) return Napi::Boolean::New(env, false);
  try {
    update_state_mirror(m, bytes.data(), bytes.size());
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  return Napi::Boolean::New(env, true);
}

Napi::Value Info(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  EvmInfo i = evm_info();
  Napi::Object o = Napi::Object::New(env);
  o.Set("backend", i.backend);
  o.Set("instanceBytes", (double)i.instance_bytes);
  o.Set("deviceInstanceBytes", (double)i.device_instance_bytes);
  o.Set("threads", i.threads);
  o.Set("handedBack", (double)i.handed_back);
  o.Set("precompiles", EVM_HAVE_PRECOMPILES ? true : false);
  return o;
}

// Test hook: applies the arithmetic of EVM opcode `op` to big-endian words a, b, c (input: 96 bytes,
// a = top of stack) and returns the 32-byte result, straight from kernels/evm/uint256.h.
Napi::Value U256Op(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 2 || !cb[0].IsNumber()) throw Napi::TypeError::New(env, "evmU256(op: number, abc: Uint8Array(96))");
  std::vector<uint8_t> in = copy_bytes(cb[1], "abc");
  if (in.size() != 96) throw Napi::RangeError::New(env, "evmU256: abc must be 96 bytes");
  using namespace kern::evm;
  u256 a = from_be32(in.data()), b = from_be32(in.data() + 32), c = from_be32(in.data() + 64), r = u256_zero();
  switch (cb[0].As<Napi::Number>().Uint32Value()) {
    case 0x01: r = add(a, b); break;
    case 0x02: r = mul(a, b); break;
    case 0x03: r = sub(a, b); break;
    case 0x04: r = div(a, b); break;
    case 0x05: r = sdiv(a, b); break;
    case 0x06: r = mod(a, b); break;
    case 0x07: r = smod(a, b); break;
    case 0x08: r = addmod(a, b, c); break;
    case 0x09: r = mulmod(a, b, c); break;
    case 0x0a: r = kern::evm::exp(a, b); break;
    case 0x0b: r = signextend(a, b); break;
    case 0x10: r = u256_from(lt(a, b)); break;
    case 0x11: r = u256_from(gt(a, b)); break;
    case 0x12: r = u256_from(slt(a, b)); break;
    case 0x13: r = u256_from(slt(b, a)); break;
    case 0x1a: r = byte_op(a, b); break;
    case 0x1b: r = shl(b, shift_amount(a)); break;
    case 0x1c: r = shr(b, shift_amount(a)); break;
    case 0x1d: r = sar(b, shift_amount(a)); break;
    default: throw Napi::RangeError::New(env, "evmU256: unsupported op");
  }
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, 32);
  to_be32(r, out.Data());
  return out;
}

}  // namespace
}  // namespace evm

void register_evm_bindings(Napi::Env env, Napi::Object exports) {
  exports.Set("evmLoadState", Napi::Function::New(env, evm::LoadState));
  exports.Set("evmLoadStateAsync", Napi::Function::New(env, evm::LoadStateAsync));
  exports.Set("evmExecute", Napi::Function::New(env, evm::Execute));
  exports.Set("evmUpdateState", Napi::Function::New(env, evm::UpdateState));
  exports.Set("evmInfo", Napi::Function::New(env, evm::Info));
  exports.Set("evmU256", Napi::Function::New(env, evm::U256Op));
}

}  // namespace native
