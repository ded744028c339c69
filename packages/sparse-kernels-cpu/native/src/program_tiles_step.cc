// Block mode's `tiles` steps in a compiled program: a dense op recomputed only on the executed
// blocks' rectangles of a persistent NHWC map (docs/architecture/block-mode.md), the rectangles
// derived natively from the frame's block mask (tile_rects.h), so that a block-mode frame is one
// native call like any other program.
//
// StepSpec of a tiles step (encoder: src/program/encode-tiles-step.ts): op and attributes are those
// of the dense step over the whole map (program_dense_steps.cc), operands are the block mask then
// the dense step's operands (inputs..., output), and three f64 tables are appended: the row spans
// and the column spans of the blocks on the output map ([from, to) pairs), and [form].
//
// How a rectangle is computed, by form (the results equal the host's runTilesStep bit for bit):
// - window (Conv2D, Pool2D): the kernel runs on the input window under the rectangle, halo
//   included, clipped to the image, with the op's padding only on the sides where the window left
//   the image (the geometry's input size, output size and pads rewritten per rectangle);
// - pointwise (Activation, BatchNorm, Binary, channel Concat and Softmax, Identity): the kernel runs
//   on the same rectangle of every spatial operand (Binary reads the maps in place with strides);
// - whole (anything else): the op over the whole map into scratch, the rectangles copied out.
// A rectangle whose rows are whole rows of a single-image map is contiguous: it is read and
// written in place, with no copy. A fully executed frame runs the whole-map kernel straight into
// the output, as a dense step would.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "arg_error.h"
#include "program_dense_kernel.h"
#include "program_step.h"
#include "tile_rects.h"

