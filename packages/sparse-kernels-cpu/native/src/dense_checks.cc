// The argument checks of the dense kernels (see dense_ops.h): every size a kernel derives from its
// geometry is computed here with overflow checks and compared with the arrays it will index.
#include <algorithm>
#include <string>

#include "checked_math.h"
#include "dense_conv2d.h"
#include "dense_ops.h"

namespace md {
namespace {

void ExpectCount(const std::vector<int64_t>& v, size_t count, const char* what) {
  if (v.size() != count)
    RangeFail(std::string(what) + " must hold " + std::to_string(count) + " integers, got " + std::to_string(v.size()));
}

void ExpectAtLeast(const std::vector<int64_t>& values, int64_t min, const char* what) {
  for (int64_t v : values) {
    if (v < min) RangeFail(std::string(what) + " holds " + std::to_string(v) + "; expected values >= " + std::to_string(min));
  }
}

// BLAS takes int dimensions.
void ExpectInt32(int64_t v, const char* what) {
  if (v > kMaxExtent) RangeFail(std::string(what) + " is " + std::to_string(v) + "; at most 2^31 - 1 is accepted");
}

ConvGeometry ReadConvGeometry(const std::vector<int64_t>& v, const char* kernel, bool transposed) {
  ExpectCount(v, ConvGeometry::kInts, "geometry");
  const ConvGeometry g = ConvGeometry::From(v);
  CheckConvGeometry(g, kernel, transposed);
  return g;
}

}  // namespace

void CheckConv2DPack(Conv2DArgs& a) {
  a.g = ReadConvGeometry(a.geometry, "conv2d", false);
  ExpectLength(a.w.length, a.g.weight_size(), "weight");
  if (a.bias.data) ExpectLength(a.bias.length, a.g.out_c, "bias");
}

void CheckConv2D(Conv2DArgs& a) {
  CheckConv2DPack(a);
  const ConvGeometry& g = a.g;
  ExpectLength(a.x.length, g.input_size(), "x");
  ExpectLength(a.out.length, g.output_size(), "out");
  CheckActivation(a.act, g.out_c);
  if (a.packed) {
    const PackedConvWeights& p = *a.packed;
    if (p.k != g.kh * g.kw * g.cin_per_group() || p.cout_g != g.cout_per_group() || p.groups != g.groups ||
        p.has_bias != (a.bias.data != nullptr) || static_cast<int64_t>(p.per_group.size()) != g.groups) {
      RangeFail("conv2d: packed weights were made for another geometry or bias");
    }
  }
}

int64_t Conv2DWork(const Conv2DArgs& a) { return SaturatingMul(a.g.output_size(), a.g.kh * a.g.kw * a.g.cin_per_group()) / 8; }

void CheckConvTranspose2D(ConvTranspose2DArgs& a) {
  a.g = ReadConvGeometry(a.geometry, "convTranspose2d", true);
  const ConvGeometry& g = a.g;
  ExpectLength(a.x.length, g.input_size(), "x");
  ExpectLength(a.w.length, g.kh * g.kw * g.in_c * (g.out_c / g.groups), "weight");
  if (a.bias.data) ExpectLength(a.bias.length, g.out_c, "bias");
  ExpectLength(a.out.length, g.output_size(), "out");
  CheckActivation(a.act, g.out_c);
}

void CheckPool2D(const Pool2DArgs& a) {
  ExpectCount(a.geometry, 14, "geometry");
  ExpectAtLeast(a.geometry, 0, "geometry");
  const auto& v = a.geometry;
  const int64_t batch = v[0], in_h = v[1], in_w = v[2], c = v[3], out_h = v[4], out_w = v[5], kh = v[6], kw = v[7], sh = v[8], sw = v[9];
  if (kh < 1 || kw < 1 || sh < 1 || sw < 1) RangeFail("pool2d: kernel and strides must be >= 1");
  if (a.kind != 0 && a.kind != 1) RangeFail("pool2d: kind must be 0 (max) or 1 (average)");
  for (int i = 1; i < 14; ++i) ExpectInt32(v[i], "a pool2d geometry value");
  CheckWindowSpan(out_h, kh, sh, 1, "the pooling's vertical window");
  CheckWindowSpan(out_w, kw, sw, 1, "the pooling's horizontal window");
  ExpectLength(a.x.length, CheckedProduct({batch, in_h, in_w, c}, "the input size"), "x");
  ExpectLength(a.out.length, CheckedProduct({batch, out_h, out_w, c}, "the output size"), "out");
}

void CheckGlobalAvgPool(const GlobalAvgPoolArgs& a) {
  if (a.batch < 0 || a.pixels < 0 || a.channels < 0) RangeFail("globalAvgPool: sizes must be >= 0");
  ExpectLength(a.x.length, CheckedProduct({a.batch, a.pixels, a.channels}, "the input size"), "x");
  ExpectLength(a.out.length, CheckedMul(a.batch, a.channels, "the output size"), "out");
}

void CheckActivationKernel(const ActivationArgs& a) {
  if (a.channels < 1 || a.x.length % static_cast<uint64_t>(a.channels) != 0)
    RangeFail("activation: channels must be >= 1 and divide the size of x");
  ExpectLength(a.out.length, static_cast<int64_t>(a.x.length), "out");
  CheckActivation(a.act, a.channels);
}

void CheckBatchNorm(const BatchNormArgs& a) {
  const size_t c = a.mul.length;
  if (c < 1 || a.add.length != c || a.x.length % c != 0) RangeFail("batchNorm: mul and add must have one value per channel of x");
  ExpectLength(a.out.length, static_cast<int64_t>(a.x.length), "out");
}

void CheckBinary(const BinaryArgs& a) {
  if (a.op < 0 || a.op > 5) RangeFail("binary: op must be 0 (Add), 1 (Sub), 2 (Mul), 3 (Div), 4 (Max) or 5 (Min)");
  if (a.shape.empty() || a.sa.size() != a.shape.size() || a.sb.size() != a.shape.size()) {
    RangeFail("binary: outShape (rank >= 1) and both stride lists must have the same length");
  }
  ExpectAtLeast(a.shape, 1, "outShape");
  ExpectAtLeast(a.sa, 0, "aStrides");
  ExpectAtLeast(a.sb, 0, "bStrides");
  int64_t size = 1, last_a = 0, last_b = 0;
  for (size_t d = 0; d < a.shape.size(); ++d) {
    size = CheckedMul(size, a.shape[d], "the output size");
    last_a = CheckedAdd(last_a, CheckedMul(a.shape[d] - 1, a.sa[d], "a's last offset"), "a's last offset");
    last_b = CheckedAdd(last_b, CheckedMul(a.shape[d] - 1, a.sb[d], "b's last offset"), "b's last offset");
  }
  ExpectLength(a.out.length, size, "out");
  if (last_a >= static_cast<int64_t>(a.a.length) || last_b >= static_cast<int64_t>(a.b.length))
    RangeFail("binary: strides reach past the end of an operand");
  CheckActivation(a.act, a.shape.back());
}

void CheckConcat(const ConcatArgs& a) {
  if (a.outer < 0 || a.chunks.size() != a.inputs.size()) RangeFail("concat: one chunk size per input and outer >= 0 are required");
  int64_t row = 0;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    if (a.chunks[i] < 0) RangeFail("concat: chunk sizes must be >= 0");
    ExpectLength(a.inputs[i].length, CheckedMul(a.outer, a.chunks[i], "a concat input's size"), "concat input");
    row = CheckedAdd(row, a.chunks[i], "the output row");
  }
  ExpectLength(a.out.length, CheckedMul(a.outer, row, "the output size"), "out");
}

