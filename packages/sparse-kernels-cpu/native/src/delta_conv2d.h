// Convolution of a delta (bias cancels in a difference), with work proportional to active pixels:
// the pieces shared by delta_conv2d*.cc.
//
// Three paths, chosen per call (PreferInputDriven estimates both GEMM paths' time):
// - Input-driven GEMM (scattered inputs, small Cout): the active input pixels' delta vectors are
//   gathered into D [nActive x Cin] and multiplied once by the weights packed as [Cin x (taps*Cout)], giving every
//   tap's contribution of every active pixel; each active output then sums the contributions of
//   the active inputs its window reads. With stride s, an input pixel reaches outputs only through
//   the taps congruent to its position mod s, so inputs are split into s_h*s_w classes, each
//   multiplied by its own taps only: the MACs done never exceed active inputs x taps x Cin x Cout.
// - Output-driven GEMM (blobs, high activity): every output an active input reaches is
//   computed from its window, inactive inputs read as zero. This is the per-node dense fallback:
//   a dense convolution restricted to the reached outputs (all of them past the break-even),
//   without the [nActive x taps*Cout] intermediate that grows with activity. With the packed
//   kernel it is an implicit GEMM over runs of reached outputs (delta_conv2d_implicit.cc);
//   without packed weights (or under MD_CONV_GEMM=blas), im2col and Sgemm (dense_sgemm.h).
// - Depthwise (one input channel per group): direct loops over the active outputs.
// Both GEMM paths multiply row blocks inside md::parallel_for with a single-threaded GEMM: the
// packed kernel the dense convolution uses (weights packed once, with the input-driven packing), or
// Sgemm under MD_CONV_GEMM=blas.
//
// Break-even against dense convolution (1 thread, CPU time, min of 15 interleaved runs, blobs of
// active pixels; shared 2-core machine, so +-20%):
// - 3x3 64->64 at 144x192 (esrgan): dense onnxruntime 25-28 ms, dense cpu-native 22-26 ms.
//   Delta (auto = output-driven for blobs): 5% in / 6.6% out 2.4 ms, 10% / 12.8% 4.9 ms,
//   15% / 19% 6.4 ms, 25% / 32% 11.4 ms, 50% / 59% 20.3 ms, 75% / 85% 31.4 ms: it breaks even
//   with dense at about 65% active inputs (~72% reached outputs); everything active costs 33 ms,
//   1.2-1.5x dense. Scattered pixels (5% in -> 43% out) take 3.7 ms input-driven.
// - depthwise 3x3, 256 channels at 100x100 (posenet): dense cpu-native 3.1-4.1 ms, onnxruntime
//   5.8-6.8 ms. Delta: 5% in / 7.5% out 0.36 ms, 10% / 13% 0.56 ms, 50% / 61% 2.9 ms, 100%
//   3.9 ms: it breaks even with the native dense kernel near 90% active (1.1x at 100%) and always
//   beats onnxruntime's. Pointwise 1x1 256->256 there: dense cpu-native 15.5-20 ms; delta 10%
//   2.4 ms, 50% 11.4 ms, 100% 18.9 ms (one GEMM on the delta as it lies): no break-even.
// Past the break-even the output-driven path is the dense computation (every reached output from
// its full window), so no separate dense kernel is called. Those figures were taken with im2col
// and OpenBLAS; with the packed kernel and slabs (1 thread, CPU time, 3x3 64->64 at 144x192, same
// run, shared machine): everything active 34-35 ms against dense 33-34 ms (1.02-1.07x; 1.3-1.4x
// before), 50% blobs 24 ms against 29 ms before, 10% blobs 5.8 against 7.1 ms.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "delta_buffer.h"
#include "dense_packed_gemm.h"
#include "native_options.h"

namespace md {

struct ConvGeom {
  int64_t kh, kw, sh, sw, dh, dw, pt, pl, groups;
  int64_t cin, cout, cin_pg, cout_pg;
  int64_t batch, in_h, in_w, out_h, out_w;
};

// Weights re-laid out for the input-driven path, built once per weight array (cached in JS).
struct PackedConv {
  int64_t kh = 0, kw = 0, sh = 1, sw = 1, dh = 1, dw = 1, groups = 1, cin_pg = 0, cout = 0, cout_pg = 0;
  struct Class {
    int64_t taps = 0;    // taps congruent to this class
    int64_t offset = 0;  // into data: groups blocks of [cin_pg x taps*cout_pg]
  };
  std::vector<Class> classes;                    // sh*sw, index cy*sw + cx
  std::vector<int32_t> tap_class;                // per tap ky*kw+kx
  std::vector<int32_t> tap_slot;                 // the tap's column block inside its class
  std::vector<std::vector<int32_t>> class_taps;  // per class, its taps in kernel order
  std::vector<float> data;
  // The same products for the packed GEMM of dense_packed_gemm.h: per class and group (index k * groups + g) the [cin_pg x
  // taps*cout_pg] block of `data` for the input-driven path, and per group the HWIO weights as
  // the [taps*cin_pg x cout_pg] matrix the output-driven path multiplies its im2col rows by.
  std::vector<PackedB> class_gemm;
  std::vector<PackedB> window_gemm;
};

// Packs HWIO weights [kh, kw, cin_pg, cout] for the input-driven path (delta_conv2d_pack.cc).
std::unique_ptr<PackedConv> Pack(const float* w, int64_t kh, int64_t kw, int64_t cin_pg, int64_t cout, int64_t groups, int64_t sh,
                                 int64_t sw, int64_t dh, int64_t dw);

// The GEMM paths (delta_conv2d_gemm.cc) and the direct depthwise loops (delta_conv2d_depthwise.cc).
// Each fills the values of every output already listed in `out`.
bool PreferInputDriven(const ConvGeom& g, int64_t n_in, int64_t n_out);
void InputDriven(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out, const ConvOptions& options);
void OutputDriven(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out);
// The output-driven path on the packed kernel (needs pk.window_gemm): implicit GEMM over runs of
// reached outputs, no im2col (delta_conv2d_implicit.cc). Only where ImplicitSlabFits: its slab
// holds a whole window per output, which a large dilation would make huge.
bool ImplicitSlabFits(const ConvGeom& g);
void OutputDrivenImplicit(const ConvGeom& g, const PackedConv& pk, const DeltaView& x, DeltaView& out);
void Depthwise(const ConvGeom& g, const float* w, const DeltaView& x, DeltaView& out);

}  // namespace md
