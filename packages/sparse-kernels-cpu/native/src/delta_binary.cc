// Elementwise Add/Sub/Mul/Div whose result is not a linear function of one delta: a product or
// quotient of two varying tensors, or varying operands of different (broadcast) shapes. Varying
// operands accumulate their deltas; every output pixel an active operand pixel reaches through
// broadcasting is recomputed from the accumulated operands and emitted with truncation.
#include <algorithm>
#include <cstring>
#include <optional>

#include "delta_buffer.h"
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

Operand ReadOperand(const Napi::CallbackInfo& info, size_t index, const DeltaView& out, std::vector<Napi::Value>& keep) {
  Napi::Env env = info.Env();
  Operand o;
  if (!info[index].IsNull() && !info[index].IsUndefined()) {
    o.delta = ReadDelta(info[index], "operand");
    keep.push_back(info[index]);
  }
  auto data = F32(info[index + 1], "operand data");
  auto strides = I32(info[index + 2], "operand strides");
  keep.push_back(info[index + 1]);
  if (strides.length != 4) throw Napi::RangeError::New(env, "deltaBinary: strides need 4 entries");
  int64_t last = 0;
  for (int k = 0; k < 4; ++k) {
    o.s[k] = strides.data[k];
    if (o.s[k] < 0) throw Napi::RangeError::New(env, "deltaBinary: negative stride");
  }
  last = (out.n - 1) * o.s[0] + (out.h - 1) * o.s[1] + (out.w - 1) * o.s[2] + (out.c - 1) * o.s[3];
  if (last >= static_cast<int64_t>(data.length)) throw Napi::RangeError::New(env, "deltaBinary: operand strides exceed its data");
  if (o.delta && static_cast<int64_t>(data.length) != o.delta->pixels * o.delta->c) {
    throw Napi::RangeError::New(env, "deltaBinary: accumulated operand differs in size from its delta");
  }
  if (o.delta && (o.delta->c != out.c && o.delta->c != 1)) throw Napi::RangeError::New(env, "deltaBinary: operand channels do not broadcast");
  o.data = data.data;
  return o;
}

// A broadcast operand pixel reaches many outputs; its estimated work is the outputs it reaches.
int64_t BinaryWork(const Operand& a, const Operand& b, const DeltaView& out) {
  int64_t work = 0;
  for (const Operand* o : {&a, &b}) {
    if (!o->delta) continue;
    const DeltaView& d = *o->delta;
    work += d.count * (out.pixels / std::max<int64_t>(1, d.pixels)) * out.c * 4;
  }
  return work;
}

// deltaBinary(op: 0 Add | 1 Sub | 2 Mul | 3 Div, a: DeltaBuffer | null, aData, aStrides, b: DeltaBuffer | null, bData, bStrides,
//             emitted, threshold, out): Promise<number>
Napi::Value BinaryEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int32_t op = IntArg(info, 0, "op");
  if (op < 0 || op > 3) throw Napi::RangeError::New(env, "deltaBinary: unknown op code");
  DeltaView out = ReadDelta(info[9], "out");
  std::vector<Napi::Value> keep{info[7], info[9]};
  Operand a = ReadOperand(info, 1, out, keep);
  Operand b = ReadOperand(info, 4, out, keep);
  auto emitted = F32(info[7], "emitted");
  const double threshold = NumArg(info, 8, "threshold");
  if (static_cast<int64_t>(emitted.length) != out.pixels * out.c) throw Napi::RangeError::New(env, "deltaBinary: emitted differs in size from out");
  return StartCounted(env, "deltaBinary", std::move(keep), [=]() mutable { return BinaryDelta(op, a, b, emitted.data, threshold, out); },
                      BinaryWork(a, b, out));
}

}  // namespace

void RegisterDeltaBinary(Napi::Env env, Napi::Object exports) {
  exports.Set("deltaBinary", Napi::Function::New(env, BinaryEntry, "deltaBinary"));
}

}  // namespace md
