// Pad on H and W of a delta, with the per-axis tables of src/delta/pad-maps.ts.
#include <cstring>
#include <vector>

#include "delta_buffer.h"
#include "delta_ops.h"
#include "thread_pool.h"

namespace md {
namespace {

struct PadAxisView {
  const int32_t* map;      // output -> input, -1 for the pad constant
  const int32_t* start;    // CSR over inputs
  const int32_t* outputs;  // outputs copying each input
};

// Pad on H and W: every output copies one input pixel or holds the constant (a zero delta, never
// active). Outputs reached by active inputs are marked, then copied in parallel from their source.
int64_t PadDelta(const PadAxisView& rows, const PadAxisView& cols, const DeltaView& x, DeltaView& out) {
  ClearDelta(out);
  const int64_t plane = x.h * x.w;
  for (int64_t i = 0; i < x.count; ++i) {
    const int64_t p = x.active[i];
    const auto [n, iy, ix] = SplitPixel(p, plane, x.w);
    for (int32_t r = rows.start[iy]; r < rows.start[iy + 1]; ++r) {
      const int64_t row = (n * out.h + rows.outputs[r]) * out.w;
      for (int32_t k = cols.start[ix]; k < cols.start[ix + 1]; ++k) MarkActive(out, row + cols.outputs[k]);
    }
  }
  const int64_t c = x.c;
  const int64_t out_plane = out.h * out.w;
  parallel_for(0, out.count, GrainFor(c), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const int64_t q = out.active[i];
      const auto [n, oy, ox] = SplitPixel(q, out_plane, out.w);
      const int64_t src = (n * x.h + rows.map[oy]) * x.w + cols.map[ox];
      std::memcpy(out.values + q * c, x.values + src * c, sizeof(float) * c);
    }
  });
  return out.count;
}

PadAxisView ReadPadAxis(const Napi::CallbackInfo& info, size_t index, int64_t in_size, int64_t out_size, std::vector<Napi::Value>& keep) {
  auto map = I32(info[index], "map");
  auto start = I32(info[index + 1], "start");
  auto outputs = I32(info[index + 2], "outputs");
  if (static_cast<int64_t>(map.length) != out_size || static_cast<int64_t>(start.length) != in_size + 1 ||
      static_cast<int64_t>(outputs.length) != start.data[in_size]) {
    throw Napi::RangeError::New(info.Env(), "deltaPad: axis tables do not fit the shapes");
  }
  for (int64_t o = 0; o < out_size; ++o) {
    if (map.data[o] < -1 || map.data[o] >= in_size) throw Napi::RangeError::New(info.Env(), "deltaPad: map out of range");
  }
  for (int64_t i = 0; i < in_size; ++i) {
    if (start.data[0] != 0 || start.data[i + 1] < start.data[i]) throw Napi::RangeError::New(info.Env(), "deltaPad: start must rise from 0");
  }
  for (size_t k = 0; k < outputs.length; ++k) {
    if (outputs.data[k] < 0 || outputs.data[k] >= out_size) throw Napi::RangeError::New(info.Env(), "deltaPad: outputs out of range");
  }
  for (size_t k = 0; k < 3; ++k) keep.push_back(info[index + k]);
  return {map.data, start.data, outputs.data};
}

// deltaPad(x, rowMap, rowStart, rowOutputs, colMap, colStart, colOutputs, out): Promise<number>
Napi::Value PadEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DeltaView x = ReadDelta(info[0], "x");
  DeltaView out = ReadDelta(info[7], "out");
  if (out.n != x.n || out.c != x.c) throw Napi::RangeError::New(env, "deltaPad: shapes do not match");
  std::vector<Napi::Value> keep{info[0], info[7]};
  const PadAxisView rows = ReadPadAxis(info, 1, x.h, out.h, keep);
  const PadAxisView cols = ReadPadAxis(info, 4, x.w, out.w, keep);
  return StartCounted(env, "deltaPad", std::move(keep), [=]() mutable { return PadDelta(rows, cols, x, out); }, x.count * x.c * 2);
}

}  // namespace

void RegisterDeltaPad(Napi::Env env, Napi::Object exports) { exports.Set("deltaPad", Napi::Function::New(env, PadEntry, "deltaPad")); }

}  // namespace md
