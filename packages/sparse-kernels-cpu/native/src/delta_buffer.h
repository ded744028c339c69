// A DeltaBuffer as native code sees it, and the operations every delta kernel shares on it.
//
// JS passes the DeltaBuffer object itself; its typed arrays are read on the JS thread
// (napi_args.h), checked (CheckDelta), and the kernel then works on raw pointers off the event
// loop. The kernel returns the new active count, which the TypeScript wrapper stores in `count`
// (native code never writes JS properties from a worker thread).
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "arg_error.h"
#include "checked_math.h"
#include "common_conv_geometry.h"

namespace md {

// The batch, row and column of a pixel index n*H*W + y*W + x (the index DeltaBuffer.active holds),
// given plane = H*W and the row width W.
struct PixelNYX {
  int64_t n;
  int64_t y;
  int64_t x;
};

inline PixelNYX SplitPixel(int64_t pixel, int64_t plane, int64_t width) {
  const int64_t n = pixel / plane;
  const int64_t rest = pixel - n * plane;
  const int64_t y = rest / width;
  return {n, y, rest - y * width};
}

// A DeltaBuffer's arrays and shape. The N-API layer (napi_args.h) and the fuzz harnesses fill
// the pointers, lengths, count and shape; CheckDelta judges them and sets `pixels`. Kernels only
// see views CheckDelta accepted.
struct DeltaView {
  float* values = nullptr;
  uint8_t* mask = nullptr;
  int32_t* active = nullptr;
  size_t values_length = 0, mask_length = 0, active_length = 0;
  int64_t count = 0;
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t pixels = 0;
};

// Checks that the arrays fit the NHWC shape (values: pixels * C, mask and active: one per pixel),
// that 0 <= count <= pixels, and that every listed pixel active[0 .. count) is a pixel index, so
// no kernel can index outside the arrays. Costs the active count, not the frame. Not checked,
// because no kernel relies on it for memory safety (the fuzz harness exercises both): that the
// mask agrees with the list, and that the list has no duplicates; either only makes values wrong.
inline void CheckDelta(DeltaView& d, const char* what) {
  if (d.n < 0 || d.h < 0 || d.w < 0 || d.c < 0 || d.n > kMaxExtent || d.h > kMaxExtent || d.w > kMaxExtent || d.c > kMaxExtent) {
    RangeFail(std::string(what) + ".shape must be NHWC sizes from 0 to 2^31 - 1");
  }
  d.pixels = CheckedProduct({d.n, d.h, d.w}, "the DeltaBuffer's pixel count");
  if (d.pixels > kMaxExtent) RangeFail(std::string(what) + " has more than 2^31 - 1 pixels (active lists hold 32-bit indices)");
  const int64_t size = CheckedMul(d.pixels, d.c, "the DeltaBuffer's size");
  if (static_cast<int64_t>(d.values_length) != size || static_cast<int64_t>(d.mask_length) != d.pixels ||
      static_cast<int64_t>(d.active_length) != d.pixels || d.count < 0 || d.count > d.pixels) {
    RangeFail(std::string(what) + ": values/mask/active/count do not fit its shape");
  }
  for (int64_t i = 0; i < d.count; ++i) {
    if (d.active[i] < 0 || d.active[i] >= d.pixels) {
      RangeFail(std::string(what) + ": active[" + std::to_string(i) + "] = " + std::to_string(d.active[i]) +
                " is not a pixel index below " + std::to_string(d.pixels));
    }
  }
}

// Deactivates the previous frame's pixels: costs the previous count, never the frame.
inline void ClearDelta(DeltaView& d) {
  for (int64_t i = 0; i < d.count; ++i) d.mask[d.active[i]] = 0;
  d.count = 0;
}

// Marks a pixel active without touching its values (the caller overwrites every channel).
inline bool MarkActive(DeltaView& d, int64_t p) {
  if (d.mask[p]) return false;
  d.mask[p] = 1;
  d.active[d.count++] = static_cast<int32_t>(p);
  return true;
}

// Marks a pixel active and zeroes its channels on first activation (kernels that accumulate).
inline bool ActivateZeroed(DeltaView& d, int64_t p) {
  if (!MarkActive(d, p)) return false;
  std::memset(d.values + p * d.c, 0, sizeof(float) * d.c);
  return true;
}

// Below this many estimated float operations a kernel runs inline on the JS thread: a few
// microseconds of work, less than the hop to a libuv worker and back (tens of microseconds),
// which a delta frame would otherwise pay on every layer whose active set is tiny.
constexpr int64_t kInlineWork = 1 << 14;

// Chunk size for parallel loops over pixels: enough work per chunk (~`work_per_chunk` float ops)
// that waking the pool pays off, so small active sets run on the calling thread alone.
inline int64_t GrainFor(int64_t work_per_item, int64_t work_per_chunk = 1 << 15) {
  if (work_per_item <= 0) work_per_item = 1;
  int64_t g = work_per_chunk / work_per_item;
  return g < 1 ? 1 : g;
}

}  // namespace md
