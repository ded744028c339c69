// Non-linear elementwise activation on deltas, with accumulate-and-truncate.
#include <cfloat>
#include <cmath>
#include <vector>

#include "cpu_isa.h"
#include "delta_activation_fn.h"
#include "delta_ops.h"
#include "delta_truncate.h"
#include "thread_pool.h"

namespace md {
namespace {

// Whether v is a float32 value (so float arithmetic on it rounds as double arithmetic then
// rounding does); sets *f to it.
bool FloatValue(double v, float* f) {
  if (std::isnan(v) || (std::fabs(v) > FLT_MAX && !std::isinf(v))) return false;
  *f = static_cast<float>(v);
  return static_cast<double>(*f) == v;
}

// Fills the vector kernel's parameters where it gives this activation exactly (isa_kernels.h,
// DeltaActPixelsArgs); false sends the step to the scalar loop.
bool VectorKernelFits(const ActSpec& s, int64_t c, DeltaActPixelsArgs& k) {
  if (c <= 0) return false;
  k.kind = static_cast<int32_t>(s.kind);
  k.lo = k.hi = 0;
  k.slope = s.slope;
  k.slope_len = s.slope_len;
  switch (s.kind) {
    case DeltaActKind::Relu:
    case DeltaActKind::Prelu:
    case DeltaActKind::HardSwish:
      return true;
    case DeltaActKind::Clip:
      return FloatValue(s.a, &k.lo) && FloatValue(s.b, &k.hi);
    case DeltaActKind::LeakyRelu:
      return FloatValue(s.a, &k.lo);
    default:
      return false;
  }
}

// At each active input pixel the accumulated pre-activation takes the delta and the activation is
// re-evaluated; pixels without an input delta cannot change. Candidates are then truncated.
int64_t ActivationDelta(const DeltaView& in, const ActSpec& spec, float* accumulated, float* emitted, double threshold, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = in.c;
  // The output list is the input list (same pixels, same order); values are written per pixel.
  for (int64_t i = 0; i < in.count; ++i) {
    const int32_t p = in.active[i];
    out.mask[p] = 1;
    out.active[i] = p;
  }
  out.count = in.count;
  // One pass per pixel (accumulate, activate, truncate) while its channels are in cache.
  std::vector<uint8_t> keep(static_cast<size_t>(in.count));
  const auto vector_kernel = Kernels().delta_activation_pixels;
  DeltaActPixelsArgs k{};
  if (vector_kernel != nullptr && VectorKernelFits(spec, c, k)) {
    k.c = c;
    k.threshold = threshold;
    k.in = in.values;
    k.out = out.values;
    k.accumulated = accumulated;
    k.emitted = emitted;
    k.pixels = in.active;
    k.keep = keep.data();
    parallel_for(0, in.count, GrainFor(8 * c), [&](int64_t b, int64_t e) { vector_kernel(k, b, e); });
    CompactKept(out, keep);
    return out.count;
  }
  parallel_for(0, in.count, GrainFor(8 * c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t base = static_cast<int64_t>(in.active[i]) * c;
      float* acc = accumulated + base;
      const float* d = in.values + base;
      float* o = out.values + base;
      for (int64_t ch = 0; ch < c; ++ch) {
        acc[ch] += d[ch];
        o[ch] = acc[ch];
      }
      ApplyActivation(spec, o, c);
      keep[i] = TruncatePixel(o, emitted + base, c, threshold);
    }
  });
  CompactKept(out, keep);
  return out.count;
}

}  // namespace

int64_t RunDeltaActivation(DeltaActivationArgs& a) {
  return ActivationDelta(a.in, a.spec, a.accumulated.data, a.emitted.data, a.threshold, a.out);
}

}  // namespace md
