// Runs work off the event loop and settles a JS promise: `work()` on a libuv worker thread (an exception
// rejects the promise with its message), then `settle(env)` on the JS thread resolves it. Inputs must be
// owned by the callables (the JS buffers may change while the work runs). Destroyed on the JS thread.
#pragma once
#include <napi.h>

#include <exception>
#include <utility>

namespace native {

template <typename Work, typename Settle>
class PromiseWorker final : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, Work work, Settle settle)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), work_(std::move(work)),
        settle_(std::move(settle)) {}
  Napi::Promise promise() { return deferred_.Promise(); }
  void Execute() override {
    try {
      work_();
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(settle_(Env())); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Work work_;
  Settle settle_;
};

template <typename Work, typename Settle>
Napi::Promise run_async(Napi::Env env, Work work, Settle settle) {
  auto* w = new PromiseWorker<Work, Settle>(env, std::move(work), std::move(settle));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

}  // namespace native