namespace md {
namespace {

enum class TileForm : int32_t { kWindow = 0, kPointwise = 1, kWhole = 2 };

// An NHWC map's dimensions.
struct Map {
  int64_t n = 0, h = 0, w = 0, c = 0;
  int64_t Size() const { return n * h * w * c; }
};

Map MapOf(const ValueSpec& v, const std::string& node) {
  if (v.shape.size() != 4) RangeFail("tiles step of node '" + node + "': '" + v.name + "' is not an NHWC map");
  return {v.shape[0], v.shape[1], v.shape[2], v.shape[3]};
}

std::vector<TileSpan> SpansOf(const std::vector<double>& flat, int64_t extent, const std::string& node) {
  if (flat.size() % 2 != 0) RangeFail("tiles step of node '" + node + "': spans must be [from, to) pairs");
  std::vector<TileSpan> spans;
  for (size_t i = 0; i < flat.size(); i += 2) {
    const double from = flat[i], to = flat[i + 1];
    if (!(from >= 0 && from <= to && to <= static_cast<double>(extent)) || from != static_cast<double>(static_cast<int64_t>(from)) ||
        to != static_cast<double>(static_cast<int64_t>(to))) {
      RangeFail("tiles step of node '" + node + "': a span lies outside the map's " + std::to_string(extent) + " pixels");
    }
    spans.push_back({static_cast<int64_t>(from), static_cast<int64_t>(to)});
  }
  return spans;
}

// Rows [r.y0, r.y1) and columns [r.x0, r.x1) of every image of `m` (data `src`), made contiguous:
// a pointer into `src` when they already are (one image, whole rows), else copied to `dst`.
const float* Crop(const float* src, const Map& m, const TileRect& r, float* dst) {
  const int64_t row = (r.x1 - r.x0) * m.c;
  if (m.n == 1 && r.x0 == 0 && r.x1 == m.w) return src + r.y0 * m.w * m.c;
  for (int64_t b = 0; b < m.n; ++b) {
    for (int64_t y = r.y0; y < r.y1; ++y) {
      std::memcpy(dst, src + ((b * m.h + y) * m.w + r.x0) * m.c, static_cast<size_t>(row) * sizeof(float));
      dst += row;
    }
  }
  return dst - m.n * (r.y1 - r.y0) * row;
}

// Writes rectangle `r` of the map `m` (data `dst`) from `src`, whose pixel (sy, sx) of a map of
// `sh` x `sw` goes to the rectangle's corner. Nothing to do when `src` already is that place.
void Paste(const float* src, int64_t sh, int64_t sw, int64_t sy, int64_t sx, const Map& m, const TileRect& r, float* dst) {
  const int64_t row = (r.x1 - r.x0) * m.c;
  for (int64_t b = 0; b < m.n; ++b) {
    for (int64_t y = r.y0; y < r.y1; ++y) {
      const float* from = src + ((b * sh + sy + y - r.y0) * sw + sx) * m.c;
      float* to = dst + ((b * m.h + y) * m.w + r.x0) * m.c;
      if (from != to) std::memcpy(to, from, static_cast<size_t>(row) * sizeof(float));
    }
  }
}

// Input rows (or columns) that outputs [o0, o1) read, clipped to [0, size), and the padding left
// on each side (runTilesStep's windowOf).
struct Window {
  int64_t from, to, pad_before, pad_after;
};
Window WindowOf(int64_t o0, int64_t o1, int64_t stride, int64_t pad_before, int64_t extent, int64_t size) {
  const int64_t start = o0 * stride - pad_before;
  const int64_t end = (o1 - 1) * stride - pad_before + extent;
  return {std::max<int64_t>(0, start), std::min(size, end), std::max<int64_t>(0, -start), std::max<int64_t>(0, end - size)};
}

class TilesStep : public ProgramStep {
 public:
  TilesStep(std::unique_ptr<StepSpec> inner, const std::vector<ValueSpec>& values, ProgramStorage& st, const ConvOptions& options,
            TileScratch& scratch, int32_t blocks, std::vector<TileSpan> rows, std::vector<TileSpan> cols, TileForm form)
      : inner_(std::move(inner)), scratch_(scratch), rows_(std::move(rows)), cols_(std::move(cols)), form_(form) {
    StepSpec& s = *inner_;
    const std::string& node = s.node;
    output_ = s.operands.back();
    out_map_ = MapOf(values[static_cast<size_t>(output_)], node);
    out_ = st.Data(output_);
    blocks_ = st.Span(blocks);
    ExpectLength(blocks_.length, static_cast<int64_t>(rows_.size() * cols_.size()), "a tiles step's block mask");
    op_ = static_cast<DenseOp>(s.op);
    for (size_t i = 0; i + 1 < s.operands.size(); ++i) {
      const int32_t id = s.operands[i];
      inputs_.push_back(id);
      in_data_.push_back(id >= 0 ? st.Data(id) : nullptr);
      in_maps_.push_back(id >= 0 && values[static_cast<size_t>(id)].shape.size() == 4 ? MapOf(values[static_cast<size_t>(id)], node)
                                                                                      : Map{});
    }
    if (form_ == TileForm::kWhole) {
      const F32Span whole{scratch_.out.data(), static_cast<size_t>(out_map_.Size())};
      if (scratch_.out.size() < whole.length) RangeFail("tiles step of node '" + node + "': scratch too small");
      whole_ = BuildDenseKernel(s, st, options, &whole);
    }
    if (op_ == DenseOp::kConv2D && form_ == TileForm::kWindow) {
      conv_ = BuildConv2DArgs(s, st.Span(inputs_.at(0)), st.Span(inputs_.at(1)),
                              inputs_.size() > 2 && inputs_[2] >= 0 ? st.Span(inputs_[2]) : F32Span{}, st.Span(output_), options, packed_);
      rect_conv_ = conv_;
      full_ = [this] { RunConv2D(conv_); };
    } else if (form_ != TileForm::kWhole) {
      full_ = BuildDenseKernel(s, st, options, nullptr);
    }
    if (form_ == TileForm::kWindow) BuildWindow(s, st);
    if (form_ == TileForm::kPointwise) BuildPointwise(s, values, st);
  }

