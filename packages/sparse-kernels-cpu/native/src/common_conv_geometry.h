// Geometry of a 2D convolution on NHWC tensors, as passed from TypeScript in an Int32Array.
//
// Order of the 16 integers (src/dense/conv2d.ts builds it):
//   batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW,
//   padTop, padLeft, groups
// Pads are explicit (SAME is resolved in TypeScript). Weight layout [kh, kw, inC/groups, outC].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arg_error.h"
#include "checked_math.h"

namespace md {

// The largest extent along one axis a kernel may index (output span, window span, pads): with
// every coordinate below 2^31, no sum or product of two of them overflows 64 bits inside a kernel.
constexpr int64_t kMaxExtent = (int64_t{1} << 31) - 1;

// Throws unless the window of `out` outputs, `stride` apart, of `kernel` taps `dilation` apart
// spans at most kMaxExtent: (out - 1) * stride + (kernel - 1) * dilation + 1.
inline void CheckWindowSpan(int64_t out, int64_t kernel, int64_t stride, int64_t dilation, const char* what) {
  if (out <= 0) return;
  const int64_t span = CheckedAdd(CheckedMul(out - 1, stride, what), CheckedAdd(CheckedMul(kernel - 1, dilation, what), 1, what), what);
  if (span > kMaxExtent) RangeFail(std::string(what) + " spans " + std::to_string(span) + " positions; at most 2^31 - 1 are accepted");
}

struct ConvGeometry {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, kh, kw, sh, sw, dh, dw, pad_top, pad_left, groups;

  static constexpr size_t kInts = 16;

  // Unchecked: CheckConvGeometry judges the values.
  static ConvGeometry From(const std::vector<int64_t>& v) {
    return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]};
  }

  int64_t cin_per_group() const { return in_c / groups; }
  int64_t cout_per_group() const { return out_c / groups; }
  int64_t input_size() const { return batch * in_h * in_w * in_c; }
  int64_t output_size() const { return batch * out_h * out_w * out_c; }
  int64_t weight_size() const { return kh * kw * cin_per_group() * out_c; }
  int64_t out_pixels() const { return batch * out_h * out_w; }
  bool depthwise() const { return groups == in_c && groups > 1 && out_c % in_c == 0; }
  bool pointwise() const {
    return kh == 1 && kw == 1 && sh == 1 && sw == 1 && pad_top == 0 && pad_left == 0 && out_h == in_h && out_w == in_w;
  }
  // Everything positive and consistent, so no kernel can index out of bounds.
  bool valid() const {
    return batch >= 0 && in_h >= 0 && in_w >= 0 && in_c >= 1 && out_h >= 0 && out_w >= 0 && out_c >= 1 && kh >= 1 && kw >= 1 && sh >= 1 &&
           sw >= 1 && dh >= 1 && dw >= 1 && pad_top >= 0 && pad_left >= 0 && groups >= 1 && in_c % groups == 0 && out_c % groups == 0;
  }
};

// Throws unless the geometry is valid() and every size derived from it (tensor sizes, window
// spans) fits 64-bit arithmetic; after it, the unchecked size methods above cannot overflow.
// `transposed`: the windows are those of a transposed convolution (input pixels, not output
// pixels, are `stride` apart).
inline void CheckConvGeometry(const ConvGeometry& g, const char* kernel, bool transposed = false) {
  if (!g.valid()) RangeFail(std::string(kernel) + ": inconsistent geometry");
  CheckedProduct({g.batch, g.in_h, g.in_w, g.in_c}, "the input size");
  CheckedProduct({g.batch, g.out_h, g.out_w, g.out_c}, "the output size");
  CheckedProduct({g.kh, g.kw, g.in_c, g.out_c}, "the weight size");
  CheckWindowSpan(transposed ? g.in_h : g.out_h, g.kh, g.sh, g.dh, "the convolution's vertical window");
  CheckWindowSpan(transposed ? g.in_w : g.out_w, g.kw, g.sw, g.dw, "the convolution's horizontal window");
}

}  // namespace md
