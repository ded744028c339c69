// The delta kernels as plain C++, one argument struct per kernel (see dense_ops.h for the
// contract): Check* refuses (ArgError) what could make Run* index outside its arrays, and fills in
// what it derives (the geometry structs); Run* returns the output's new active count. The N-API
// entries (napi_delta_entries.cc) and the fuzz harnesses call the same two functions.
#pragma once

#include <cstdint>
#include <vector>

#include "delta_activation_fn.h"
#include "delta_buffer.h"
#include "delta_conv2d.h"
#include "native_options.h"
#include "spans.h"

namespace md {

// Active where max_c |x - reference| > threshold; the reference takes x there.
struct SparsifyArgs {
  F32Span x, reference;
  double threshold = 0;
  DeltaView out;
};
void CheckSparsify(SparsifyArgs& a);
int64_t RunSparsify(SparsifyArgs& a);

// target += delta at the active pixels.
struct AccumulateArgs {
  DeltaView delta;
  F32Span target;
};
void CheckAccumulate(AccumulateArgs& a);
int64_t RunAccumulate(AccumulateArgs& a);

// kind: see DeltaActKind; slope: PReLU slopes (1 or one per channel), else ignored.
struct DeltaActivationArgs {
  DeltaView in;
  int32_t kind = 0;
  double a = 0, b = 0;
  F32Span slope, accumulated, emitted;
  double threshold = 0;
  DeltaView out;
  ActSpec spec;  // set by CheckDeltaActivation
};
void CheckDeltaActivation(DeltaActivationArgs& a);
int64_t RunDeltaActivation(DeltaActivationArgs& a);

// dims: [kh, kw, Cin/groups, Cout, groups, strideH, strideW, dilationH, dilationW].
struct DeltaPackArgs {
  F32Span w;
  std::vector<int64_t> dims;
};
void CheckDeltaPack(const DeltaPackArgs& a);
std::unique_ptr<PackedConv> RunDeltaPack(const DeltaPackArgs& a);

// geom: [kh, kw, strideH, strideW, dilationH, dilationW, padTop, padLeft, groups];
// path: 0 auto, 1 input-driven (needs packed), 2 output-driven.
struct DeltaConv2dArgs {
  DeltaView x;
  F32Span w;
  const PackedConv* packed = nullptr;
  std::vector<int64_t> geom;
  DeltaView out;
  int32_t path = 0;
  ConvOptions options;
  ConvGeom g{};  // set by CheckDeltaConv2d
};
void CheckDeltaConv2d(DeltaConv2dArgs& a);
int64_t RunDeltaConv2d(DeltaConv2dArgs& a);
int64_t DeltaConv2dWork(const DeltaConv2dArgs& a);

// geom as Conv2D's; weight [kh, kw, Cin, Cout/groups].
struct DeltaConvTransposeArgs {
  DeltaView x;
  F32Span w;
  std::vector<int64_t> geom;
  DeltaView out;
  ConvGeom g{};
};
void CheckDeltaConvTranspose(DeltaConvTransposeArgs& a);
int64_t RunDeltaConvTranspose(DeltaConvTransposeArgs& a);

struct DeltaPoolGeom {
  int64_t kh, kw, sh, sw, pt, pl, pb, pr;
  bool count_include_pad;
  int64_t in_h, in_w, out_h, out_w;
};

// geom: [kh, kw, strideH, strideW, padTop, padLeft, padBottom, padRight, countIncludePad]. Max
// pooling also takes the accumulated input and the emitted output (truncation state).
struct DeltaPoolArgs {
  DeltaView x;
  std::vector<int64_t> geom;
  DeltaView out;
  F32Span accumulated, emitted;
  double threshold = 0;
  DeltaPoolGeom g{};
};
void CheckDeltaAvgPool(DeltaPoolArgs& a);
int64_t RunDeltaAvgPool(DeltaPoolArgs& a);
void CheckDeltaMaxPool(DeltaPoolArgs& a);
int64_t RunDeltaMaxPool(DeltaPoolArgs& a);
int64_t DeltaPoolWork(const DeltaPoolArgs& a, bool is_max);

struct DeltaGlobalAvgPoolArgs {
  DeltaView x, out;
};
void CheckDeltaGlobalAvgPool(DeltaGlobalAvgPoolArgs& a);
int64_t RunDeltaGlobalAvgPool(DeltaGlobalAvgPoolArgs& a);

// mode 0: out = sign * x; 1: x * k; 2: x / k (k read with k_strides in the output's NHWC frame);
// 3: x * mul[c] in double.
struct DeltaScaleArgs {
  DeltaView x, out;
  int32_t mode = 0;
  float sign = 1.f;
  F32Span k;
  I32Span k_strides;
  F64Span mul;
};
void CheckDeltaScale(DeltaScaleArgs& a);
int64_t RunDeltaScale(DeltaScaleArgs& a);

// out = a + sign_b * b over the union of both masks.
struct DeltaAddDeltasArgs {
  DeltaView a, b;
  float sign_b = 1.f;
  DeltaView out;
};
void CheckDeltaAddDeltas(DeltaAddDeltasArgs& a);
int64_t RunDeltaAddDeltas(DeltaAddDeltasArgs& a);

// Channel concatenation: part i lands at channel offsets[i].
struct DeltaConcatArgs {
  std::vector<DeltaView> parts;
  std::vector<int64_t> offsets;
  DeltaView out;
};
void CheckDeltaConcat(DeltaConcatArgs& a);
int64_t RunDeltaConcat(DeltaConcatArgs& a);

// Per axis: taps lo/hi/weight per output, and per input the [first, last] output reading it.
struct DeltaResizeAxis {
  I32Span lo, hi;
  F64Span weight;
  I32Span range;
};
struct DeltaResizeArgs {
  DeltaView x;
  DeltaResizeAxis rows, cols;
  DeltaView out;
};
void CheckDeltaResize(DeltaResizeArgs& a);
int64_t RunDeltaResize(DeltaResizeArgs& a);

// Per axis: output -> input map (-1: the pad constant), and the CSR of outputs per input.
struct DeltaPadAxis {
  I32Span map, start, outputs;
};
struct DeltaPadArgs {
  DeltaView x;
  DeltaPadAxis rows, cols;
  DeltaView out;
};
void CheckDeltaPad(DeltaPadArgs& a);
int64_t RunDeltaPad(DeltaPadArgs& a);

// A binary op's operand: a varying one has its delta and its accumulated values as data; a
// constant has only data. strides: 4, in the output's NHWC frame (0 where broadcast).
struct DeltaOperand {
  bool varying = false;
  DeltaView delta;
  F32Span data;
  I32Span strides;
};
// op: 0 Add, 1 Sub, 2 Mul, 3 Div.
struct DeltaBinaryArgs {
  int32_t op = 0;
  DeltaOperand a, b;
  F32Span emitted;
  double threshold = 0;
  DeltaView out;
};
void CheckDeltaBinary(DeltaBinaryArgs& a);
int64_t RunDeltaBinary(DeltaBinaryArgs& a);
int64_t DeltaBinaryWork(const DeltaBinaryArgs& a);

}  // namespace md