void CheckPad(const PadArgs& a) {
  const size_t rank = a.shape.size();
  if (rank < 1 || a.strides.size() != rank) RangeFail("pad: outShape and inStrides must have the same rank >= 1");
  int64_t size = 1, total = 0, max_offset = 0;
  bool reads_x = true;  // false when some axis maps every output to the constant
  for (size_t d = 0; d < rank; ++d) {
    if (a.shape[d] < 0 || a.strides[d] < 0) RangeFail("pad: sizes and strides must be >= 0");
    size = CheckedMul(size, a.shape[d], "the output size");
    total = CheckedAdd(total, a.shape[d], "the index tables' size");
  }
  ExpectLength(a.maps.size(), total, "maps");
  ExpectLength(a.out.length, size, "out");
  int64_t start = 0;
  for (size_t d = 0; d < rank; ++d) {
    int64_t max_index = -1;
    for (int64_t i = 0; i < a.shape[d]; ++i) max_index = std::max<int64_t>(max_index, a.maps[static_cast<size_t>(start + i)]);
    if (max_index < 0)
      reads_x = false;
    else
      max_offset = CheckedAdd(max_offset, CheckedMul(max_index, a.strides[d], "pad's largest input offset"), "pad's largest input offset");
    start += a.shape[d];
  }
  if (size > 0 && reads_x && max_offset >= static_cast<int64_t>(a.x.length)) RangeFail("pad: the index tables reach past the end of x");
}

