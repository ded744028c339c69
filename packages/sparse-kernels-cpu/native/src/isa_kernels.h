// The kernels compiled once per instruction set, and the plain arguments they take.
//
// The addon is built for the x86-64 baseline; only the files named *_avx2.cc are compiled with
// -mavx2 -mfma (native/CMakeLists.txt). Their code is reached only through the function table
// that cpu_isa.cc fills once, at load, from what the CPU supports (cpu_isa.h), so nothing built
// for AVX2 runs on a CPU without it.
//
// The rule that keeps that true: an ISA-specific file defines functions in its own namespace
// (md::avx2, md::baseline) and calls no inline function of a shared header (no std::vector, no
// std::min, no member functions of the kernels' structs). An inline function it did call could be
// emitted there, compiled for AVX2, and the linker could then hand that one copy to baseline
// callers as well. Hence the arguments below are plain structs of pointers and sizes, and this
// header has no inline code. test/cpu-dispatch.test.ts disassembles the addon and checks that AVX
// instructions occur only in md::avx2 functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace md {

// A PackedB (dense_packed_gemm.h) seen as arrays: `panels` panels of `k` rows, panel p of width
// panel_width[p] (16 or 8) at data + panel_offset[p], covering columns [panel_col[p],
// panel_col[p] + panel_cols[p]) of C. `bias` (null without bias) holds the panels' padded bias.
struct PackedPanels {
  const float* data;
  std::size_t data_floats;
  const float* bias;
  const int64_t* panel_offset;
  const int64_t* panel_col;
  const int32_t* panel_width;
  const int32_t* panel_cols;
  std::size_t panels;
  int64_t k;
};

// One output row of a depthwise convolution with channel multiplier 1 (dense_conv2d_depthwise.cc):
// NHWC x, weights [kh, kw, c], bias (may be null).
struct DepthwiseRowArgs {
  int64_t in_h, in_w, c, out_w, kh, kw, sh, sw, dh, dw, pad_top, pad_left;
  const float* x;
  const float* w;
  const float* bias;
};

// The listed outputs of a depthwise delta convolution (delta_conv2d_depthwise.cc): output channel
// co reads input channel co / m; inactive input pixels (mask 0) read as zero.
struct DeltaDepthwiseArgs {
  int64_t kh, kw, sh, sw, dh, dw, pt, pl, cin, cout, m, in_h, in_w, out_h, out_w;
  const float* w;
  const float* x_values;
  const uint8_t* x_mask;
  const int32_t* out_active;
  float* out_values;
};

// Accumulate-and-truncate through an activation (delta_activation.cc) at the listed pixels
// pixels[begin .. end): per pixel p, accumulated += in; y = act(accumulated), written to out; keep[i]
// = whether max over channels |y - emitted| > threshold (compared in double, a NaN difference above
// every threshold), and then out = y - emitted and emitted = y. `in` may equal `out`; c > 0. Only
// the kinds whose vector evaluation is exactly the reference's (double, rounded to float) take
// this kernel: relu; clip and leakyRelu whose bounds or alpha are floats (`lo`, `hi`), and prelu,
// where the float product of two floats is their exact (double) product rounded; hardSwish,
// evaluated in double lanes. The other kinds, and the baseline ISA, run the scalar loop.
struct DeltaActPixelsArgs {
  int32_t kind;        // DeltaActKind (delta_activation_fn.h): Relu, Clip, LeakyRelu, Prelu or HardSwish
  float lo, hi;        // clip min and max; leakyRelu alpha in lo
  const float* slope;  // prelu: 1 value (slope_len 1) or one per channel
  int64_t slope_len;
  int64_t c;
  double threshold;
  const float* in;
  float* out;
  float* accumulated;
  float* emitted;
  const int32_t* pixels;
  uint8_t* keep;  // keep[i] for pixels[i]
};

namespace avx2 {

// dense_packed_gemm_avx2.cc: the 6x16 FMA register-tile GEMM (see dense_packed_gemm.h for what
// each computes).
void PackedGemmTaps(const PackedPanels& b, const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* c, int64_t ldc);
void PackedGemmRows(const PackedPanels& b, const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* const* c_rows);
void PackedGemmPanels(const PackedPanels& b, const float* a, int64_t lda, std::size_t p0, std::size_t p1, int64_t m, float* c, int64_t ldc);

// dense_conv2d_depthwise_avx2.cc, delta_conv2d_depthwise_avx2.cc.
void DepthwiseRow(const DepthwiseRowArgs& a, float* orow, int64_t n, int64_t oy);
void DeltaDepthwise(const DeltaDepthwiseArgs& a, int64_t begin, int64_t end, int64_t* tap_pixel, int64_t* tap_index);

// delta_activation_avx2.cc: pixels[begin .. end) of DeltaActPixelsArgs.
void DeltaActivationPixels(const DeltaActPixelsArgs& a, int64_t begin, int64_t end);

}  // namespace avx2

namespace baseline {

// The same kernels for the x86-64 baseline (SSE2): the packed GEMM with a 3x16 tile
// (dense_packed_gemm_baseline.cc) and the depthwise loops (dense_conv2d_depthwise.cc,
// delta_conv2d_depthwise.cc).
void PackedGemmTaps(const PackedPanels& b, const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* c, int64_t ldc);
void PackedGemmRows(const PackedPanels& b, const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                    float* const* c_rows);
void PackedGemmPanels(const PackedPanels& b, const float* a, int64_t lda, std::size_t p0, std::size_t p1, int64_t m, float* c, int64_t ldc);
void DepthwiseRow(const DepthwiseRowArgs& a, float* orow, int64_t n, int64_t oy);
void DeltaDepthwise(const DeltaDepthwiseArgs& a, int64_t begin, int64_t end, int64_t* tap_pixel, int64_t* tap_index);

}  // namespace baseline

}  // namespace md
