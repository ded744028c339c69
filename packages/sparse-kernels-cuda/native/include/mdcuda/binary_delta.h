// The binary delta step (an elementwise op not linear in one delta: a product of two varying
// tensors, operands of different broadcast shapes): varying operands accumulate their deltas,
// every output pixel whose operand pixel (through broadcasting) is active is recomputed from the
// accumulated operands and constants, then emitted with truncation.
#pragma once

#include "binary.h"
#include "delta_pixel.h"
#include "hd.h"

namespace mdcuda {

/** Operand j: its values (accumulated, or the constant), NHWC strides over the output (0 where it broadcasts), mask (null: constant) and N,
 * H, W. */
struct BinaryDeltaGeometry {
  int out_n;
  int out_h;
  int out_w;
  int channels;
  BinaryOp op;
  const float* data[2];
  int64_t strides[2][4];
  const uint8_t* mask[2];
  int dims[2][3];
};

/** The pixel of varying operand j that output pixel (n, y, x) reads: index 0 along an axis it broadcasts. */
MD_HD int64_t OperandPixel(const BinaryDeltaGeometry& g, int j, int n, int y, int x) {
  const int on = g.dims[j][0] == g.out_n ? n : 0;
  const int oy = g.dims[j][1] == g.out_h ? y : 0;
  const int ox = g.dims[j][2] == g.out_w ? x : 0;
  return (static_cast<int64_t>(on) * g.dims[j][1] + oy) * g.dims[j][2] + ox;
}

/** Whether operand j broadcasts along N, H or W (one of its pixels then reaches many outputs). */
MD_HD bool OperandBroadcasts(const BinaryDeltaGeometry& g, int j) {
  return g.dims[j][0] != g.out_n || g.dims[j][1] != g.out_h || g.dims[j][2] != g.out_w;
}

/**
 * Output pixel (n, y, x) after the deltas were accumulated: recomputed and truncated against
 * `emitted` when an operand pixel it reads is active. Returns whether it is emitted.
 */
MD_HD bool BinaryDeltaPixel(const BinaryDeltaGeometry& g, float* emitted, float* out, int n, int y, int x, double threshold) {
  bool active = false;
  for (int j = 0; j < 2; j++) {
    if (g.mask[j] != nullptr && g.mask[j][OperandPixel(g, j, n, y, x)] != 0) active = true;
  }
  if (!active) return false;
  const int64_t a_base = n * g.strides[0][0] + y * g.strides[0][1] + x * g.strides[0][2];
  const int64_t b_base = n * g.strides[1][0] + y * g.strides[1][1] + x * g.strides[1][2];
  for (int ch = 0; ch < g.channels; ch++) {
    out[ch] = CombineBinary(g.op, g.data[0][a_base + ch * g.strides[0][3]], g.data[1][b_base + ch * g.strides[1][3]]);
  }
  return TruncatePixel(out, emitted, g.channels, threshold);
}

}  // namespace mdcuda
