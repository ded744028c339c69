// Pixelwise linear delta kernels: Identity, Add/Sub/Mul/Div with a constant, BatchNorm's scale,
// the sum of two varying operands, channel concatenation and global average pooling.
#include <cstring>
#include <vector>

#include "delta_buffer.h"
#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

enum class ScaleMode : int32_t { Copy = 0, Mul = 1, Div = 2, ChannelMul64 = 3 };

// out = x (times sign), x * k, x / k (k broadcast with NHWC strides), or x * mul[c] in double
// (BatchNorm's folded scale, as the reference computes it). The output mask is the input's.
int64_t Scale(const DeltaView& x, ScaleMode mode, float sign, const float* k, const int32_t* ks, const double* mul, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = x.c;
  const int64_t plane = x.h * x.w;
  for (int64_t i = 0; i < x.count; ++i) {
    out.mask[x.active[i]] = 1;
    out.active[i] = x.active[i];
  }
  out.count = x.count;
  parallel_for(0, x.count, GrainFor(c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t p = x.active[i];
      const float* xv = x.values + p * c;
      float* o = out.values + p * c;
      switch (mode) {
        case ScaleMode::Copy:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = sign * xv[ch];
          break;
        case ScaleMode::ChannelMul64:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = static_cast<float>(static_cast<double>(xv[ch]) * mul[ch]);
          break;
        case ScaleMode::Mul:
        case ScaleMode::Div: {
          const auto [n, y, col] = SplitPixel(p, plane, x.w);
          const float* kp = k + n * ks[0] + y * ks[1] + col * ks[2];
          const int64_t s3 = ks[3];
          if (mode == ScaleMode::Mul) {
            for (int64_t ch = 0; ch < c; ++ch) o[ch] = xv[ch] * kp[ch * s3];
          } else {
            for (int64_t ch = 0; ch < c; ++ch) o[ch] = xv[ch] / kp[ch * s3];
          }
          break;
        }
      }
    }
  });
  return out.count;
}

// a + signB * b over the union of both masks; an operand inactive at a pixel contributes 0.
int64_t SumOfDeltas(const DeltaView& a, const DeltaView& b, float sign_b, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = out.c;
  for (int64_t i = 0; i < a.count; ++i) MarkActive(out, a.active[i]);
  for (int64_t i = 0; i < b.count; ++i) MarkActive(out, b.active[i]);
  parallel_for(0, out.count, GrainFor(2 * c), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const int64_t p = out.active[i];
      float* o = out.values + p * c;
      const float* av = a.values + p * c;
      const float* bv = b.values + p * c;
      const bool in_a = a.mask[p], in_b = b.mask[p];
      if (in_a && in_b) {
        for (int64_t ch = 0; ch < c; ++ch) o[ch] = av[ch] + sign_b * bv[ch];
      } else if (in_a) {
        std::memcpy(o, av, sizeof(float) * c);
      } else {
        for (int64_t ch = 0; ch < c; ++ch) o[ch] = sign_b * bv[ch];
      }
    }
  });
  return out.count;
}

// Channel concatenation: the mask is the union; an input inactive at a pixel (or constant)
// contributes zeros to its channel range.
int64_t Concat(const std::vector<DeltaView>& parts, const std::vector<int64_t>& offsets, DeltaView& out) {
  ClearDelta(out);
  const int64_t oc = out.c;
  for (const DeltaView& d : parts) {
    for (int64_t i = 0; i < d.count; ++i) MarkActive(out, d.active[i]);
  }
  parallel_for(0, out.count, GrainFor(oc), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const int64_t p = out.active[i];
      float* o = out.values + p * oc;
      std::memset(o, 0, sizeof(float) * oc);
      for (size_t k = 0; k < parts.size(); ++k) {
        const DeltaView& d = parts[k];
        if (d.mask[p]) std::memcpy(o + offsets[k], d.values + p * d.c, sizeof(float) * d.c);
      }
    }
  });
  return out.count;
}

// Mean of a delta over each image: the sum of its active pixels over H*W, accumulated per channel
// in the input's list order like the reference (channels in parallel).
int64_t GlobalAvgPool(const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = x.c;
  const int64_t plane = x.h * x.w;
  for (int64_t i = 0; i < x.count; ++i) ActivateZeroed(out, x.active[i] / plane);
  parallel_for(0, c, GrainFor(x.count), [&](int64_t lo, int64_t hi) {
    for (int64_t i = 0; i < x.count; ++i) {
      const int64_t p = x.active[i];
      float* o = out.values + (p / plane) * c;
      const float* xv = x.values + p * c;
      for (int64_t ch = lo; ch < hi; ++ch) o[ch] = static_cast<float>(static_cast<double>(o[ch]) + static_cast<double>(xv[ch]) / static_cast<double>(plane));
    }
  });
  return out.count;
}

