// Input sparsification and densification: the delta kernels at the edges of a delta graph.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

// Active where max_c |x - reference| > threshold; the delta is x - reference there and the
// reference takes x. This kernel reads the whole frame (comparing is its job); chunks scan in
// parallel, list their active pixels in place, and are compacted in pixel order afterwards.
int64_t Sparsify(const float* x, float* reference, double threshold, DeltaView& out) {
  ClearDelta(out);
  const int64_t c = out.c;
  const int64_t pixels = out.pixels;
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>(pixels / 1024, num_threads() * 8));
  std::vector<int64_t> found(static_cast<size_t>(chunks), 0);
  const int64_t per = (pixels + chunks - 1) / chunks;
  parallel_for(0, chunks, 1, [&](int64_t cb, int64_t ce) {
    for (int64_t k = cb; k < ce; ++k) {
      const int64_t p0 = k * per;
      const int64_t p1 = std::min(pixels, p0 + per);
      int64_t n = 0;
      for (int64_t p = p0; p < p1; ++p) {
        const float* xp = x + p * c;
        float* rp = reference + p * c;
        double max_abs = 0;
        for (int64_t ch = 0; ch < c; ++ch) {
          const double d = std::fabs(static_cast<double>(xp[ch]) - static_cast<double>(rp[ch]));
          if (d > max_abs) max_abs = d;
        }
        if (!(max_abs > threshold)) continue;
        float* vp = out.values + p * c;
        for (int64_t ch = 0; ch < c; ++ch) {
          vp[ch] = xp[ch] - rp[ch];
          rp[ch] = xp[ch];
        }
        out.mask[p] = 1;
        out.active[p0 + n++] = static_cast<int32_t>(p);
      }
      found[k] = n;
    }
  });
  int64_t count = 0;
  for (int64_t k = 0; k < chunks; ++k) {
    const int64_t p0 = k * per;
    if (found[k] > 0 && p0 != count) std::memmove(out.active + count, out.active + p0, sizeof(int32_t) * found[k]);
    count += found[k];
  }
  out.count = count;
  return count;
}

// target += delta at the active pixels.
void Accumulate(const DeltaView& d, float* target) {
  const int64_t c = d.c;
  parallel_for(0, d.count, GrainFor(c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t base = static_cast<int64_t>(d.active[i]) * c;
      const float* v = d.values + base;
      float* t = target + base;
      for (int64_t ch = 0; ch < c; ++ch) t[ch] += v[ch];
    }
  });
}

}  // namespace

int64_t RunSparsify(SparsifyArgs& a) { return Sparsify(a.x.data, a.reference.data, a.threshold, a.out); }

int64_t RunAccumulate(AccumulateArgs& a) {
  Accumulate(a.delta, a.target.data);
  return a.delta.count;
}

}  // namespace md
