// N-API surface of fuzzing on the native EVM (native/evm/fuzz_host.h has the buffer layouts):
//   evmFuzzSession(stateHandle, env: Uint8Array, config: Uint8Array): object   a session over the snapshot
//   evmFuzzRun(session, program: Uint8Array, mergeCoverage: boolean, comparisons: boolean): Promise<Buffer>
//       runs every sequence of the program off the event loop, one EVM instance each (comparisons: log
//       comparison operands for feedback); runs may overlap, and merge in the order they were called
//   evmFuzzCoverage(session): number   edges covered by the merged runs so far
//   evmFuzzBlockHits(session, program: Uint8Array): Promise<Buffer>   block hit counts of the program's
//       sequences for coverage reports (native/evm/fuzz_hits.h), nothing merged
#include <napi.h>

#include "fuzz_hits.h"
#include "fuzz_host.h"
#include "napi_util.h"
#include "../promise_worker.h"

namespace native {
namespace evm {
namespace {

struct SessionHandle {
  std::shared_ptr<FuzzSession> session;
};

// The result bytes as a Buffer that owns them (no copy of a batch's results on the JS thread).
Napi::Buffer<uint8_t> handed_over(Napi::Env env, std::vector<uint8_t>&& bytes) {
  if (bytes.empty()) return Napi::Buffer<uint8_t>::New(env, 0);
  auto* owned = new std::vector<uint8_t>(std::move(bytes));
  return Napi::Buffer<uint8_t>::New(env, owned->data(), owned->size(),
                                    [](Napi::Env, uint8_t*, std::vector<uint8_t>* v) { delete v; }, owned);
}

FuzzSession& session_of(const Napi::CallbackInfo& cb, const char* usage) {
  if (cb.Length() < 1 || !cb[0].IsExternal()) throw Napi::TypeError::New(cb.Env(), usage);
  return *cb[0].As<Napi::External<SessionHandle>>().Data()->session;
}

Napi::Value Session(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  if (cb.Length() < 3 || !cb[0].IsExternal())
    throw Napi::TypeError::New(env, "evmFuzzSession(stateHandle, env: Uint8Array, config: Uint8Array)");
  StateHandle* state = cb[0].As<Napi::External<StateHandle>>().Data();
  std::shared_ptr<FuzzSession> s;
  try {
    s = make_fuzz_session(state->mirror, copy_bytes(cb[1], "env"), copy_bytes(cb[2], "config"));
    state->mirror->pinned = true;  // the session's snapshot must never change under it
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, e.what());
  }
  auto* h = new SessionHandle{std::move(s)};
  return Napi::External<SessionHandle>::New(env, h, [](Napi::Env, SessionHandle* p) { delete p; });
}

Napi::Value Run(const Napi::CallbackInfo& cb) {
  const char* usage = "evmFuzzRun(session, program: Uint8Array, mergeCoverage: boolean, comparisons: boolean)";
  session_of(cb, usage);
  if (cb.Length() < 4 || !cb[2].IsBoolean() || !cb[3].IsBoolean()) throw Napi::TypeError::New(cb.Env(), usage);
  struct Job {
    std::shared_ptr<FuzzSession> session;
    std::vector<uint8_t> program, out;
  };
  auto job = std::make_shared<Job>(Job{cb[0].As<Napi::External<SessionHandle>>().Data()->session, copy_bytes(cb[1], "program"), {}});
  bool merge = cb[2].As<Napi::Boolean>().Value();
  bool comparisons = cb[3].As<Napi::Boolean>().Value();
  uint64_t ticket = job->session->submitted++;  // taken last: nothing between here and the queue can throw
  return run_async(
      cb.Env(), [job, merge, comparisons, ticket] { job->out = fuzz_run(*job->session, job->program, merge, comparisons, ticket); },
      [job](Napi::Env env) { return handed_over(env, std::move(job->out)); });
}

Napi::Value Coverage(const Napi::CallbackInfo& cb) {
  FuzzSession& s = session_of(cb, "evmFuzzCoverage(session)");
  std::lock_guard<std::mutex> g(s.mu);
  return Napi::Number::New(cb.Env(), s.edges);
}

Napi::Value BlockHits(const Napi::CallbackInfo& cb) {
  session_of(cb, "evmFuzzBlockHits(session, program: Uint8Array)");
  struct Job {
    std::shared_ptr<FuzzSession> session;
    std::vector<uint8_t> program, out;
  };
  auto job = std::make_shared<Job>(Job{cb[0].As<Napi::External<SessionHandle>>().Data()->session, copy_bytes(cb[1], "program"), {}});
  return run_async(
      cb.Env(), [job] { job->out = fuzz_block_hits(*job->session, job->program); },
      [job](Napi::Env env) { return Napi::Buffer<uint8_t>::Copy(env, job->out.data(), job->out.size()); });
}

}  // namespace
}  // namespace evm

void register_fuzz_generate_bindings(Napi::Env env, Napi::Object exports);  // evm/fuzz_generate_binding.cc

void register_fuzz_bindings(Napi::Env env, Napi::Object exports) {
  register_fuzz_generate_bindings(env, exports);
  exports.Set("evmFuzzSession", Napi::Function::New(env, evm::Session));
  exports.Set("evmFuzzRun", Napi::Function::New(env, evm::Run));
  exports.Set("evmFuzzCoverage", Napi::Function::New(env, evm::Coverage));
  exports.Set("evmFuzzBlockHits", Napi::Function::New(env, evm::BlockHits));
}

}  // namespace native
