// The dense kernels as plain C++, one argument struct per kernel.
//
// Check* refuses (ArgError) anything that could make Run* index outside its arrays or overflow a
// size; Run* may only be called on arguments Check* accepted. The N-API entries
// (napi_dense_entries.cc) fill the structs from JavaScript values and call both; the fuzz
// harnesses (native/fuzz) fill them from fuzz input and call the same two functions, so what is
// fuzzed is what the addon runs. Geometry vectors arrive unchecked, with whatever length the
// caller gave; the checks judge their lengths too.
#pragma once

#include <cstdint>
#include <vector>

#include "common_activation.h"
#include "common_conv_geometry.h"
#include "dense_packed_gemm.h"
#include "native_options.h"
#include "spans.h"

namespace md {

struct PackedConvWeights;

// conv2d: x [N,H,W,Cin], weight [kh, kw, Cin/g, Cout], bias [Cout] or empty (data null), out.
struct Conv2DArgs {
  F32Span x, w, bias, out;
  std::vector<int64_t> geometry;  // ConvGeometry::kInts integers
  Activation act;
  const PackedConvWeights* packed = nullptr;  // from conv2dPackWeights, or null
  ConvOptions options;
  ConvGeometry g{};  // set by CheckConv2D
};
void CheckConv2D(Conv2DArgs& a);
void RunConv2D(const Conv2DArgs& a);
// Inline-or-worker work estimate (see RunInline).
int64_t Conv2DWork(const Conv2DArgs& a);

// conv2dPackWeights: the weight and bias checks of conv2d, without x and out.
void CheckConv2DPack(Conv2DArgs& a);

// convTranspose2d: weight [kh, kw, Cin, Cout/g].
struct ConvTranspose2DArgs {
  F32Span x, w, bias, out;
  std::vector<int64_t> geometry;
  Activation act;
  // Per tap, the weights packed for the tiling path (kernel = stride; see ConvTranspose2DTaps), made
  // once by a compiled program; null: packed on every call.
  const std::vector<PackedB>* taps = nullptr;
  ConvGeometry g{};
};
void CheckConvTranspose2D(ConvTranspose2DArgs& a);
void RunConvTranspose2D(const ConvTranspose2DArgs& a);
// The per-tap packed weights of the tiling path (empty when the geometry does not take it).
std::vector<PackedB> ConvTranspose2DTaps(const ConvTranspose2DArgs& a);

// pool2d: geometry [batch, inH, inW, C, outH, outW, kh, kw, sh, sw, padTop, padLeft, padBottom, padRight].
struct Pool2DArgs {
  F32Span x, out;
  std::vector<int64_t> geometry;
  int32_t kind = 0;  // 0 max, 1 average
  bool count_include_pad = false;
};
void CheckPool2D(const Pool2DArgs& a);
void RunPool2D(const Pool2DArgs& a);

struct GlobalAvgPoolArgs {
  F32Span x, out;
  int64_t batch = 0, pixels = 0, channels = 0;
};
void CheckGlobalAvgPool(const GlobalAvgPoolArgs& a);
void RunGlobalAvgPool(const GlobalAvgPoolArgs& a);

struct ActivationArgs {
  F32Span x, out;
  int64_t channels = 1;
  Activation act;
};
void CheckActivationKernel(const ActivationArgs& a);
void RunActivation(const ActivationArgs& a);

// batchNorm: out = x * mul[c] + add[c], c the last axis.
struct BatchNormArgs {
  F32Span x, out, mul, add;
};
void CheckBatchNorm(const BatchNormArgs& a);
void RunBatchNorm(const BatchNormArgs& a);

// binary: op 0 Add, 1 Sub, 2 Mul, 3 Div, 4 Max, 5 Min (NaN propagates, as Math.max/min); operands
// read with their own strides (0 when broadcast).
struct BinaryArgs {
  F32Span a, b, out;
  int32_t op = 0;
  std::vector<int64_t> shape, sa, sb;
  Activation act;
};
void CheckBinary(const BinaryArgs& a);
void RunBinary(const BinaryArgs& a);

// concat: `outer` rows, each the concatenation of every input's `chunks[i]` values.
struct ConcatArgs {
  std::vector<F32Span> inputs;
  std::vector<int64_t> chunks;
  F32Span out;
  int64_t outer = 0;
};
void CheckConcat(const ConcatArgs& a);
void RunConcat(const ConcatArgs& a);

// pad: maps concatenates, per axis, output index -> input index (negative: the constant value).
struct PadArgs {
  F32Span x, out;
  std::vector<int64_t> shape, strides;
  std::vector<int32_t> maps;
  float value = 0.f;
};
void CheckPad(const PadArgs& a);
void RunPad(const PadArgs& a);

// resize: geometry [batch, inH, inW, C, outH, outW]; taps per output row and column.
struct ResizeArgs {
  F32Span x, out;
  std::vector<int64_t> geometry;
  I32Span row_lo, row_hi, col_lo, col_hi;
  F32Span row_weight, col_weight;
};
void CheckResize(const ResizeArgs& a);
void RunResize(const ResizeArgs& a);

// gemm: geometry [m, k, n, transA, transB, cRowStride, cColStride]; out = alpha op(A) op(B) + beta C.
struct GemmArgs {
  F32Span a, b, c, out;  // c may be empty (data null)
  std::vector<int64_t> geometry;
  float alpha = 1.f, beta = 0.f;
  Activation act;
};
void CheckGemm(const GemmArgs& a);
void RunGemm(const GemmArgs& a);

// matmul: geometry [m, k, n, batches, channels]; per batch, A and B start at the given offsets.
struct MatMulArgs {
  F32Span a, b, out;
  std::vector<int64_t> geometry;
  std::vector<int64_t> a_offsets, b_offsets;
  Activation act;
};
void CheckMatMul(const MatMulArgs& a);
void RunMatMul(const MatMulArgs& a);

// transpose: output axis i is input axis perm[i]; `shape` is the input's shape (rank >= 1).
struct TransposeArgs {
  F32Span x, out;
  std::vector<int64_t> shape, perm;
};
void CheckTranspose(const TransposeArgs& a);
void RunTranspose(const TransposeArgs& a);

// softmax along one axis: x viewed as [outer, length, inner], normalized over `length`.
struct SoftmaxArgs {
  F32Span x, out;
  int64_t outer = 0, length = 0, inner = 0;
};
void CheckSoftmax(const SoftmaxArgs& a);
void RunSoftmax(const SoftmaxArgs& a);

// stridedCopy: out[i_0, ..., i_r-1] = x[base + sum_d i_d * strides[d]], `shape` the output's (rank
// >= 1), strides signed. Slice (negative steps read backwards), DepthToSpace and SpaceToDepth (a
// transpose of the block axes) are all this gather.
struct StridedCopyArgs {
  F32Span x, out;
  std::vector<int64_t> shape, strides;
  int64_t base = 0;
};
void CheckStridedCopy(const StridedCopyArgs& a);
void RunStridedCopy(const StridedCopyArgs& a);

// reduce: x of shape `shape` (rank >= 1), reduced along the axes whose `reduced` flag is 1; out
// holds the kept axes in order. kind: 0 mean, 1 max, 2 min, 3 sum, 4 prod, 5 l1, 6 l2, 7 sumSquare,
// 8 logSum, 9 logSumExp. Each output accumulates its group in double, in the input's storage order,
// as the reference kernel does.
struct ReduceArgs {
  F32Span x, out;
  std::vector<int64_t> shape, reduced;
  int32_t kind = 0;
};
void CheckReduce(const ReduceArgs& a);
void RunReduce(const ReduceArgs& a);

}  // namespace md
