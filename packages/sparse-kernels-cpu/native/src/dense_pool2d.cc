// Max and average pooling on NHWC, channels innermost; global average pooling.
#include <algorithm>
#include <vector>

#include "dense_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

// A window that covers no input pixel (pads >= kernel) yields the lowest float, as onnxruntime does.
constexpr float kLowest = -3.4028234663852886e38f;

struct PoolGeometry {
  int64_t batch, in_h, in_w, c, out_h, out_w, kh, kw, sh, sw, pad_top, pad_left, pad_bottom, pad_right;
  static PoolGeometry From(const std::vector<int64_t>& v) {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  }
};

// 1 / divisor of the average window at (oy, ox), with the ONNX/PyTorch rules the reference uses:
// with countIncludePad, positions inside the padded input count (not the ceil-mode overhang).
float InverseDivisor(const PoolGeometry& g, bool count_include_pad, int64_t oy, int64_t ox) {
  const int64_t ys = oy * g.sh - g.pad_top;
  const int64_t xs = ox * g.sw - g.pad_left;
  int64_t count;
  if (count_include_pad) {
    count = std::max<int64_t>(0, std::min(ys + g.kh, g.in_h + g.pad_bottom) - ys) *
            std::max<int64_t>(0, std::min(xs + g.kw, g.in_w + g.pad_right) - xs);
  } else {
    count = std::max<int64_t>(0, std::min(ys + g.kh, g.in_h) - std::max<int64_t>(ys, 0)) *
            std::max<int64_t>(0, std::min(xs + g.kw, g.in_w) - std::max<int64_t>(xs, 0));
  }
  return count > 0 ? static_cast<float>(1.0 / static_cast<double>(count)) : 0.f;
}

// `x_empty`: x has no values (a zero width, say, with a height of millions); every window is then
// empty, and walking its rows would cost the height for nothing.
void Pool2D(const PoolGeometry& g, const float* x, float* out, bool is_max, bool count_include_pad, bool x_empty) {
  const int64_t c = g.c;
  parallel_for(0, g.batch * g.out_h, 1, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / g.out_h;
      const int64_t oy = r - n * g.out_h;
      const int64_t ys = oy * g.sh - g.pad_top;
      const int64_t y0 = std::max<int64_t>(ys, 0), y1 = x_empty ? y0 : std::min(ys + g.kh, g.in_h);
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        float* __restrict o = out + (r * g.out_w + ox) * c;
        const int64_t xs = ox * g.sw - g.pad_left;
        const int64_t x0 = std::max<int64_t>(xs, 0), x1 = std::min(xs + g.kw, g.in_w);
        std::fill(o, o + c, is_max ? kLowest : 0.f);
        for (int64_t iy = y0; iy < y1; ++iy) {
          for (int64_t ix = x0; ix < x1; ++ix) {
            const float* __restrict xp = x + ((n * g.in_h + iy) * g.in_w + ix) * c;
            if (is_max) {
              for (int64_t ch = 0; ch < c; ++ch) o[ch] = xp[ch] > o[ch] ? xp[ch] : o[ch];
            } else {
              for (int64_t ch = 0; ch < c; ++ch) o[ch] += xp[ch];
            }
          }
        }
        if (!is_max) {
          const float inv = InverseDivisor(g, count_include_pad, oy, ox);
          for (int64_t ch = 0; ch < c; ++ch) o[ch] *= inv;
        }
      }
    }
  });
}

}  // namespace

void RunPool2D(const Pool2DArgs& a) {
  if (a.out.length == 0) return;
  Pool2D(PoolGeometry::From(a.geometry), a.x.data, a.out.data, a.kind == 0, a.count_include_pad, a.x.length == 0);
}

// Mean per image and channel, summed in double.
void RunGlobalAvgPool(const GlobalAvgPoolArgs& a) {
  if (a.out.length == 0) return;  // (batch or channels 0: the loop over batch would do nothing, maybe 2^31 times)
  const int64_t batch = a.batch, pixels = a.pixels, c = a.channels;
  const float* xd = a.x.data;
  float* od = a.out.data;
  for (int64_t n = 0; n < batch; ++n) {
    // Split the pixels over threads, each summing its own partial in double.
    const int64_t parts = std::max<int64_t>(1, std::min<int64_t>(num_threads() * 4, pixels / 64));
    std::vector<double> partial(static_cast<size_t>(parts * c), 0.0);
    parallel_for(0, parts, 1, [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; ++p) {
        double* acc = partial.data() + p * c;
        const int64_t begin = pixels * p / parts, end = pixels * (p + 1) / parts;
        for (int64_t i = begin; i < end; ++i) {
          const float* xp = xd + (n * pixels + i) * c;
          for (int64_t ch = 0; ch < c; ++ch) acc[ch] += xp[ch];
        }
      }
    });
    for (int64_t ch = 0; ch < c; ++ch) {
      double sum = 0;
      for (int64_t p = 0; p < parts; ++p) sum += partial[p * c + ch];
      od[n * c + ch] = pixels > 0 ? static_cast<float>(sum / static_cast<double>(pixels)) : 0.f;
    }
  }
}

}  // namespace md
