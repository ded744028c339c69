// Reading kernel arguments from JavaScript values, and turning refusals into JavaScript errors.
//
// This layer only reads: typed arrays become spans, objects become Activation / DeltaView structs,
// numbers are checked to be numbers. Whether the values fit together is judged by the plain C++
// checks (dense_checks.cc, delta_checks.cc), which the fuzz harnesses run too. Every entry point
// is registered through Guarded, so an ArgError becomes a TypeError or RangeError with its
// message, and no C++ exception escapes into N-API (which would abort the process).
#pragma once

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "arg_error.h"
#include "common_activation.h"
#include "delta_buffer.h"
#include "spans.h"

namespace md {

template <typename T>
struct TypedArrayKind;
template <>
struct TypedArrayKind<float> {
  static constexpr napi_typedarray_type kKind = napi_float32_array;
  static constexpr const char* kName = "Float32Array";
};
template <>
struct TypedArrayKind<double> {
  static constexpr napi_typedarray_type kKind = napi_float64_array;
  static constexpr const char* kName = "Float64Array";
};
template <>
struct TypedArrayKind<uint8_t> {
  static constexpr napi_typedarray_type kKind = napi_uint8_array;
  static constexpr const char* kName = "Uint8Array";
};
template <>
struct TypedArrayKind<int32_t> {
  static constexpr napi_typedarray_type kKind = napi_int32_array;
  static constexpr const char* kName = "Int32Array";
};

// Where an empty span points: V8 gives empty arrays a null data pointer, and a null pointer means
// "argument absent" to the checks (an optional bias, for example). Nothing is ever read here.
template <typename T>
T* EmptyData() {
  static T nothing{};
  return &nothing;
}

// A typed array's elements. napi_get_typedarray_info gives the data pointer of views of an
// ArrayBuffer and of a SharedArrayBuffer alike (Napi::ArrayBuffer::Data refuses the latter). A
// view of a detached ArrayBuffer (transferred or detached before the call) is refused by name:
// its memory is gone.
template <typename T>
Span<T> ViewOf(const Napi::Value& value, const char* what) {
  using Kind = TypedArrayKind<T>;
  napi_env env = value.Env();
  bool is_typed_array = false;
  if (napi_is_typedarray(env, value, &is_typed_array) != napi_ok || !is_typed_array)
    TypeFail(std::string(what) + " must be a " + Kind::kName);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer = nullptr;
  size_t byte_offset = 0;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &byte_offset) != napi_ok) {
    TypeFail(std::string(what) + ": its typed array cannot be read");
  }
  if (type != Kind::kKind) TypeFail(std::string(what) + " must be a " + Kind::kName);
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, buffer, &detached) == napi_ok && detached) {
    TypeFail(std::string(what) +
             " is a view of a detached ArrayBuffer (it was transferred or detached); pass an array whose buffer is not transferred");
  }
  if (length == 0 || data == nullptr) return {EmptyData<T>(), 0};
  return {static_cast<T*>(data), length};
}

inline F32Span F32(const Napi::Value& v, const char* what) { return ViewOf<float>(v, what); }
inline F64Span F64(const Napi::Value& v, const char* what) { return ViewOf<double>(v, what); }
inline U8Span U8(const Napi::Value& v, const char* what) { return ViewOf<uint8_t>(v, what); }
inline I32Span I32(const Napi::Value& v, const char* what) { return ViewOf<int32_t>(v, what); }

inline bool Absent(const Napi::Value& v) { return v.IsUndefined() || v.IsNull(); }

// A Float32Array, or an absent span (data null) for null/undefined.
inline F32Span OptF32(const Napi::Value& v, const char* what) { return Absent(v) ? F32Span{} : F32(v, what); }

// An Int32Array copied whole (geometry is tiny and must outlive the call; its length is checked
// by the kernel's check).
inline std::vector<int64_t> IntVector(const Napi::Value& v, const char* what) {
  const I32Span view = I32(v, what);
  return std::vector<int64_t>(view.data, view.data + view.length);
}