  int64_t Run(RunState& state) override {
    TileRects(rows_, cols_, blocks_.data, rects_);
    if (rects_.empty()) return 0;
    int64_t area = 0;
    for (const TileRect& r : rects_) area += (r.y1 - r.y0) * (r.x1 - r.x0);
    if (form_ != TileForm::kWhole && area == out_map_.h * out_map_.w) {
      // Every pixel (rectangles are disjoint): the kernel over the whole map, as a dense step.
      if (full_) full_();
    } else if (form_ == TileForm::kWhole) {
      if (whole_) whole_();
      for (const TileRect& r : rects_) Paste(scratch_.out.data(), out_map_.h, out_map_.w, r.y0, r.x0, out_map_, r, out_);
    } else if (form_ == TileForm::kWindow && AnyEmptyWindow()) {
      RunWindowWhole();
    } else {
      for (const TileRect& r : rects_) form_ == TileForm::kWindow ? RunWindow(r) : RunPointwise(r);
    }
    state.changed[static_cast<size_t>(output_)] = 1;
    return out_map_.n * area;
  }

 private:
  // Where rectangle `r` of the output is computed: in place when contiguous, else scratch.
  float* Target(const TileRect& r) {
    return out_map_.n == 1 && r.x0 == 0 && r.x1 == out_map_.w ? out_ + r.y0 * out_map_.w * out_map_.c : scratch_.out.data();
  }
  void Settle(const TileRect& r, const float* target) { Paste(target, r.y1 - r.y0, r.x1 - r.x0, 0, 0, out_map_, r, out_); }

  void BuildWindow(StepSpec& s, ProgramStorage& st) {
    if (op_ == DenseOp::kConv2D) {
      const ConvGeometry& g = conv_.g;
      window_ = {g.kh, g.kw, g.sh, g.sw, (g.kh - 1) * g.dh + 1, (g.kw - 1) * g.dw + 1, g.pad_top, g.pad_left};
    } else if (op_ == DenseOp::kPool2D) {
      if (s.ints.size() < 16) RangeFail("tiles step of node '" + s.node + "' needs 16 integer attributes");
      pool_.x = st.Span(inputs_.at(0));
      pool_.out = st.Span(output_);
      pool_.geometry.assign(s.ints.begin(), s.ints.begin() + 14);
      pool_.kind = static_cast<int32_t>(s.ints[14]);
      pool_.count_include_pad = s.ints[15] != 0;
      CheckPool2D(pool_);
      const auto& v = pool_.geometry;
      window_ = {v[6], v[7], v[8], v[9], v[6], v[7], v[10], v[11]};
    } else {
      RangeFail("tiles step of node '" + s.node + "': only convolutions and pooling have a window form");
    }
    const Map& x = in_maps_.at(0);
    if (x.n == 0) RangeFail("tiles step of node '" + s.node + "': its input is not an NHWC map");
  }

  // Whether some rectangle's input window lies wholly in the padding (pads wider than the
  // kernel's reach): there is no crop to run the kernel on.
  bool AnyEmptyWindow() const {
    const Map& x = in_maps_[0];
    for (const TileRect& r : rects_) {
      const Window rows = WindowOf(r.y0, r.y1, window_.sh, window_.pad_top, window_.extent_h, x.h);
      const Window cols = WindowOf(r.x0, r.x1, window_.sw, window_.pad_left, window_.extent_w, x.w);
      if (rows.to <= rows.from || cols.to <= cols.from) return true;
    }
    return false;
  }

  // This frame's rectangles cut from the op over the whole map, computed into scratch (rare: see
  // AnyEmptyWindow). The whole-map arguments with another output; the packed weights are shared.
  void RunWindowWhole() {
    const F32Span whole{scratch_.out.data(), static_cast<size_t>(out_map_.Size())};
    if (op_ == DenseOp::kConv2D) {
      Conv2DArgs a = conv_;
      a.out = whole;
      RunConv2D(a);
    } else {
      Pool2DArgs a = pool_;
      a.out = whole;
      RunPool2D(a);
    }
    for (const TileRect& r : rects_) Paste(whole.data, out_map_.h, out_map_.w, r.y0, r.x0, out_map_, r, out_);
  }