// deltaScale(x, out, mode, sign, k: Float32Array, kStrides: Int32Array(4), mul: Float64Array): Promise<number>
Napi::Value ScaleEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  DeltaView out = ReadDelta(info[1], "out");
  const int32_t mode = IntArg(info, 2, "mode");
  const float sign = static_cast<float>(NumArg(info, 3, "sign"));
  auto k = F32(info[4], "k");
  auto ks = I32(info[5], "kStrides");
  auto mul = F64(info[6], "mul");
  if (mode < 0 || mode > 3 || ks.length != 4 || out.pixels != x.pixels || out.c != x.c) throw Napi::RangeError::New(env, "deltaScale: invalid arguments");
  if (mode == 3 && static_cast<int64_t>(mul.length) != x.c) throw Napi::RangeError::New(env, "deltaScale: mul needs one value per channel");
  if (mode == 1 || mode == 2) {
    const int64_t last = (x.n - 1) * int64_t{ks.data[0]} + (x.h - 1) * int64_t{ks.data[1]} + (x.w - 1) * int64_t{ks.data[2]} + (x.c - 1) * int64_t{ks.data[3]};
    if (ks.data[0] < 0 || ks.data[1] < 0 || ks.data[2] < 0 || ks.data[3] < 0 || last >= static_cast<int64_t>(k.length)) {
      throw Napi::RangeError::New(env, "deltaScale: constant operand strides exceed it");
    }
  }
  return StartCounted(env, "deltaScale", {info[0], info[1], info[4], info[5], info[6]},
                      [=]() mutable { return Scale(x, static_cast<ScaleMode>(mode), sign, k.data, ks.data, mul.data, out); }, x.count * x.c);
}

// deltaAddDeltas(a, b, signB, out): Promise<number>
Napi::Value AddDeltasEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView a = ReadDelta(info[0], "a");
  DeltaView b = ReadDelta(info[1], "b");
  const float sign_b = static_cast<float>(NumArg(info, 2, "signB"));
  DeltaView out = ReadDelta(info[3], "out");
  if (a.pixels != out.pixels || b.pixels != out.pixels || a.c != out.c || b.c != out.c) throw Napi::RangeError::New(env, "deltaAddDeltas: shapes differ");
  return StartCounted(env, "deltaAddDeltas", {info[0], info[1], info[3]}, [=]() mutable { return SumOfDeltas(a, b, sign_b, out); }, (a.count + b.count) * out.c);
}

// deltaConcat(parts: DeltaBuffer[], offsets: Int32Array, out): Promise<number> (constant inputs are left out)
Napi::Value ConcatEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "deltaConcat: parts must be an array");
  Napi::Array arr = info[0].As<Napi::Array>();
  auto offsets = I32(info[1], "offsets");
  DeltaView out = ReadDelta(info[2], "out");
  if (offsets.length != arr.Length()) throw Napi::RangeError::New(env, "deltaConcat: one offset per part");
  std::vector<DeltaView> parts;
  std::vector<int64_t> offs;
  std::vector<Napi::Value> keep{info[0], info[1], info[2]};
  for (uint32_t i = 0; i < arr.Length(); ++i) {
    DeltaView d = ReadDelta(arr.Get(i), "part");
    if (d.pixels != out.pixels || offsets.data[i] < 0 || offsets.data[i] + d.c > out.c) throw Napi::RangeError::New(env, "deltaConcat: part does not fit the output");
    parts.push_back(d);
    offs.push_back(offsets.data[i]);
    keep.push_back(arr.Get(i));
  }
  return StartCounted(env, "deltaConcat", std::move(keep), [=]() mutable { return Concat(parts, offs, out); }, out.pixels);
}

// deltaGlobalAvgPool(x, out): Promise<number>
Napi::Value GlobalAvgPoolEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  DeltaView out = ReadDelta(info[1], "out");
  if (out.pixels != x.n || out.c != x.c) throw Napi::RangeError::New(env, "deltaGlobalAvgPool: out must be [N,1,1,C]");
  return StartCounted(env, "deltaGlobalAvgPool", {info[0], info[1]}, [=]() mutable { return GlobalAvgPool(x, out); }, x.count * x.c);
}

}  // namespace

void RegisterDeltaElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaScale", Napi::Function::New(env, ScaleEntry, "deltaScale"));
  exports.Set("deltaAddDeltas", Napi::Function::New(env, AddDeltasEntry, "deltaAddDeltas"));
  exports.Set("deltaConcat", Napi::Function::New(env, ConcatEntry, "deltaConcat"));
  exports.Set("deltaGlobalAvgPool", Napi::Function::New(env, GlobalAvgPoolEntry, "deltaGlobalAvgPool"));
}

}  // namespace md