inline double NumArg(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) TypeFail(std::string(what) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline float FloatArg(const Napi::Value& v, const char* what) { return static_cast<float>(NumArg(v, what)); }

// An integer within [lo, hi]; a fraction, NaN or anything outside is refused (not truncated).
inline int64_t IntegerArg(const Napi::Value& v, const char* what, double lo, double hi) {
  const double d = NumArg(v, what);
  if (!(d >= lo && d <= hi) || d != std::floor(d))
    RangeFail(std::string(what) + " must be an integer from " + std::to_string(static_cast<int64_t>(lo)) + " to " +
              std::to_string(static_cast<int64_t>(hi)));
  return static_cast<int64_t>(d);
}

inline int32_t IntArg(const Napi::Value& v, const char* what) { return static_cast<int32_t>(IntegerArg(v, what, INT32_MIN, INT32_MAX)); }

// { kind, a, b, slope } (see src/dense/native-activation.ts), or none for null/undefined. Read
// as given; CheckActivation judges it. Keep the object alive while the kernel runs (it holds the
// slope).
inline Activation ReadActivation(const Napi::Value& value) {
  Activation act;
  if (Absent(value)) return act;
  if (!value.IsObject()) TypeFail("activation must be an object { kind, a, b, slope }");
  Napi::Object o = value.As<Napi::Object>();
  act.kind = static_cast<ActKind>(IntArg(o.Get("kind"), "activation kind"));
  act.a = o.Get("a").ToNumber().FloatValue();
  act.b = o.Get("b").ToNumber().FloatValue();
  if (act.kind == ActKind::kPrelu) {
    const F32Span slope = ViewOf<float>(o.Get("slope"), "prelu activation slope");
    act.slope = slope.data;
    act.slope_len = static_cast<int64_t>(slope.length);
  }
  return act;
}

// A DeltaBuffer-like object ({values, mask, active, count, shape}), read as given; CheckDelta
// judges it.
inline DeltaView ReadDelta(const Napi::Value& value, const char* what) {
  if (!value.IsObject()) TypeFail(std::string(what) + " must be a DeltaBuffer");
  Napi::Object o = value.As<Napi::Object>();
  DeltaView d;
  const F32Span values = F32(o.Get("values"), what);
  const U8Span mask = U8(o.Get("mask"), what);
  const I32Span active = I32(o.Get("active"), what);
  Napi::Value shape = o.Get("shape");
  if (!shape.IsArray() || shape.As<Napi::Array>().Length() != 4) TypeFail(std::string(what) + ".shape must be NHWC");
  Napi::Array s = shape.As<Napi::Array>();
  const std::string dim = std::string(what) + ".shape entries";
  d.n = IntegerArg(s.Get(0u), dim.c_str(), 0, kMaxExtent);
  d.h = IntegerArg(s.Get(1u), dim.c_str(), 0, kMaxExtent);
  d.w = IntegerArg(s.Get(2u), dim.c_str(), 0, kMaxExtent);
  d.c = IntegerArg(s.Get(3u), dim.c_str(), 0, kMaxExtent);
  d.count = IntegerArg(o.Get("count"), (std::string(what) + ".count").c_str(), 0, kMaxExtent);
  d.values = values.data;
  d.values_length = values.length;
  d.mask = mask.data;
  d.mask_length = mask.length;
  d.active = active.data;
  d.active_length = active.length;
  return d;
}

// Registers entry points: a refusal (ArgError) becomes a TypeError or RangeError with its message;
// any other C++ exception (std::bad_alloc copying arguments, say) a plain Error, since an
// exception that escaped into N-API would terminate the process.
template <Napi::Value (*Entry)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return Entry(info);
  } catch (const ArgError& e) {
    if (e.kind() == ArgError::Kind::kType) throw Napi::TypeError::New(info.Env(), e.what());
    throw Napi::RangeError::New(info.Env(), e.what());
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

}  // namespace md
