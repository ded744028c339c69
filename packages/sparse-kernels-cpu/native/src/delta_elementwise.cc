// Pixelwise linear delta kernels: Identity, Add/Sub/Mul/Div with a constant, BatchNorm's scale,
// the sum of two varying operands, channel concatenation and global average pooling.
#include <cstring>
#include <vector>

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
      for (int64_t ch = lo; ch < hi; ++ch)
        o[ch] = static_cast<float>(static_cast<double>(o[ch]) + static_cast<double>(xv[ch]) / static_cast<double>(plane));
    }
  });
  return out.count;
}

}  // namespace

int64_t RunDeltaScale(DeltaScaleArgs& a) {
  return Scale(a.x, static_cast<ScaleMode>(a.mode), a.sign, a.k.data, a.k_strides.data, a.mul.data, a.out);
}

int64_t RunDeltaAddDeltas(DeltaAddDeltasArgs& a) { return SumOfDeltas(a.a, a.b, a.sign_b, a.out); }

int64_t RunDeltaConcat(DeltaConcatArgs& a) { return Concat(a.parts, a.offsets, a.out); }

int64_t RunDeltaGlobalAvgPool(DeltaGlobalAvgPoolArgs& a) { return GlobalAvgPool(a.x, a.out); }

}  // namespace md
