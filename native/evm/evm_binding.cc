// N-API surface of the native EVM:
//   evmLoadState(state: Uint8Array): object      a handle to an immutable native state mirror
//   evmLoadStateAsync(state: Uint8Array): Promise<object>   the same, built off the event loop
//   evmExecute(handle, env: Uint8Array, txs: Uint8Array, timeoutMs?: number): Promise<Buffer>
//       runs the batch off the event loop (AsyncWorker -> CPU thread pool or CUDA device); the Buffer is
//       u32 count, then per transaction u32 length + the record of kernels/evm/result.h. With timeoutMs
//       (RPC calls) the batch runs on the worker thread itself, on the CPU, and whatever still runs at the
//       deadline stops with an OUT_ABORTED record.
//   evmExecuteChains(handle, env: Uint8Array, txs: Uint8Array, chains: Uint32Array): Promise<Buffer>
//       the same, with transactions of one chain (chains[i]: transaction i's chain) run in order on one
//       thread, each seeing the earlier ones' changes (chain_overlay.h); a transaction after its chain
//       stopped did not run and has an empty record (length 0)
//   evmUpdateState(handle, changes: Uint8Array): boolean   applies account changes in place (false: busy)
//   evmUpdateStateRecords(handle, records: Uint8Array[], spans: Uint32Array): boolean   the same from change
//       records in commit order, in the state trie's form (state/record_spans.h: the executor's result
//       buffers as they are, lists built in TypeScript encoded into that layout)
//   evmForkStateAsync(handle): Promise<object>   a copy of the mirror (a handle like evmLoadState's), made
//       off the event loop, to update on its own
//   evmDeviceState(handle): { memory, fullUploads, deltaSyncs, ... } | null   the mirror's device-resident copy
//       (device_state.h): how it was kept in step; null before a batch ran on the device or its simulation
//   evmDeviceStateCheck(handle): string   the first difference between that copy and the mirror ('' = none)
//   evmInfo(): { backend, instanceBytes, deviceInstanceBytes, threads }
#include <napi.h>

#include <chrono>
#include <memory>

#include "chain_overlay.h"
#include "deadline.h"
#include "device_state.h"
#include "evm_host.h"
#include "napi_util.h"
#include "../state/change_set.h"
#include "../state/record_spans.h"
#include "../promise_worker.h"

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
Napi::Value LoadStateAsync(const Napi::CallbackInfo& cb) {
  if (cb.Length() < 1) throw Napi::TypeError::New(cb.Env(), "evmLoadStateAsync(state: Uint8Array)");
  struct Job {
    std::vector<uint8_t> bytes;
    std::shared_ptr<StateMirror> mirror;
  };
  auto job = std::make_shared<Job>(Job{copy_bytes(cb[0], "state"), nullptr});
  return run_async(
      cb.Env(),
      [job] {
        job->mirror = build_state_mirror(job->bytes.data(), job->bytes.size());
        job->bytes = std::vector<uint8_t>();
      },
      [job](Napi::Env env) { return MirrorObject(env, job->mirror); });
}

// u32 count, then per transaction u32 length + its record.
Napi::Value ResultsBuffer(Napi::Env env, const std::vector<std::vector<uint8_t>>& results) {
  size_t total = 4;
  for (auto& r : results) total += 4 + r.size();
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, total);
  uint8_t* p = out.Data();
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) *p++ = (uint8_t)(v >> (8 * i));
  };
  put32((uint32_t)results.size());
  for (auto& r : results) {
    put32((uint32_t)r.size());
    if (!r.empty()) std::memcpy(p, r.data(), r.size());
    p += r.size();
  }
  return out;
}

struct ExecuteJob {
  std::shared_ptr<StateMirror> mirror;
  Batch batch;
  std::vector<uint32_t> chain_of;
  std::vector<std::vector<uint8_t>> results;
  // The mirror may not be updated in place while a batch reads it (evmUpdateState checks this).
  explicit ExecuteJob(std::shared_ptr<StateMirror> m) : mirror(std::move(m)) { mirror->readers++; }
  ~ExecuteJob() { mirror->readers--; }  // the worker, and so the job, is destroyed on the JS thread
};

std::shared_ptr<ExecuteJob> NewExecuteJob(const Napi::CallbackInfo& cb, const char* usage) {
  if (cb.Length() < 3 || !cb[0].IsExternal()) throw Napi::TypeError::New(cb.Env(), usage);
  auto job = std::make_shared<ExecuteJob>(cb[0].As<Napi::External<StateHandle>>().Data()->mirror);
  job->batch.env_bytes = copy_bytes(cb[1], "env");
  job->batch.tx_bytes = copy_bytes(cb[2], "txs");
  return job;
}

Napi::Value Execute(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  auto job = NewExecuteJob(cb, "evmExecute(handle, env: Uint8Array, txs: Uint8Array)");
  double timeout_ms = -1;
  if (cb.Length() >= 4 && !cb[3].IsUndefined()) {
    if (!cb[3].IsNumber() || !(cb[3].As<Napi::Number>().DoubleValue() >= 0))
      throw Napi::TypeError::New(env, "evmExecute: timeoutMs must be a non-negative number");
    timeout_ms = cb[3].As<Napi::Number>().DoubleValue();
  }
  // The clock starts when the call is made, not when a worker thread picks the job up.
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::microseconds((int64_t)(timeout_ms < 0 ? 0 : timeout_ms * 1000));
  return run_async(
      env,
      [job, timeout_ms, deadline] {
        decode_batch(job->batch);
        if (timeout_ms < 0) {
          execute_batch(*job->mirror, job->batch, job->results);
          return;
        }
        uint8_t abort_flag = std::chrono::steady_clock::now() >= deadline ? 1 : 0;
        DeadlineArm arm(&abort_flag, deadline);
        execute_batch_cancellable(*job->mirror, job->batch, &abort_flag, job->results);
      },
      [job](Napi::Env e) { return ResultsBuffer(e, job->results); });
}

