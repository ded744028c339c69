// Non-linear elementwise activation on deltas, with accumulate-and-truncate.
#include <vector>

#include "delta_activation_fn.h"
#include "delta_buffer.h"
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

// deltaActivation(delta, kind, a, b, slope: Float32Array, accumulated, emitted, threshold, out): Promise<number>
Napi::Value ActivationEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView in = ReadDelta(info[0], "delta");
  ActSpec spec;
  const int32_t kind = IntArg(info, 1, "kind");
  if (kind < 0 || kind > 7) throw Napi::RangeError::New(env, "deltaActivation: unknown activation code");
  spec.kind = static_cast<ActKind>(kind);
  spec.a = NumArg(info, 2, "a");
  spec.b = NumArg(info, 3, "b");
  auto slope = F32(info[4], "slope");
  spec.slope = slope.data;
  spec.slope_len = static_cast<int64_t>(slope.length);
  if (spec.kind == ActKind::Prelu && spec.slope_len != 1 && spec.slope_len != in.c) {
    throw Napi::RangeError::New(env, "deltaActivation: prelu slope needs 1 value or one per channel");
  }
  auto accumulated = F32(info[5], "accumulated");
  auto emitted = F32(info[6], "emitted");
  const double threshold = NumArg(info, 7, "threshold");
  DeltaView out = ReadDelta(info[8], "out");
  const int64_t size = in.pixels * in.c;
  if (out.pixels != in.pixels || out.c != in.c || static_cast<int64_t>(accumulated.length) != size || static_cast<int64_t>(emitted.length) != size) {
    throw Napi::RangeError::New(env, "deltaActivation: delta, state and out differ in size");
  }
  return StartCounted(env, "deltaActivation", {info[0], info[4], info[5], info[6], info[8]},
                      [=]() mutable { return ActivationDelta(in, spec, accumulated.data, emitted.data, threshold, out); }, in.count * in.c * 8);
}

}  // namespace

void RegisterDeltaActivation(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaActivation", Napi::Function::New(env, ActivationEntry, "deltaActivation"));
}

}  // namespace md