void CheckResize(const ResizeArgs& a) {
  ExpectCount(a.geometry, 6, "geometry");
  ExpectAtLeast(a.geometry, 0, "geometry");
  const auto& v = a.geometry;
  const int64_t batch = v[0], in_h = v[1], in_w = v[2], c = v[3], out_h = v[4], out_w = v[5];
  ExpectLength(a.x.length, CheckedProduct({batch, in_h, in_w, c}, "the input size"), "x");
  ExpectLength(a.out.length, CheckedProduct({batch, out_h, out_w, c}, "the output size"), "out");
  ExpectLength(a.row_lo.length, out_h, "rowLo");
  ExpectLength(a.row_hi.length, out_h, "rowHi");
  ExpectLength(a.row_weight.length, out_h, "rowWeight");
  ExpectLength(a.col_lo.length, out_w, "colLo");
  ExpectLength(a.col_hi.length, out_w, "colHi");
  ExpectLength(a.col_weight.length, out_w, "colWeight");
  for (int64_t i = 0; i < out_h; ++i) {
    if (a.row_lo.data[i] < 0 || a.row_lo.data[i] >= in_h || a.row_hi.data[i] < 0 || a.row_hi.data[i] >= in_h)
      RangeFail("resize: a row tap is outside the input");
  }
  for (int64_t i = 0; i < out_w; ++i) {
    if (a.col_lo.data[i] < 0 || a.col_lo.data[i] >= in_w || a.col_hi.data[i] < 0 || a.col_hi.data[i] >= in_w)
      RangeFail("resize: a column tap is outside the input");
  }
}

void CheckGemm(const GemmArgs& a) {
  ExpectCount(a.geometry, 7, "geometry");
  ExpectAtLeast(a.geometry, 0, "geometry");
  const auto& g = a.geometry;
  const int64_t m = g[0], k = g[1], n = g[2], c_row = g[5], c_col = g[6];
  ExpectInt32(m, "gemm's m");
  ExpectInt32(k, "gemm's k");
  ExpectInt32(n, "gemm's n");
  ExpectLength(a.a.length, m * k, "a");
  ExpectLength(a.b.length, k * n, "b");
  ExpectLength(a.out.length, m * n, "out");
  if (a.c.data && m > 0 && n > 0) {
    const int64_t last =
        CheckedAdd(CheckedMul(m - 1, c_row, "C's last offset"), CheckedMul(n - 1, c_col, "C's last offset"), "C's last offset");
    if (last >= static_cast<int64_t>(a.c.length)) RangeFail("gemm: C's strides reach past its end");
  }
  CheckActivation(a.act, n);
}

