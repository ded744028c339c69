// Runs a kernel off the event loop and settles a promise with its result.
//
// Every exported kernel is asynchronous: JS passes typed arrays, this helper keeps them alive
// (references) while a libuv worker thread computes, then resolves the promise on the JS thread.
// A std::exception thrown by the work rejects the promise with its message; the TypeScript side
// wraps it in a typed error so the caller's stack is kept.
//
// A reference keeps the JavaScript object alive, not its memory: an ArrayBuffer detached while
// the work runs (transferred to a worker, structuredClone with `transfer`) would free the memory
// under the kernel. N-API cannot pin a buffer's memory, so the TypeScript wrapper marks every
// buffer it hands over untransferable (src/pin-buffers.ts), and napi_args.h refuses buffers that
// are already detached when the call starts.
#pragma once

#include <napi.h>

#include "thread_pool.h"

#include <exception>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace md {

class AsyncKernel : public Napi::AsyncWorker {
 public:
  using Work = std::function<void()>;
  using Result = std::function<Napi::Value(Napi::Env)>;

  // `keep_alive`: every JS value whose memory the work touches. `result` builds the resolution
  // value on the JS thread (undefined when empty). With `run_inline` the work runs right here on
  // the JS thread (serially) and the promise is already settled: for kernels of a few
  // microseconds, where the hop to a worker thread and back costs more than the work itself.
  static Napi::Promise Start(Napi::Env env, const char* name, std::vector<Napi::Value> keep_alive, Work work, Result result = nullptr,
                             bool run_inline = false) {
    if (run_inline) return RunInline(env, name, work, result);
    auto* worker = new AsyncKernel(env, name, std::move(keep_alive), std::move(work), std::move(result));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

 private:
  static Napi::Promise RunInline(Napi::Env env, const char* name, const Work& work, const Result& result) {
    auto deferred = Napi::Promise::Deferred::New(env);
    std::string error;
    try {
      SerialScope serial;
      work();
    } catch (const std::exception& e) {
      error = std::string(name) + ": " + e.what();
    } catch (...) {
      error = std::string(name) + ": unknown native error";
    }
    if (error.empty()) {
      deferred.Resolve(result ? result(env) : env.Undefined());
    } else {
      deferred.Reject(Napi::Error::New(env, error).Value());
    }
    return deferred.Promise();
  }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const std::exception& e) {
      SetError(std::string(name_) + ": " + e.what());
    } catch (...) {
      SetError(std::string(name_) + ": unknown native error");
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    deferred_.Resolve(result_ ? result_(env) : env.Undefined());
  }

  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  AsyncKernel(Napi::Env env, const char* name, std::vector<Napi::Value> keep_alive, Work work, Result result)
      : Napi::AsyncWorker(env, name),
        deferred_(Napi::Promise::Deferred::New(env)),
        name_(name),
        work_(std::move(work)),
        result_(std::move(result)) {
    // Optional arguments arrive as null/undefined; only objects can (and need to) be referenced.
    for (auto& v : keep_alive) {
      if (v.IsObject()) refs_.push_back(Napi::Persistent(v));
    }
  }

  Napi::Promise::Deferred deferred_;
  const char* name_;
  Work work_;
  Result result_;
  std::vector<Napi::Reference<Napi::Value>> refs_;
};

}  // namespace md
