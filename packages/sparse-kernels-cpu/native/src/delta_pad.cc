// Pad on H and W of a delta, with the per-axis tables of src/delta/pad-maps.ts.
#include <cstring>
#include <vector>

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

}  // namespace

int64_t RunDeltaPad(DeltaPadArgs& a) {
  const PadAxisView rows{a.rows.map.data, a.rows.start.data, a.rows.outputs.data};
  const PadAxisView cols{a.cols.map.data, a.cols.start.data, a.cols.outputs.data};
  return PadDelta(rows, cols, a.x, a.out);
}

}  // namespace md
