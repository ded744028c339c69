// Elementwise Add/Sub/Mul/Div whose result is not a linear function of one delta: a product or
// quotient of two varying tensors, or varying operands of different (broadcast) shapes. Varying
// operands accumulate their deltas; every output pixel an active operand pixel reaches through
// broadcasting is recomputed from the accumulated operands and emitted with truncation.
#include <algorithm>
#include <cstring>
#include <optional>

#include "delta_ops.h"
#include "delta_truncate.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Operand {
  std::optional<DeltaView> delta;  // set for a varying operand
  float* data = nullptr;           // accumulated values (varying) or the constant's data
  int64_t s[4] = {0, 0, 0, 0};     // strides in the output's NHWC frame (0 where broadcast)
};

// Adds an operand's deltas to its accumulated values and marks the output pixels they reach.
void MarkCandidates(const DeltaView& d, float* accumulated, DeltaView& out) {
  const int64_t c = d.c;
  parallel_for(0, d.count, GrainFor(c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t base = static_cast<int64_t>(d.active[i]) * c;
      for (int64_t ch = 0; ch < c; ++ch) accumulated[base + ch] += d.values[base + ch];
    }
  });
  // No output pixel (a zero width under a tall output): nothing to mark, however many rows.
  if (out.pixels == 0) return;
  const int64_t plane = d.h * d.w;
  const bool n_all = d.n != out.n, y_all = d.h != out.h, x_all = d.w != out.w;
  for (int64_t i = 0; i < d.count; ++i) {
    const int64_t p = d.active[i];
    const auto [n, y, x] = SplitPixel(p, plane, d.w);
    for (int64_t nn = n_all ? 0 : n, n1 = n_all ? out.n : n + 1; nn < n1; ++nn) {
      for (int64_t yy = y_all ? 0 : y, y1 = y_all ? out.h : y + 1; yy < y1; ++yy) {
        const int64_t row = (nn * out.h + yy) * out.w;
        for (int64_t xx = x_all ? 0 : x, x1 = x_all ? out.w : x + 1; xx < x1; ++xx) MarkActive(out, row + xx);
      }
    }
  }
}

int64_t BinaryDelta(int32_t op, Operand a, Operand b, float* emitted, double threshold, DeltaView& out) {
  ClearDelta(out);
  if (a.delta) MarkCandidates(*a.delta, a.data, out);
  if (b.delta) MarkCandidates(*b.delta, b.data, out);
  const int64_t plane = out.h * out.w;
  const int64_t c = out.c;
  std::vector<uint8_t> keep(static_cast<size_t>(out.count));
  parallel_for(0, out.count, GrainFor(2 * c), [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const int64_t q = out.active[i];
      const auto [n, y, x] = SplitPixel(q, plane, out.w);
      const float* ap = a.data + n * a.s[0] + y * a.s[1] + x * a.s[2];
      const float* bp = b.data + n * b.s[0] + y * b.s[1] + x * b.s[2];
      const int64_t sa = a.s[3], sb = b.s[3];
      float* o = out.values + q * c;
      switch (op) {
        case 0:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = ap[ch * sa] + bp[ch * sb];
          break;
        case 1:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = ap[ch * sa] - bp[ch * sb];
          break;
        case 2:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = ap[ch * sa] * bp[ch * sb];
          break;
        default:
          for (int64_t ch = 0; ch < c; ++ch) o[ch] = ap[ch * sa] / bp[ch * sb];
          break;
      }
      keep[i] = TruncatePixel(o, emitted + q * c, c, threshold);
    }
  });
  CompactKept(out, keep);
  return out.count;
}

Operand ToOperand(const DeltaOperand& d) {
  Operand o;
  if (d.varying) o.delta = d.delta;
  o.data = d.data.data;
  for (int k = 0; k < 4; ++k) o.s[k] = d.strides.data[k];
  return o;
}

}  // namespace

int64_t RunDeltaBinary(DeltaBinaryArgs& a) { return BinaryDelta(a.op, ToOperand(a.a), ToOperand(a.b), a.emitted.data, a.threshold, a.out); }

}  // namespace md
