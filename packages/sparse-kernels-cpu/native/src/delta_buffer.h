// A DeltaBuffer as native code sees it, and the operations every delta kernel shares on it.
//
// JS passes the DeltaBuffer object itself; its typed arrays are read on the JS thread (ReadDelta)
// and the kernel then works on raw pointers off the event loop. The kernel returns the new active
// count, which the TypeScript wrapper stores in `count` (native code never writes JS properties
// from a worker thread).
#pragma once

#include <napi.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "async_kernel.h"

namespace md {

// The batch, row and column of a pixel index n*H*W + y*W + x (the index DeltaBuffer.active holds),
// given plane = H*W and the row width W.
struct PixelNYX {
  int64_t n;
  int64_t y;
  int64_t x;
};

inline PixelNYX SplitPixel(int64_t pixel, int64_t plane, int64_t width) {
  const int64_t n = pixel / plane;
  const int64_t rest = pixel - n * plane;
  const int64_t y = rest / width;
  return {n, y, rest - y * width};
}

struct DeltaView {
  float* values = nullptr;
  uint8_t* mask = nullptr;
  int32_t* active = nullptr;
  int64_t count = 0;
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t pixels = 0;
};

inline ArrayView<double, napi_float64_array> F64(const Napi::Value& v, const char* what) { return ViewOf<double, napi_float64_array>(v, what); }

// Reads a DeltaBuffer-like object ({values, mask, active, count, shape}) and checks that its arrays
// fit its NHWC shape, so no kernel can index outside them.
inline DeltaView ReadDelta(const Napi::Value& value, const char* what) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) throw Napi::TypeError::New(env, std::string(what) + " must be a DeltaBuffer");
  Napi::Object o = value.As<Napi::Object>();
  DeltaView d;
  auto values = F32(o.Get("values"), what);
  auto mask = U8(o.Get("mask"), what);
  auto active = I32(o.Get("active"), what);
  Napi::Value shape = o.Get("shape");
  if (!shape.IsArray() || shape.As<Napi::Array>().Length() != 4) throw Napi::TypeError::New(env, std::string(what) + ".shape must be NHWC");
  Napi::Array s = shape.As<Napi::Array>();
  d.n = s.Get(0u).As<Napi::Number>().Int64Value();
  d.h = s.Get(1u).As<Napi::Number>().Int64Value();
  d.w = s.Get(2u).As<Napi::Number>().Int64Value();
  d.c = s.Get(3u).As<Napi::Number>().Int64Value();
  d.pixels = d.n * d.h * d.w;
  d.count = o.Get("count").As<Napi::Number>().Int64Value();
  if (static_cast<int64_t>(values.length) != d.pixels * d.c || static_cast<int64_t>(mask.length) != d.pixels ||
      static_cast<int64_t>(active.length) != d.pixels || d.count < 0 || d.count > d.pixels) {
    throw Napi::RangeError::New(env, std::string(what) + ": values/mask/active/count do not fit its shape");
  }
  d.values = values.data;
  d.mask = mask.data;
  d.active = active.data;
  return d;
}

// Deactivates the previous frame's pixels: costs the previous count, never the frame.
inline void ClearDelta(DeltaView& d) {
  for (int64_t i = 0; i < d.count; ++i) d.mask[d.active[i]] = 0;
  d.count = 0;
}

// Marks a pixel active without touching its values (the caller overwrites every channel).
inline bool MarkActive(DeltaView& d, int64_t p) {
  if (d.mask[p]) return false;
  d.mask[p] = 1;
  d.active[d.count++] = static_cast<int32_t>(p);
  return true;
}

// Marks a pixel active and zeroes its channels on first activation (kernels that accumulate).
inline bool ActivateZeroed(DeltaView& d, int64_t p) {
  if (!MarkActive(d, p)) return false;
  std::memset(d.values + p * d.c, 0, sizeof(float) * d.c);
  return true;
}

// Below this many estimated float operations a kernel runs inline on the JS thread: a few
// microseconds of work, less than the hop to a libuv worker and back (tens of microseconds),
// which a delta frame would otherwise pay on every layer whose active set is tiny.
constexpr int64_t kInlineWork = 1 << 14;

// Starts a delta kernel whose work returns the output's new active count; `work_estimate`
// (float operations) decides whether it runs inline or on a worker thread.
template <typename Work>
Napi::Promise StartCounted(Napi::Env env, const char* name, std::vector<Napi::Value> keep, Work work, int64_t work_estimate) {
  auto result = std::make_shared<int64_t>(0);
  return AsyncKernel::Start(
      env, name, std::move(keep), [result, work]() mutable { *result = work(); },
      [result](Napi::Env e) -> Napi::Value { return Napi::Number::New(e, static_cast<double>(*result)); }, work_estimate < kInlineWork);
}

inline int32_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  return info[i].As<Napi::Number>().Int32Value();
}

inline double NumArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

// Chunk size for parallel loops over pixels: enough work per chunk (~`work_per_chunk` float ops)
// that waking the pool pays off, so small active sets run on the calling thread alone.
inline int64_t GrainFor(int64_t work_per_item, int64_t work_per_chunk = 1 << 15) {
  if (work_per_item <= 0) work_per_item = 1;
  int64_t g = work_per_chunk / work_per_item;
  return g < 1 ? 1 : g;
}

}  // namespace md
