// Input sparsification and densification: the delta kernels at the edges of a delta graph.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "delta_buffer.h"
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

// deltaSparsify(x: Float32Array, reference: Float32Array, threshold: number, out: DeltaBuffer): Promise<number>
Napi::Value SparsifyEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto reference = F32(info[1], "reference");
  const double threshold = NumArg(info, 2, "threshold");
  DeltaView out = ReadDelta(info[3], "out");
  if (static_cast<int64_t>(x.length) != out.pixels * out.c || reference.length != x.length) {
    throw Napi::RangeError::New(env, "deltaSparsify: x, reference and out differ in size");
  }
  return StartCounted(env, "deltaSparsify", {info[0], info[1], info[3]}, [=]() mutable { return Sparsify(x.data, reference.data, threshold, out); }, out.pixels * out.c * 3);
}

// deltaAccumulate(delta: DeltaBuffer, target: Float32Array): Promise<number>
Napi::Value AccumulateEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView d = ReadDelta(info[0], "delta");
  auto target = F32(info[1], "target");
  if (static_cast<int64_t>(target.length) != d.pixels * d.c) throw Napi::RangeError::New(env, "deltaAccumulate: target differs in size from the delta");
  return StartCounted(env, "deltaAccumulate", {info[0], info[1]}, [=]() {
    Accumulate(d, target.data);
    return d.count;
  }, d.count * d.c);
}

}  // namespace

void RegisterDeltaSparsify(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaSparsify", Napi::Function::New(env, SparsifyEntry, "deltaSparsify"));
  exports.Set("deltaAccumulate", Napi::Function::New(env, AccumulateEntry, "deltaAccumulate"));
}

}  // namespace md
