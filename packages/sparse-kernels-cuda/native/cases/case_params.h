// Reads a case's attributes into the kernels' parameter structs: the one place that knows how the
// case writer names them, shared by the host test and the GPU driver.
#pragma once

#include "case_file.h"
#include "mdcuda/activation.h"
#include "mdcuda/binary.h"
#include "mdcuda/binary_delta.h"
#include "mdcuda/concat.h"
#include "mdcuda/conv2d.h"
#include "mdcuda/layout.h"
#include "mdcuda/matrix.h"
#include "mdcuda/pad.h"
#include "mdcuda/pool2d.h"
#include "mdcuda/reduce.h"
#include "mdcuda/resize.h"
#include "mdcuda/scale.h"

namespace mdcases {

/** Conv2D geometry from `in.x` [N,H,W,Cin], `in.w` [kh,kw,Cin/g,Cout] and the resolved attributes. */
inline mdcuda::Conv2dGeometry ConvGeometryOf(const CaseFile& c, const std::string& x_name) {
  const Array& x = c.arrays.at(x_name);
  const Array& w = c.F32("in.w");
  const std::vector<double>& out = c.Num("outShape");
  const std::vector<double>& strides = c.Num("strides");
  const std::vector<double>& dilations = c.Num("dilations");
  const std::vector<double>& pads = c.Num("pads");
  mdcuda::Conv2dGeometry g{};
  g.batch = static_cast<int>(x.dims.at(0));
  g.in_h = static_cast<int>(x.dims.at(1));
  g.in_w = static_cast<int>(x.dims.at(2));
  g.in_c = static_cast<int>(x.dims.at(3));
  g.out_h = static_cast<int>(out.at(1));
  g.out_w = static_cast<int>(out.at(2));
  g.out_c = static_cast<int>(out.at(3));
  g.kh = static_cast<int>(w.dims.at(0));
  g.kw = static_cast<int>(w.dims.at(1));
  g.sh = static_cast<int>(strides.at(0));
  g.sw = static_cast<int>(strides.at(1));
  g.dh = static_cast<int>(dilations.at(0));
  g.dw = static_cast<int>(dilations.at(1));
  g.pad_top = static_cast<int>(pads.at(0));
  g.pad_left = static_cast<int>(pads.at(1));
  g.groups = static_cast<int>(c.Num("groups").at(0));
  return g;
}

/**
 * The case's activation (`num act <code> <a> <b>`, PReLU slopes in `in.act.slope`), or none.
 * `slope` is where the slopes live for whoever runs it (host memory, or a device copy).
 */
inline mdcuda::Activation ActivationOf(const CaseFile& c, const float* slope) {
  auto it = c.nums.find("act");
  if (it == c.nums.end()) return mdcuda::Activation{mdcuda::ActKind::kNone, 0, 0, nullptr, 0};
  const std::vector<double>& v = it->second;
  const int code = static_cast<int>(v.at(0));
  if (code < 0 || code > mdcuda::kLastActKind) throw CaseError(c.path + ": unknown activation code " + std::to_string(code));
  const int slopes = c.Has("in.act.slope") ? static_cast<int>(c.F32("in.act.slope").Size()) : 0;
  return mdcuda::Activation{static_cast<mdcuda::ActKind>(code), v.size() > 1 ? v[1] : 0, v.size() > 2 ? v[2] : 0, slope, slopes};
}

/** Pool geometry from the input `x_name` [N,H,W,C] and the resolved attributes. */
inline mdcuda::PoolGeometry PoolGeometryOf(const CaseFile& c, const std::string& x_name) {
  const Array& x = c.arrays.at(x_name);
  const std::vector<double>& out = c.Num("outShape");
  const std::vector<double>& kernel = c.Num("kernel");
  const std::vector<double>& strides = c.Num("strides");
  const std::vector<double>& pads = c.Num("pads");
  mdcuda::PoolGeometry g{};
  g.batch = static_cast<int>(x.dims.at(0));
  g.in_h = static_cast<int>(x.dims.at(1));
  g.in_w = static_cast<int>(x.dims.at(2));
  g.channels = static_cast<int>(x.dims.at(3));
  g.out_h = static_cast<int>(out.at(1));
  g.out_w = static_cast<int>(out.at(2));
  g.kh = static_cast<int>(kernel.at(0));
  g.kw = static_cast<int>(kernel.at(1));
  g.sh = static_cast<int>(strides.at(0));
  g.sw = static_cast<int>(strides.at(1));
  g.pad_top = static_cast<int>(pads.at(0));
  g.pad_left = static_cast<int>(pads.at(1));
  g.pad_bottom = static_cast<int>(pads.at(2));
  g.pad_right = static_cast<int>(pads.at(3));
  g.count_include_pad = c.nums.count("countIncludePad") != 0 && c.Num("countIncludePad").at(0) != 0;
  return g;
}

/** numpy broadcasting of `in.a` and `in.b` to `out.y`'s shape: strides 0 along broadcast axes. */
inline mdcuda::BroadcastGeometry BroadcastGeometryOf(const CaseFile& c) {
  const std::vector<int64_t>& out = c.F32("out.y").dims;
  mdcuda::BroadcastGeometry g{};
  g.rank = static_cast<int>(out.size());
  if (g.rank > mdcuda::kMaxRank)
    throw CaseError(c.path + ": rank " + std::to_string(g.rank) + " is above " + std::to_string(mdcuda::kMaxRank));
  auto strides = [&](const std::vector<int64_t>& dims, int64_t* s) {
    int64_t stride = 1;
    for (int d = g.rank - 1; d >= 0; d--) {
      const int k = d - (g.rank - static_cast<int>(dims.size()));
      const int64_t size = k >= 0 ? dims[k] : 1;
      s[d] = size == 1 ? 0 : stride;
      stride *= size;
    }
  };
  for (int d = 0; d < g.rank; d++) g.out_dims[d] = out[d];
  strides(c.F32("in.a").dims, g.a_strides);
  strides(c.F32("in.b").dims, g.b_strides);
  return g;
}

/** A Resize's tap tables as the case carries them (core's resizeTaps and resizeInverseRanges). */
struct ResizeTables {
  std::vector<int> row_lo, row_hi, row_inverse, col_lo, col_hi, col_inverse;
  std::vector<double> row_weight, col_weight;
};

inline ResizeTables ResizeTablesOf(const CaseFile& c) {
  auto ints = [&](const std::string& key) {
    const std::vector<double>& v = c.Num(key);
    return std::vector<int>(v.begin(), v.end());
  };
  return ResizeTables{ints("rowLo"), ints("rowHi"),      ints("rowInverse"), ints("colLo"),
                      ints("colHi"), ints("colInverse"), c.Num("rowWeight"), c.Num("colWeight")};
}

/** Resize geometry over tables held by the caller (host vectors, or their device copies). */
inline mdcuda::ResizeGeometry ResizeGeometryOf(const std::vector<int64_t>& in, const std::vector<int64_t>& out, mdcuda::ResizeAxis rows,
                                               mdcuda::ResizeAxis cols) {
  return mdcuda::ResizeGeometry{static_cast<int>(in.at(0)),
                                static_cast<int>(in.at(1)),
                                static_cast<int>(in.at(2)),
                                static_cast<int>(in.at(3)),
                                static_cast<int>(out.at(1)),
                                static_cast<int>(out.at(2)),
                                rows,
                                cols};
}

/** An attribute list of integers (index tables: Pad maps, Resize taps). */
inline std::vector<int> IntsOf(const CaseFile& c, const std::string& key) {
  const std::vector<double>& v = c.Num(key);
  return std::vector<int>(v.begin(), v.end());
}

/** Dense Pad geometry over maps held by the caller. */
inline mdcuda::PadGeometry PadGeometryOf(const CaseFile& c, const int* maps) {
  const Array& x = c.F32("in.x");
  const Array& y = c.F32("out.y");
  mdcuda::PadGeometry g{};
  g.rank = static_cast<int>(x.dims.size());
  if (g.rank > mdcuda::kMaxRank || y.dims.size() != x.dims.size())
    throw CaseError(c.path + ": Pad of rank " + std::to_string(g.rank) + " not supported");
  int offset = 0;
  for (int d = 0; d < g.rank; d++) {
    g.in_dims[d] = x.dims[d];
    g.out_dims[d] = y.dims[d];
    g.map_offsets[d] = offset;
    offset += static_cast<int>(y.dims[d]);
  }
  g.maps = maps;
  g.value = static_cast<float>(c.Num("padValue").at(0));
  return g;
}

/** Pad-of-a-delta geometry over maps held by the caller. */
inline mdcuda::PadDeltaGeometry PadDeltaGeometryOf(const CaseFile& c, const int* rows, const int* cols, const int* row_inverse,
                                                   const int* col_inverse) {
  const std::vector<int64_t>& in = c.F32("in.x.values").dims;
  const std::vector<int64_t>& out = c.F32("out.delta.values").dims;
  return mdcuda::PadDeltaGeometry{static_cast<int>(in.at(0)),
                                  static_cast<int>(in.at(1)),
                                  static_cast<int>(in.at(2)),
                                  static_cast<int>(in.at(3)),
                                  static_cast<int>(out.at(1)),
                                  static_cast<int>(out.at(2)),
                                  rows,
                                  cols,
                                  row_inverse,
                                  col_inverse};
}

/**
 * Concat geometry: `concatAxis`, and inputs `in.x<j>` (dense) or `in.x<j>.values`/`.mask` (deltas;
 * a constant input has neither, only its channel count in `concatSizes`). `data`/`masks` are filled
 * by `where(name)`, which returns the array's address for whoever runs it (host or device).
 */
template <typename Where>
mdcuda::ConcatGeometry ConcatGeometryOf(const CaseFile& c, bool delta, Where where) {
  const std::vector<double>& sizes = c.Num("concatSizes");
  const int axis = static_cast<int>(c.Num("concatAxis").at(0));
  const std::vector<int64_t>& out = c.F32(delta ? "out.delta.values" : "out.y").dims;
  mdcuda::ConcatGeometry g{};
  g.inputs = static_cast<int>(sizes.size());
  if (g.inputs > mdcuda::kMaxConcatInputs) throw CaseError(c.path + ": more than 8 Concat inputs");
  g.outer = 1;
  g.inner = 1;
  for (int d = 0; d < axis; d++) g.outer *= out.at(d);
  for (size_t d = axis + 1; d < out.size(); d++) g.inner *= out[d];
  g.axis_total = out.at(axis);
  for (int j = 0; j < g.inputs; j++) {
    g.axis_sizes[j] = static_cast<int64_t>(sizes[j]);
    const std::string name = "in.x" + std::to_string(j);
    if (!delta) {
      g.data[j] = static_cast<const float*>(where(name));
    } else if (c.Has(name + ".values")) {
      g.data[j] = static_cast<const float*>(where(name + ".values"));
      g.masks[j] = static_cast<const uint8_t*>(where(name + ".mask"));
    }
  }
  return g;
}

/** BatchNorm's per-channel fold from `in.scale`, `in.bias`, `in.mean`, `in.variance` and `epsilon`. */
inline void BatchNormFoldOf(const CaseFile& c, std::vector<double>* mul, std::vector<double>* add) {
  const Array& scale = c.F32("in.scale");
  const Array& bias = c.F32("in.bias");
  const Array& mean = c.F32("in.mean");
  const Array& variance = c.F32("in.variance");
  const double epsilon = c.Num("epsilon").at(0);
  mul->resize(scale.f32.size());
  add->resize(scale.f32.size());
  for (size_t ch = 0; ch < scale.f32.size(); ch++)
    mdcuda::BatchNormFold(scale.f32[ch], bias.f32[ch], mean.f32[ch], variance.f32[ch], epsilon, &(*mul)[ch], &(*add)[ch]);
}

/**
 * The scaling of a linear Mul/Div/BatchNorm/Identity delta step: `mul` (BatchNorm's fold) or `k`
 * (the constant, with `kStrides`), in the memory of whoever runs it.
 */
inline mdcuda::ScaleGeometry ScaleGeometryOf(const CaseFile& c, const double* mul, const float* k) {
  const std::vector<int64_t>& dims = c.F32("in.x.values").dims;
  mdcuda::ScaleGeometry g{};
  g.height = static_cast<int>(dims.at(1));
  g.width = static_cast<int>(dims.at(2));
  g.channels = static_cast<int>(dims.at(3));
  g.mul = mul;
  g.k = k;
  if (k != nullptr) {
    const std::vector<double>& strides = c.Num("kStrides");
    for (int d = 0; d < 4; d++) g.k_strides[d] = static_cast<int64_t>(strides.at(d));
  }
  g.divide = c.op == "delta.linear.Div";
  return g;
}

/**
 * Binary delta geometry. Operand j (`a`, `b`) is varying when the case has `in.<x>.values` (its
 * delta) and `in.<x>.acc` (its accumulated values, which `data[j]` must point at), else constant
 * (`in.<x>`). `where(name)` gives an array's address for whoever runs it; strides come as
 * `aStrides`/`bStrides`.
 */
template <typename Where>
mdcuda::BinaryDeltaGeometry BinaryDeltaGeometryOf(const CaseFile& c, Where where) {
  const std::vector<int64_t>& out = c.F32("out.delta.values").dims;
  mdcuda::BinaryDeltaGeometry g{};
  g.out_n = static_cast<int>(out.at(0));
  g.out_h = static_cast<int>(out.at(1));
  g.out_w = static_cast<int>(out.at(2));
  g.channels = static_cast<int>(out.at(3));
  g.op = static_cast<mdcuda::BinaryOp>(static_cast<int>(c.Num("binop").at(0)));
  const char* names[2] = {"a", "b"};
  for (int j = 0; j < 2; j++) {
    const std::string base = std::string("in.") + names[j];
    const std::vector<double>& strides = c.Num(std::string(names[j]) + "Strides");
    for (int d = 0; d < 4; d++) g.strides[j][d] = static_cast<int64_t>(strides.at(d));
    if (c.Has(base + ".values")) {
      const std::vector<int64_t>& dims = c.F32(base + ".values").dims;
      for (int d = 0; d < 3; d++) g.dims[j][d] = static_cast<int>(dims.at(d));
      g.data[j] = static_cast<const float*>(where(base + ".acc"));
      g.mask[j] = static_cast<const uint8_t*>(where(base + ".mask"));
    } else {
      g.data[j] = static_cast<const float*>(where(base));
    }
  }
  return g;
}

/** Transpose geometry from `in.x`, `out.y` and `perm`. */
inline mdcuda::TransposeGeometry TransposeGeometryOf(const CaseFile& c) {
  const std::vector<int64_t>& in = c.F32("in.x").dims;
  const std::vector<int64_t>& out = c.F32("out.y").dims;
  const std::vector<double>& perm = c.Num("perm");
  mdcuda::TransposeGeometry g{};
  g.rank = static_cast<int>(out.size());
  if (g.rank > mdcuda::kMaxRank || perm.size() != out.size()) throw CaseError(c.path + ": bad Transpose rank or perm");
  std::vector<int64_t> in_strides(in.size(), 1);
  for (int d = static_cast<int>(in.size()) - 2; d >= 0; d--) in_strides[d] = in_strides[d + 1] * in[d + 1];
  for (int d = 0; d < g.rank; d++) {
    g.out_dims[d] = out[d];
    g.in_strides_by_out_axis[d] = in_strides.at(static_cast<size_t>(perm[d]));
  }
  return g;
}

/** Slice geometry from `in.x`, `out.y`, `sliceStart` and `sliceStep` (one per input axis). */
inline mdcuda::SliceGeometry SliceGeometryOf(const CaseFile& c) {
  const std::vector<int64_t>& in = c.F32("in.x").dims;
  const std::vector<int64_t>& out = c.F32("out.y").dims;
  const std::vector<double>& start = c.Num("sliceStart");
  const std::vector<double>& step = c.Num("sliceStep");
  mdcuda::SliceGeometry g{};
  g.rank = static_cast<int>(in.size());
  if (g.rank > mdcuda::kMaxRank || out.size() != in.size()) throw CaseError(c.path + ": bad Slice rank");
  int64_t stride = 1;
  for (int d = g.rank - 1; d >= 0; d--) {
    g.out_dims[d] = out[d];
    g.in_strides[d] = stride;
    stride *= in[d];
    g.start[d] = static_cast<int64_t>(start.at(d));
    g.step[d] = static_cast<int64_t>(step.at(d));
  }
  return g;
}

/** Softmax's outer / length / inner split of `in.x` around `axis`. */
inline void SoftmaxSplitOf(const CaseFile& c, int64_t* outer, int64_t* length, int64_t* inner) {
  const std::vector<int64_t>& dims = c.F32("in.x").dims;
  const int axis = static_cast<int>(c.Num("axis").at(0));
  *outer = 1;
  *inner = 1;
  for (int d = 0; d < axis; d++) *outer *= dims.at(d);
  for (size_t d = axis + 1; d < dims.size(); d++) *inner *= dims[d];
  *length = dims.at(axis);
}

/** Reduce geometry from `in.x`, `reduceKind` and `reduced` (one 0/1 per input axis). */
inline mdcuda::ReduceGeometry ReduceGeometryOf(const CaseFile& c) {
  const std::vector<int64_t>& dims = c.F32("in.x").dims;
  const std::vector<double>& reduced = c.Num("reduced");
  if (dims.size() > static_cast<size_t>(mdcuda::kMaxRank) || reduced.size() != dims.size()) throw CaseError(c.path + ": bad Reduce rank");
  mdcuda::ReduceGeometry g{};
  g.kind = static_cast<mdcuda::ReduceKind>(static_cast<int>(c.Num("reduceKind").at(0)));
  std::vector<int64_t> strides(dims.size(), 1);
  for (int d = static_cast<int>(dims.size()) - 2; d >= 0; d--) strides[d] = strides[d + 1] * dims[d + 1];
  g.group_size = 1;
  for (size_t d = 0; d < dims.size(); d++) {
    if (reduced[d] != 0) {
      g.reduced_dims[g.reduced] = dims[d];
      g.reduced_strides[g.reduced++] = strides[d];
      g.group_size *= dims[d];
    } else {
      g.kept_dims[g.kept] = dims[d];
      g.kept_strides[g.kept++] = strides[d];
    }
  }
  return g;
}

/** DepthToSpace / SpaceToDepth geometry: the deep side's shape, `blockSize` and `crd`. */
inline mdcuda::DepthSpaceGeometry DepthSpaceGeometryOf(const CaseFile& c) {
  const bool to_space = c.op == "dense.DepthToSpace";
  const std::vector<int64_t>& deep = c.F32(to_space ? "in.x" : "out.y").dims;
  return mdcuda::DepthSpaceGeometry{static_cast<int>(deep.at(0)), static_cast<int>(deep.at(1)),
                                    static_cast<int>(deep.at(2)), static_cast<int>(c.Num("blockSize").at(0)),
                                    static_cast<int>(deep.at(3)), c.Num("crd").at(0) != 0};
}

/** An f32 output shaped like `like`, zero-filled. */
inline Array F32Like(const Array& like) {
  Array a;
  a.type = "f32";
  a.dims = like.dims;
  a.f32.assign(static_cast<size_t>(like.Size()), 0.0f);
  return a;
}

/** A u8 pixel mask for an NHWC shape [N,H,W,C]: one byte per pixel. */
inline Array MaskFor(const std::vector<int64_t>& nhwc) {
  Array a;
  a.type = "u8";
  a.dims = {nhwc.at(0), nhwc.at(1), nhwc.at(2)};
  a.u8.assign(static_cast<size_t>(nhwc.at(0) * nhwc.at(1) * nhwc.at(2)), 0);
  return a;
}

}  // namespace mdcases
