// Depthwise delta convolution: direct loops over the active outputs. The loops
// (delta_conv2d_depthwise_outputs.inc) are compiled per instruction set: the baseline copy below,
// the AVX2 one in delta_conv2d_depthwise_avx2.cc; the kernel table chosen at load (cpu_isa.h) says
// which runs.
#include <string.h>

#include <vector>

#include "cpu_isa.h"
#include "delta_conv2d.h"
#include "thread_pool.h"

namespace md {

namespace baseline {
#include "delta_conv2d_depthwise_outputs.inc"
}  // namespace baseline

// Depthwise (one input channel per group, channel multiplier m = Cout / Cin): output channel co
// reads input channel co / m.
void Depthwise(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out) {
  const DeltaDepthwiseArgs args{g.kh,      g.kw,   g.sh,   g.sw,    g.dh,    g.dw, g.pt,     g.pl,   g.cin,      g.cout,
                                g.cout_pg, g.in_h, g.in_w, g.out_h, g.out_w, w,    x.values, x.mask, out.active, out.values};
  const auto outputs = Kernels().delta_depthwise;
  const int64_t taps = g.kh * g.kw;
  parallel_for(0, out.count, GrainFor(taps * g.cout), [&](int64_t b, int64_t e) {
    std::vector<int64_t> tap_pixel(static_cast<size_t>(taps));
    std::vector<int64_t> tap_index(static_cast<size_t>(taps));
    outputs(args, b, e, tap_pixel.data(), tap_index.data());
  });
}

}  // namespace md