  void RunWindow(const TileRect& r) {
    const Map& x = in_maps_[0];
    const Window rows = WindowOf(r.y0, r.y1, window_.sh, window_.pad_top, window_.extent_h, x.h);
    const Window cols = WindowOf(r.x0, r.x1, window_.sw, window_.pad_left, window_.extent_w, x.w);
    const int64_t ih = rows.to - rows.from, iw = cols.to - cols.from, oh = r.y1 - r.y0, ow = r.x1 - r.x0;
    const float* in = Crop(in_data_[0], x, {rows.from, rows.to, cols.from, cols.to}, scratch_.in.data());
    const F32Span xs{const_cast<float*>(in), static_cast<size_t>(x.n * ih * iw * x.c)};
    float* target = Target(r);
    const F32Span os{target, static_cast<size_t>(out_map_.n * oh * ow * out_map_.c)};
    if (op_ == DenseOp::kConv2D) {
      // ConvGeometry::kInts order: batch, inH, inW, inC, outH, outW, outC, kh, kw, sh, sw, dh, dw, padTop, padLeft, groups.
      std::vector<int64_t>& v = rect_conv_.geometry;
      v[1] = ih;
      v[2] = iw;
      v[4] = oh;
      v[5] = ow;
      v[13] = rows.pad_before;
      v[14] = cols.pad_before;
      rect_conv_.x = xs;
      rect_conv_.out = os;
      CheckConv2D(rect_conv_);
      RunConv2D(rect_conv_);
    } else {
      Pool2DArgs a = pool_;
      std::vector<int64_t>& v = a.geometry;
      v[1] = ih;
      v[2] = iw;
      v[4] = oh;
      v[5] = ow;
      v[10] = rows.pad_before;
      v[11] = cols.pad_before;
      v[12] = rows.pad_after;
      v[13] = cols.pad_after;
      a.x = xs;
      a.out = os;
      CheckPool2D(a);
      RunPool2D(a);
    }
    Settle(r, target);
  }

  void BuildPointwise(StepSpec& s, const std::vector<ValueSpec>& values, ProgramStorage& st) {
    const std::string& node = s.node;
    // Every operand read per rectangle must be a map of the output's pixels (Binary: or broadcast).
    auto same_pixels = [&](size_t i) {
      const Map& m = in_maps_.at(i);
      if (inputs_[i] < 0 || m.n != out_map_.n || m.h != out_map_.h || m.w != out_map_.w) {
        RangeFail("tiles step of node '" + node + "': a pointwise operand does not cover the output's pixels");
      }
    };
    switch (op_) {
      case DenseOp::kActivation:
        same_pixels(0);
        if (s.ints.empty()) RangeFail("tiles step of node '" + node + "' needs 1 integer attribute");
        activation_.channels = s.ints[0];
        activation_.act = ActivationOf(s);
        break;
      case DenseOp::kBatchNorm:
        same_pixels(0);
        if (s.f32.size() < 2) RangeFail("tiles step of node '" + node + "' lacks its folded parameters");
        batch_norm_.mul = {s.f32[0].data(), s.f32[0].size()};
        batch_norm_.add = {s.f32[1].data(), s.f32[1].size()};
        break;
      case DenseOp::kConcat:
      case DenseOp::kSoftmax:
      case DenseOp::kReshape:
        for (size_t i = 0; i < inputs_.size(); ++i) same_pixels(i);
        if (op_ == DenseOp::kReshape && in_maps_[0].c != out_map_.c)
          RangeFail("tiles step of node '" + node + "': identity changes channels");
        break;
      case DenseOp::kBinary: {
        if (s.ints.empty() || inputs_.size() != 2) RangeFail("tiles step of node '" + node + "': a binary op needs 2 operands");
        binary_.op = static_cast<int32_t>(s.ints[0]);
        binary_.act = ActivationOf(s);
        const int64_t out_dims[4] = {out_map_.n, out_map_.h, out_map_.w, out_map_.c};
        for (size_t i = 0; i < 2; ++i) {
          const ValueSpec& v = values[static_cast<size_t>(inputs_[i])];
          if (v.shape.size() > 4) RangeFail("tiles step of node '" + node + "': a binary operand has rank above 4");
          int64_t dims[4] = {1, 1, 1, 1};
          std::copy(v.shape.begin(), v.shape.end(), dims + (4 - v.shape.size()));
          // Right-aligned strides, 0 on broadcast axes; the rectangle's corner as an offset.
          int64_t stride = 1;
          for (int d = 3; d >= 0; --d) {
            if (dims[d] != 1 && dims[d] != out_dims[d])
              RangeFail("tiles step of node '" + node + "': a binary operand does not broadcast pointwise");
            operand_strides_[i][d] = dims[d] == 1 ? 0 : stride;
            stride *= dims[d];
          }
          operand_spans_[i] = st.Span(inputs_[i]);
        }
        break;
      }
      case DenseOp::kEmpty:
        break;
      default:
        RangeFail("tiles step of node '" + node + "': this op has no pointwise form");
    }
  }