void CheckMatMul(const MatMulArgs& a) {
  ExpectCount(a.geometry, 5, "geometry");
  ExpectAtLeast(a.geometry, 0, "geometry");
  const auto& g = a.geometry;
  const int64_t m = g[0], k = g[1], n = g[2], batches = g[3], channels = g[4];
  ExpectInt32(m, "matmul's m");
  ExpectInt32(k, "matmul's k");
  ExpectInt32(n, "matmul's n");
  ExpectLength(a.a_offsets.size(), batches, "aOffsets");
  ExpectLength(a.b_offsets.size(), batches, "bOffsets");
  const int64_t size = CheckedProduct({batches, m, n}, "the output size");
  ExpectLength(a.out.length, size, "out");
  for (int64_t i = 0; i < batches; ++i) {
    const int64_t ao = a.a_offsets[static_cast<size_t>(i)], bo = a.b_offsets[static_cast<size_t>(i)];
    if (ao < 0 || ao > static_cast<int64_t>(a.a.length) - m * k || bo < 0 || bo > static_cast<int64_t>(a.b.length) - k * n) {
      RangeFail("matmul: a batch offset reaches past the end of an operand");
    }
  }
  if (channels < 1 || size % channels != 0) RangeFail("matmul: channels must divide the output size");
  CheckActivation(a.act, channels);
}

void CheckTranspose(const TransposeArgs& a) {
  const size_t rank = a.shape.size();
  if (rank < 1 || a.perm.size() != rank) RangeFail("transpose: shape (rank >= 1) and perm must have the same length");
  std::vector<bool> seen(rank, false);
  for (int64_t p : a.perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(p)]) RangeFail("transpose: perm is not a permutation");
    seen[static_cast<size_t>(p)] = true;
  }
  int64_t size = 1;
  for (int64_t d : a.shape) {
    if (d < 0) RangeFail("transpose: sizes must be >= 0");
    size = CheckedMul(size, d, "the transpose's size");
  }
  ExpectLength(a.x.length, size, "x");
  ExpectLength(a.out.length, size, "out");
}

void CheckSoftmax(const SoftmaxArgs& a) {
  if (a.outer < 0 || a.length < 0 || a.inner < 0) RangeFail("softmax: sizes must be >= 0");
  const int64_t size = CheckedProduct({a.outer, a.length, a.inner}, "the softmax's size");
  ExpectLength(a.x.length, size, "x");
  ExpectLength(a.out.length, size, "out");
}

void CheckStridedCopy(const StridedCopyArgs& a) {
  const size_t rank = a.shape.size();
  if (rank < 1 || a.strides.size() != rank) RangeFail("stridedCopy: outShape (rank >= 1) and inStrides must have the same length");
  ExpectAtLeast(a.shape, 0, "outShape");
  int64_t size = 1;
  for (int64_t d : a.shape) size = CheckedMul(size, d, "the output size");
  ExpectLength(a.out.length, size, "out");
  if (size == 0) return;
  // The lowest and highest offsets read: each axis moves them by (n - 1) * stride, down or up.
  int64_t lo = a.base, hi = a.base;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t reach = CheckedMul(a.shape[d] - 1, a.strides[d], "stridedCopy's reach");
    if (reach < 0)
      lo = CheckedAdd(lo, reach, "stridedCopy's lowest offset");
    else
      hi = CheckedAdd(hi, reach, "stridedCopy's highest offset");
  }
  if (lo < 0 || hi >= static_cast<int64_t>(a.x.length)) RangeFail("stridedCopy: base and strides reach outside x");
}

void CheckReduce(const ReduceArgs& a) {
  if (a.kind < 0 || a.kind > 9) RangeFail("reduce: kind must be an integer from 0 to 9");
  const size_t rank = a.shape.size();
  if (rank < 1 || a.reduced.size() != rank) RangeFail("reduce: shape (rank >= 1) and reduced must have the same length");
  ExpectAtLeast(a.shape, 0, "shape");
  int64_t size = 1, kept = 1;
  for (size_t d = 0; d < rank; ++d) {
    if (a.reduced[d] != 0 && a.reduced[d] != 1) RangeFail("reduce: reduced flags must be 0 or 1");
    size = CheckedMul(size, a.shape[d], "the input size");
    if (a.reduced[d] == 0) kept = CheckedMul(kept, a.shape[d], "the output size");
  }
  ExpectLength(a.x.length, size, "x");
  ExpectLength(a.out.length, kept, "out");
}

}  // namespace md
