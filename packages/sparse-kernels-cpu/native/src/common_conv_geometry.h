// Geometry of a 2D convolution on NHWC tensors, as passed from TypeScript in an Int32Array.
//
// Order of the 16 integers (src/dense/conv2d.ts builds it):
//   batch, inH, inW, inC, outH, outW, outC, kh, kw, strideH, strideW, dilationH, dilationW,
//   padTop, padLeft, groups
// Pads are explicit (SAME is resolved in TypeScript). Weight layout [kh, kw, inC/groups, outC].
#pragma once

#include <cstdint>
#include <vector>

namespace md {

struct ConvGeometry {
  int64_t batch, in_h, in_w, in_c, out_h, out_w, out_c, kh, kw, sh, sw, dh, dw, pad_top, pad_left, groups;

  static constexpr size_t kInts = 16;

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
    return batch >= 0 && in_h >= 0 && in_w >= 0 && in_c >= 1 && out_h >= 0 && out_w >= 0 && out_c >= 1 && kh >= 1 && kw >= 1 &&
           sh >= 1 && sw >= 1 && dh >= 1 && dw >= 1 && pad_top >= 0 && pad_left >= 0 && groups >= 1 && in_c % groups == 0 &&
           out_c % groups == 0;
  }
};

}  // namespace md