  void RunPointwise(const TileRect& r) {
    const int64_t oh = r.y1 - r.y0, ow = r.x1 - r.x0, pixels = out_map_.n * oh * ow;
    const size_t out_len = static_cast<size_t>(pixels * out_map_.c);
    float* target = Target(r);
    const F32Span os{target, out_len};
    auto crop = [&](size_t i, float* dst) -> F32Span {
      const Map& m = in_maps_[i];
      return {const_cast<float*>(Crop(in_data_[i], m, r, dst)), static_cast<size_t>(pixels * m.c)};
    };
    switch (op_) {
      case DenseOp::kActivation: {
        ActivationArgs a = activation_;
        a.x = crop(0, scratch_.in.data());
        a.out = os;
        CheckActivationKernel(a);
        RunActivation(a);
        break;
      }
      case DenseOp::kBatchNorm: {
        BatchNormArgs a = batch_norm_;
        a.x = crop(0, scratch_.in.data());
        a.out = os;
        CheckBatchNorm(a);
        RunBatchNorm(a);
        break;
      }
      case DenseOp::kConcat: {
        ConcatArgs a;
        float* at = scratch_.in.data();
        for (size_t i = 0; i < inputs_.size(); ++i) {
          a.inputs.push_back(crop(i, at));
          at += a.inputs.back().length;
          a.chunks.push_back(in_maps_[i].c);
        }
        a.outer = pixels;
        a.out = os;
        CheckConcat(a);
        RunConcat(a);
        break;
      }
      case DenseOp::kSoftmax: {
        SoftmaxArgs a;
        a.x = crop(0, scratch_.in.data());
        a.out = os;
        a.outer = pixels;
        a.length = out_map_.c;
        a.inner = 1;
        CheckSoftmax(a);
        RunSoftmax(a);
        break;
      }
      case DenseOp::kReshape:
        // Identity: the rectangle copied straight from the input map.
        Paste(in_data_[0], out_map_.h, out_map_.w, r.y0, r.x0, out_map_, r, out_);
        return;
      case DenseOp::kBinary: {
        BinaryArgs a = binary_;
        a.shape = {out_map_.n, oh, ow, out_map_.c};
        for (size_t i = 0; i < 2; ++i) {
          const int64_t* sd = operand_strides_[i];
          const size_t offset = static_cast<size_t>(r.y0 * sd[1] + r.x0 * sd[2]);
          const F32Span span{operand_spans_[i].data + offset, operand_spans_[i].length - offset};
          (i == 0 ? a.a : a.b) = span;
          (i == 0 ? a.sa : a.sb).assign(sd, sd + 4);
        }
        a.out = os;
        CheckBinary(a);
        RunBinary(a);
        break;
      }
      default:
        return;
    }
    Settle(r, target);
  }

