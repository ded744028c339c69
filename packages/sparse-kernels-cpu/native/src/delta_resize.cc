// Resize (nearest or bilinear, any coordinate mode) of a delta. Resampling is linear in the input,
// so the output delta is the dense formula on the input delta with 0 at inactive pixels. The
// per-axis tap tables come from TypeScript (the dense oracle's float32 coordinate rules); here:
// mark every output whose taps read an active input, then gather each marked output in parallel.
#include <cstring>

#include "delta_buffer.h"
#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Taps {
  const int32_t* lo;
  const int32_t* hi;
  const double* weight;
  const int32_t* range;  // per input: [first, last] output reading it
};

// Whether output o reads input i (a second tap of weight 0 does not count).
inline bool Reads(const Taps& t, int64_t o, int64_t i) { return t.lo[o] == i || (t.hi[o] == i && t.weight[o] != 0); }

int64_t ResizeDelta(const Taps& rows, const Taps& cols, const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  const int64_t plane = x.h * x.w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, x.w);
    for (int64_t oy = rows.range[2 * iy]; oy <= rows.range[2 * iy + 1]; ++oy) {
      if (!Reads(rows, oy, iy)) continue;
      const int64_t row = (n * out.h + oy) * out.w;
      for (int64_t ox = cols.range[2 * ix]; ox <= cols.range[2 * ix + 1]; ++ox) {
        if (Reads(cols, ox, ix)) MarkActive(out, row + ox);
      }
    }
  }
  const int64_t c = x.c;
  const int64_t out_plane = out.h * out.w;
  parallel_for(0, out.count, GrainFor(8 * c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, out.w);
      const int64_t r0 = (n * x.h + rows.lo[oy]) * x.w;
      const int64_t r1 = (n * x.h + rows.hi[oy]) * x.w;
      const int64_t c0 = cols.lo[ox], c1 = cols.hi[ox];
      // Inactive inputs did not change: they contribute a zero delta and are never read.
      const float* p00 = x.mask[r0 + c0] ? x.values + (r0 + c0) * c : nullptr;
      const float* p01 = x.mask[r0 + c1] ? x.values + (r0 + c1) * c : nullptr;
      const float* p10 = x.mask[r1 + c0] ? x.values + (r1 + c0) * c : nullptr;
      const float* p11 = x.mask[r1 + c1] ? x.values + (r1 + c1) * c : nullptr;
      const double wy = rows.weight[oy], wx = cols.weight[ox];
      float* o = out.values + q * c;
      for (int64_t ch = 0; ch < c; ++ch) {
        const double d00 = p00 ? p00[ch] : 0.0, d01 = p01 ? p01[ch] : 0.0, d10 = p10 ? p10[ch] : 0.0, d11 = p11 ? p11[ch] : 0.0;
        const double top = d00 + wx * (d01 - d00);
        const double bottom = d10 + wx * (d11 - d10);
        o[ch] = static_cast<float>(top + wy * (bottom - top));
      }
    }
  });
  return out.count;
}

Taps ReadTaps(const Napi::CallbackInfo& info, size_t index, int64_t in_size, int64_t out_size, std::vector<Napi::Value>& keep) {
  auto lo = I32(info[index], "lo");
  auto hi = I32(info[index + 1], "hi");
  auto weight = F64(info[index + 2], "weight");
  auto range = I32(info[index + 3], "range");
  if (static_cast<int64_t>(lo.length) != out_size || static_cast<int64_t>(hi.length) != out_size || static_cast<int64_t>(weight.length) != out_size ||
      static_cast<int64_t>(range.length) != 2 * in_size) {
    throw Napi::RangeError::New(info.Env(), "deltaResize: tap tables do not fit the shapes");
  }
  for (int64_t o = 0; o < out_size; ++o) {
    if (lo.data[o] < 0 || lo.data[o] >= in_size || hi.data[o] < 0 || hi.data[o] >= in_size) throw Napi::RangeError::New(info.Env(), "deltaResize: tap out of range");
  }
  for (int64_t i = 0; i < in_size; ++i) {
    if (range.data[2 * i] < 0 || range.data[2 * i + 1] >= out_size) throw Napi::RangeError::New(info.Env(), "deltaResize: range out of bounds");
  }
  for (size_t k = 0; k < 4; ++k) keep.push_back(info[index + k]);
  return {lo.data, hi.data, weight.data, range.data};
}

// deltaResize(x, rowLo, rowHi, rowWeight, rowRange, colLo, colHi, colWeight, colRange, out): Promise<number>
Napi::Value ResizeEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  DeltaView out = ReadDelta(info[9], "out");
  if (out.n != x.n || out.c != x.c || x.h == 0 || x.w == 0) throw Napi::RangeError::New(env, "deltaResize: shapes do not match");
  std::vector<Napi::Value> keep{info[0], info[9]};
  const Taps rows = ReadTaps(info, 1, x.h, out.h, keep);
  const Taps cols = ReadTaps(info, 5, x.w, out.w, keep);
  return StartCounted(env, "deltaResize", std::move(keep), [=]() mutable { return ResizeDelta(rows, cols, x, out); }, x.count * x.c * 16);
}

}  // namespace

void RegisterDeltaResize(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaResize", Napi::Function::New(env, ResizeEntry, "deltaResize"));
}

}  // namespace md
