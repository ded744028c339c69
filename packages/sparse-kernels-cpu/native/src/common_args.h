// Argument helpers for kernel entry points: optional arrays, integer geometry, size checks.
//
// TypeScript validates every call before it crosses the boundary; these checks are the second
// line, so that a call made from plain JavaScript gets a RangeError instead of a crash.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "async_kernel.h"

namespace md {

// A Float32Array view, or {nullptr, 0} for null/undefined.
inline ArrayView<float, napi_float32_array> OptF32(const Napi::Value& v, const char* what) {
  if (v.IsUndefined() || v.IsNull()) return {};
  return F32(v, what);
}

// An Int32Array of exactly `count` integers, copied (geometry is tiny and must outlive the call).
inline std::vector<int64_t> Ints(const Napi::Value& v, size_t count, const char* what) {
  auto view = I32(v, what);
  if (view.length != count) {
    throw Napi::RangeError::New(v.Env(), std::string(what) + " must hold " + std::to_string(count) + " integers, got " + std::to_string(view.length));
  }
  return std::vector<int64_t>(view.data, view.data + view.length);
}

// Throws unless `length` equals `expected`, naming the argument.
inline void ExpectLength(Napi::Env env, size_t length, int64_t expected, const char* what) {
  if (expected < 0 || static_cast<int64_t>(length) != expected) {
    throw Napi::RangeError::New(env, std::string(what) + " has " + std::to_string(length) + " values; expected " + std::to_string(expected));
  }
}

// Throws unless every value is >= `min`.
inline void ExpectAtLeast(Napi::Env env, const std::vector<int64_t>& values, int64_t min, const char* what) {
  for (int64_t v : values) {
    if (v < min) throw Napi::RangeError::New(env, std::string(what) + " holds " + std::to_string(v) + "; expected values >= " + std::to_string(min));
  }
}

inline int32_t IntArg(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a number");
  return v.As<Napi::Number>().Int32Value();
}

inline float FloatArg(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a number");
  return v.As<Napi::Number>().FloatValue();
}

}  // namespace md

namespace md {

// Kernels whose work is at most this many units run inline on the JS thread (see
// AsyncKernel::Start): a unit is about one element touched by a memory-bound kernel or eight
// multiply-adds, so the default (32768) is roughly ten microseconds, well under the cost of a
// round trip through a worker thread. setInlineWork() changes it (tests use 0: every kernel on a
// worker thread).
inline std::atomic<int64_t>& InlineWorkLimit() {
  static std::atomic<int64_t> limit{32768};
  return limit;
}

inline bool RunInline(int64_t work_units) { return work_units <= InlineWorkLimit().load(std::memory_order_relaxed); }

}  // namespace md