Napi::Value ExecuteChains(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const char* usage = "evmExecuteChains(handle, env: Uint8Array, txs: Uint8Array, chains: Uint32Array)";
  auto job = NewExecuteJob(cb, usage);
  if (cb.Length() < 4 || !cb[3].IsTypedArray() || cb[3].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array)
    throw Napi::TypeError::New(env, usage);
  auto chains = cb[3].As<Napi::Uint32Array>();
  job->chain_of.assign(chains.Data(), chains.Data() + chains.ElementLength());
  return run_async(
      env,
      [job] {
        decode_batch(job->batch);
        execute_chains(*job->mirror, job->batch, job->chain_of, job->results);
      },
      [job](Napi::Env e) { return ResultsBuffer(e, job->results); });
}

// The copy is made on a worker thread (O(state)); the original counts as read meanwhile, so it is not
// updated in place under the copy.
Napi::Value ForkStateAsync(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 1 || !cb[0].IsExternal()) throw Napi::TypeError::New(env, "evmForkStateAsync(handle)");
  struct Job {
    std::shared_ptr<StateMirror> source, copy;
    explicit Job(std::shared_ptr<StateMirror> m) : source(std::move(m)) { source->readers++; }
    ~Job() { source->readers--; }  // destroyed on the JS thread, like Execute's jobs
  };
  auto job = std::make_shared<Job>(cb[0].As<Napi::External<StateHandle>>().Data()->mirror);
  return run_async(
      env, [job] { job->copy = fork_state_mirror(*job->source); },
      [job](Napi::Env e) { return MirrorObject(e, job->copy); });
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

// The records are parsed and merged before the mirror is touched: bad input throws and changes nothing.
Napi::Value UpdateStateRecords(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  const char* usage = "evmUpdateStateRecords(handle, records: Uint8Array[], spans: Uint32Array)";
  if (cb.Length() < 3 || !cb[0].IsExternal()) throw Napi::TypeError::New(env, usage);
  StateMirror& m = *cb[0].As<Napi::External<StateHandle>>().Data()->mirror;
  if (cb[1].IsUndefined() || cb[2].IsUndefined()) throw Napi::TypeError::New(env, usage);
  std::vector<uint8_t> records = state::pack_records(cb[1], cb[2], "evmUpdateStateRecords");
  if (m.readers > 0 || m.pinned) return Napi::Boolean::New(env, false);
  try {
    state::ChangeSet cs = state::merge_changes(records.data(), records.size(), nullptr, 0);
    update_state_mirror(m, cs);
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("evmUpdateStateRecords: ") + e.what());
  }
  return Napi::Boolean::New(env, true);
}

StateMirror& MirrorArg(const Napi::CallbackInfo& cb, const char* usage) {
  if (cb.Length() < 1 || !cb[0].IsExternal()) throw Napi::TypeError::New(cb.Env(), usage);
  return *cb[0].As<Napi::External<StateHandle>>().Data()->mirror;
}

Napi::Value DeviceState(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  std::shared_ptr<ResidentState> r = resident_of(MirrorArg(cb, "evmDeviceState(handle)"));
  if (r == nullptr) return env.Null();
  ResidentStats s = r->stats();
  Napi::Object o = Napi::Object::New(env);
  o.Set("memory", r->memory_name());
  o.Set("fullUploads", (double)s.full_uploads);
  o.Set("deltaSyncs", (double)s.delta_syncs);
  o.Set("indexUploads", (double)s.index_uploads);
  o.Set("fullBytes", (double)s.full_bytes);
  o.Set("deltaBytes", (double)s.delta_bytes);
  o.Set("indexBytes", (double)s.index_bytes);
  o.Set("lastDeltaBytes", (double)s.last_delta_bytes);
  o.Set("lastDeltaItems", (double)s.last_delta_items);
  return o;
}

// Runs on the JS thread, the only one that updates mirrors, so the mirror holds still while it compares.
Napi::Value DeviceStateCheck(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  StateMirror& m = MirrorArg(cb, "evmDeviceStateCheck(handle)");
  std::shared_ptr<ResidentState> r = resident_of(m);
  if (r == nullptr) throw Napi::Error::New(env, "evmDeviceStateCheck: this state has no device copy yet");
  try {
    return Napi::String::New(env, r->compare(m));
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
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
  exports.Set("evmExecuteChains", Napi::Function::New(env, evm::ExecuteChains));
  exports.Set("evmUpdateState", Napi::Function::New(env, evm::UpdateState));
  exports.Set("evmUpdateStateRecords", Napi::Function::New(env, evm::UpdateStateRecords));
  exports.Set("evmForkStateAsync", Napi::Function::New(env, evm::ForkStateAsync));
  exports.Set("evmDeviceState", Napi::Function::New(env, evm::DeviceState));
  exports.Set("evmDeviceStateCheck", Napi::Function::New(env, evm::DeviceStateCheck));
  exports.Set("evmInfo", Napi::Function::New(env, evm::Info));
  exports.Set("evmU256", Napi::Function::New(env, evm::U256Op));
}

}  // namespace native