  std::unique_ptr<StepSpec> inner_;  // owns the tables the kernels' arguments point into
  TileScratch& scratch_;
  std::vector<TileSpan> rows_, cols_;
  TileForm form_;
  DenseOp op_ = DenseOp::kEmpty;
  int32_t output_ = -1;
  Map out_map_;
  float* out_ = nullptr;
  F32Span blocks_;
  std::vector<int32_t> inputs_;
  std::vector<float*> in_data_;
  std::vector<Map> in_maps_;
  std::vector<TileRect> rects_;  // this frame's, reused
  DenseKernel full_, whole_;
  // Window form: the convolution over the whole map (packed weights shared) and a copy rewritten
  // per rectangle; or the pooling over the whole map.
  Conv2DArgs conv_, rect_conv_;
  std::shared_ptr<PackedConvWeights> packed_;
  Pool2DArgs pool_;
  struct {
    int64_t kh, kw, sh, sw, extent_h, extent_w, pad_top, pad_left;
  } window_{};
  // Pointwise form: the arguments that do not depend on the rectangle.
  ActivationArgs activation_;
  BatchNormArgs batch_norm_;
  BinaryArgs binary_;
  int64_t operand_strides_[2][4] = {};
  F32Span operand_spans_[2];
};

}  // namespace

std::unique_ptr<ProgramStep> MakeTilesStep(StepSpec& spec, const std::vector<ValueSpec>& values, ProgramStorage& storage,
                                           const ConvOptions& options, TileScratch& scratch) {
  const std::string& node = spec.node;
  if (spec.operands.size() < 3) RangeFail("tiles step of node '" + node + "' needs a block mask, inputs and an output");
  if (spec.f64.size() < 3) RangeFail("tiles step of node '" + node + "' lacks its spans and form");
  const int32_t blocks = spec.operands[0];
  const ValueSpec& mask = values[static_cast<size_t>(blocks)];
  if (mask.lifetime != Lifetime::kInput || mask.kind != ValueKind::kTensor)
    RangeFail("tiles step of node '" + node + "': its block mask is not a frame input");
  const int32_t output = spec.operands.back();
  const ValueSpec& out = values[static_cast<size_t>(output)];
  if (out.kind != ValueKind::kTensor || out.lifetime != Lifetime::kStream)
    RangeFail("tiles step of node '" + node + "' writes '" + out.name + "', which is not a stream tensor");
  const Map m = MapOf(out, node);
  for (size_t i = 1; i + 1 < spec.operands.size(); ++i) {
    const int32_t id = spec.operands[i];
    if (id >= 0 && values[static_cast<size_t>(id)].kind != ValueKind::kTensor) RangeFail("tiles step of node '" + node + "' reads a delta");
  }
  const size_t tables = spec.f64.size();
  std::vector<TileSpan> rows = SpansOf(spec.f64[tables - 3], m.h, node);
  std::vector<TileSpan> cols = SpansOf(spec.f64[tables - 3 + 1], m.w, node);
  const std::vector<double>& meta = spec.f64[tables - 1];
  if (meta.empty() || meta[0] < 0 || meta[0] > 2 || meta[0] != static_cast<double>(static_cast<int32_t>(meta[0]))) {
    RangeFail("tiles step of node '" + node + "': form must be 0 (window), 1 (pointwise) or 2 (whole)");
  }
  const TileForm form = static_cast<TileForm>(static_cast<int32_t>(meta[0]));
  auto inner = std::make_unique<StepSpec>(spec);
  inner->kind = StepKind::kDense;
  inner->operands.erase(inner->operands.begin());
  inner->f64.resize(tables - 3);
  return std::make_unique<TilesStep>(std::move(inner), values, storage, options, scratch, blocks, std::move(rows), std::move(cols), form);
}

void SizeTileScratch(const ProgramSpec& spec, const ProgramStorage& storage, TileScratch& scratch) {
  size_t in = 0, out = 0;
  for (const auto& entry : spec.entries) {
    for (const StepSpec& s : entry) {
      if (s.kind != StepKind::kTiles || s.operands.size() < 2) continue;
      size_t inputs = 0;
      for (size_t i = 1; i + 1 < s.operands.size(); ++i) {
        if (s.operands[i] >= 0) inputs += static_cast<size_t>(storage.Size(s.operands[i]));
      }
      in = std::max(in, inputs);
      out = std::max(out, static_cast<size_t>(storage.Size(s.operands.back())));
    }
  }
  scratch.in.assign(in, 0.f);
  scratch.out.assign(out, 0.f);
}

}  // namespace md
