// Non-linear elementwise activation on deltas, with accumulate-and-truncate.
#include <vector>

#include "delta_activation_fn.h"
#include "delta_ops.h"
#include "delta_truncate.h"
#include "thread_pool.h"

namespace md {
namespace {

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
