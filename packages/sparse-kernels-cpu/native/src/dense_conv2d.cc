#include "dense_conv2d.h"

#include "dense_ops.h"

namespace md {

void Conv2D(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
            const PackedConvWeights* packed, const ConvOptions& options) {
  if (g.out_pixels() == 0) return;
  // im2col + GEMM would multiply mostly zeros for depthwise; a direct loop does only real work.
  if (g.depthwise()) {
    Conv2DDepthwise(g, x, w, bias, out, act);
  } else {
    Conv2DGemm(g, x, w, bias, out, act, packed, options);
  }
}

void RunConv2D(const Conv2DArgs& a) { Conv2D(a.g, a.x.data, a.w.data, a.bias.data, a.out.data, a.act, a.packed, a.options); }

}  // namespace md
