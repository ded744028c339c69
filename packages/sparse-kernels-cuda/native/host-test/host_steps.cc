#include "host_steps.h"

#include <algorithm>
#include <vector>

#include "case_params.h"
#include "mdcuda/binary.h"
#include "mdcuda/binary_delta.h"
#include "mdcuda/concat.h"
#include "mdcuda/conv2d.h"
#include "mdcuda/conv_transpose2d.h"
#include "mdcuda/delta_pixel.h"
#include "mdcuda/layout.h"
#include "mdcuda/linear_sum.h"
#include "mdcuda/matrix.h"
#include "mdcuda/pad.h"
#include "mdcuda/pool2d.h"
#include "mdcuda/reduce.h"
#include "mdcuda/resize.h"
#include "mdcuda/scale.h"
#include "mdcuda/tiles.h"

namespace mdhost {
namespace {

using mdcases::Array;
using mdcases::CaseFile;
using mdcases::Outputs;

mdcuda::TileGrid GridOf(const std::vector<int64_t>& nhwc) {
  return mdcuda::MakeTileGrid(static_cast<int>(nhwc.at(0)), static_cast<int>(nhwc.at(1)), static_cast<int>(nhwc.at(2)));
}

// The device's compaction, done serially: tile masks from pixel masks, then the active tiles.
std::vector<int> ActiveTiles(const mdcuda::TileGrid& g, const uint8_t* pixel_mask, std::vector<uint64_t>* masks) {
  const int tiles = mdcuda::TileCount(g);
  masks->assign(tiles, 0);
  std::vector<int> list;
  for (int t = 0; t < tiles; t++) {
    (*masks)[t] = mdcuda::TileMaskFromPixels(g, pixel_mask, t);
    if (mdcuda::TileActive((*masks)[t])) list.push_back(t);
  }
  return list;
}

Outputs DenseConv2d(const CaseFile& c) {
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x");
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  const float* bias = c.Has("in.bias") ? c.F32("in.bias").f32.data() : nullptr;
  Array y = mdcases::F32Like(c.F32("out.y"));
  const float* x = c.F32("in.x").f32.data();
  const float* w = c.F32("in.w").f32.data();
  int64_t i = 0;
  for (int n = 0; n < g.batch; n++)
    for (int oy = 0; oy < g.out_h; oy++)
      for (int ox = 0; ox < g.out_w; ox++)
        for (int co = 0; co < g.out_c; co++, i++)
          y.f32[i] = mdcuda::ActivateFloat(act, mdcuda::Conv2dDenseElement(g, x, w, bias, n, oy, ox, co), co);
  return {{"out.y", y}};
}

Outputs DenseConvTranspose2d(const CaseFile& c) {
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x");
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  const float* bias = c.Has("in.bias") ? c.F32("in.bias").f32.data() : nullptr;
  Array y = mdcases::F32Like(c.F32("out.y"));
  const float* x = c.F32("in.x").f32.data();
  const float* w = c.F32("in.w").f32.data();
  int64_t i = 0;
  for (int n = 0; n < g.batch; n++)
    for (int oy = 0; oy < g.out_h; oy++)
      for (int ox = 0; ox < g.out_w; ox++)
        for (int co = 0; co < g.out_c; co++, i++)
          y.f32[i] = mdcuda::ActivateFloat(act, mdcuda::ConvTranspose2dDenseElement(g, x, w, bias, n, oy, ox, co), co);
  return {{"out.y", y}};
}

Outputs DensePool(const CaseFile& c, bool max) {
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.x");
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  int64_t i = 0;
  for (int n = 0; n < g.batch; n++)
    for (int oy = 0; oy < g.out_h; oy++)
      for (int ox = 0; ox < g.out_w; ox++)
        for (int ch = 0; ch < g.channels; ch++, i++)
          y.f32[i] = max ? mdcuda::MaxPoolElement(g, x, n, oy, ox, ch) : mdcuda::AvgPoolElement(g, x, n, oy, ox, ch);
  return {{"out.y", y}};
}

Outputs DenseGlobalAvgPool(const CaseFile& c) {
  const Array& x = c.F32("in.x");
  Array y = mdcases::F32Like(c.F32("out.y"));
  const int batch = static_cast<int>(x.dims.at(0)), h = static_cast<int>(x.dims.at(1)), w = static_cast<int>(x.dims.at(2));
  const int channels = static_cast<int>(x.dims.at(3));
  for (int n = 0; n < batch; n++)
    for (int ch = 0; ch < channels; ch++)
      y.f32[static_cast<int64_t>(n) * channels + ch] = mdcuda::GlobalAvgElement(x.f32.data(), h, w, channels, n, ch);
  return {{"out.y", y}};
}

Outputs DenseBinary(const CaseFile& c) {
  const mdcuda::BroadcastGeometry g = mdcases::BroadcastGeometryOf(c);
  const auto op = static_cast<mdcuda::BinaryOp>(static_cast<int>(c.Num("binop").at(0)));
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  const float* a = c.F32("in.a").f32.data();
  const float* b = c.F32("in.b").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  const int channels = g.rank == 0 ? 1 : static_cast<int>(g.out_dims[g.rank - 1]);
  for (int64_t i = 0; i < y.Size(); i++) {
    int64_t oa = 0, ob = 0;
    mdcuda::BroadcastOffsets(g, i, &oa, &ob);
    y.f32[i] = mdcuda::ActivateFloat(act, mdcuda::CombineBinary(op, a[oa], b[ob]), static_cast<int>(i % channels));
  }
  return {{"out.y", y}};
}

Outputs DenseActivation(const CaseFile& c) {
  const Array& x = c.F32("in.x");
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  const int channels = static_cast<int>(x.dims.back());
  Array y = mdcases::F32Like(x);
  for (int64_t i = 0; i < x.Size(); i++) y.f32[i] = mdcuda::ActivateFloat(act, x.f32[i], static_cast<int>(i % channels));
  return {{"out.y", y}};
}

Outputs Sparsify(const CaseFile& c) {
  const Array& x = c.F32("in.x");
  Array reference = c.F32("in.reference");
  const double threshold = c.Num("threshold").at(0);
  const mdcuda::TileGrid g = GridOf(x.dims);
  const int channels = static_cast<int>(x.dims.at(3));
  Array values = mdcases::F32Like(x);
  Array mask = mdcases::MaskFor(x.dims);
  // One "block" per tile, as the kernel: every pixel of the tile decides, the tile mask collects.
  for (int t = 0; t < mdcuda::TileCount(g); t++) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(g, t);
    uint64_t tile_mask = 0;
    for (int y = r.y0; y < r.y1; y++) {
      for (int xx = r.x0; xx < r.x1; xx++) {
        const int64_t p = (static_cast<int64_t>(r.n) * g.height + y) * g.width + xx;
        if (mdcuda::SparsifyPixel(&x.f32[p * channels], &reference.f32[p * channels], &values.f32[p * channels], channels, threshold)) {
          tile_mask |= mdcuda::PixelBit(y, xx);
        }
      }
    }
    // The mask bytes come from the tile mask, as the kernel writes them after its ballot.
    for (uint64_t m = tile_mask; m != 0; m &= m - 1) mask.u8[mdcuda::PixelOfBit(g, r, mdcuda::LowestBit(m))] = 1;
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}, {"out.reference", reference}};
}

Outputs Accumulate(const CaseFile& c) {
  const Array& values = c.F32("in.delta.values");
  const Array& mask = c.U8("in.delta.mask");
  Array target = c.F32("in.target");
  const mdcuda::TileGrid g = GridOf(values.dims);
  const int channels = static_cast<int>(values.dims.at(3));
  std::vector<uint64_t> masks;
  for (int t : ActiveTiles(g, mask.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(g, t);
    for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(g, r, mdcuda::LowestBit(m));
      mdcuda::AccumulatePixel(&values.f32[p * channels], &target.f32[p * channels], channels);
    }
  }
  return {{"out.target", target}};
}

Outputs LinearConv2d(const CaseFile& c, bool transposed) {
  const Array& xv = c.F32("in.x.values");
  const Array& xm = c.U8("in.x.mask");
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x.values");
  const float* w = c.F32("in.w").f32.data();
  const mdcuda::TileGrid in_grid = GridOf(xv.dims);
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.out_c};
  const mdcuda::TileGrid out_grid = GridOf(out_dims);
  Array values = mdcases::F32Like(c.F32("out.delta.values"));
  Array mask = mdcases::MaskFor(out_dims);
  // Pass 1: each active input tile marks the output tiles its footprint reaches.
  std::vector<uint64_t> masks;
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int t : ActiveTiles(in_grid, xm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(in_grid, t);
    const mdcuda::TileSpan s =
        transposed ? mdcuda::TransposedOutputTilesOfInputRect(r, g)
                   : mdcuda::OutputTilesOfInputRect(r, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pad_top, g.pad_left, g.out_h, g.out_w);
    for (int ty = s.ty0; ty <= s.ty1; ty++)
      for (int tx = s.tx0; tx <= s.tx1; tx++) candidate[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
  }
  // Pass 2: every pixel of a candidate output tile gathers from the active inputs under its window.
  for (int t = 0; t < mdcuda::TileCount(out_grid); t++) {
    if (candidate[t] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, t);
    for (int oy = r.y0; oy < r.y1; oy++) {
      for (int ox = r.x0; ox < r.x1; ox++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + oy) * g.out_w + ox;
        float* o = &values.f32[q * g.out_c];
        const bool touched = transposed ? mdcuda::ConvTranspose2dDeltaPixel(g, xv.f32.data(), xm.u8.data(), w, r.n, oy, ox, o)
                                        : mdcuda::Conv2dDeltaPixel(g, xv.f32.data(), xm.u8.data(), w, r.n, oy, ox, o);
        if (touched) mask.u8[q] = 1;
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs ActivationDelta(const CaseFile& c) {
  const Array& dv = c.F32("in.delta.values");
  const Array& dm = c.U8("in.delta.mask");
  Array accumulated = c.F32("in.accumulated");
  Array emitted = c.F32("in.emitted");
  const double threshold = c.Num("threshold").at(0);
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  const mdcuda::TileGrid g = GridOf(dv.dims);
  const int channels = static_cast<int>(dv.dims.at(3));
  Array values = mdcases::F32Like(dv);
  Array mask = mdcases::MaskFor(dv.dims);
  std::vector<uint64_t> masks;
  for (int t : ActiveTiles(g, dm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(g, t);
    for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(g, r, mdcuda::LowestBit(m));
      const int64_t base = p * channels;
      if (mdcuda::ActivationDeltaPixel(act, &dv.f32[base], &accumulated.f32[base], &emitted.f32[base], &values.f32[base], channels,
                                       threshold)) {
        mask.u8[p] = 1;
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}, {"out.accumulated", accumulated}, {"out.emitted", emitted}};
}

Outputs MaxPoolDelta(const CaseFile& c) {
  const Array& dv = c.F32("in.delta.values");
  const Array& dm = c.U8("in.delta.mask");
  Array accumulated = c.F32("in.accumulated");
  Array emitted = c.F32("in.emitted");
  const double threshold = c.Num("threshold").at(0);
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.delta.values");
  const mdcuda::TileGrid in_grid = GridOf(dv.dims);
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.channels};
  const mdcuda::TileGrid out_grid = GridOf(out_dims);
  Array values = mdcases::F32Like(c.F32("out.delta.values"));
  Array mask = mdcases::MaskFor(out_dims);
  // Pass 1: accumulate every delta, marking the output tiles the active input tiles reach.
  std::vector<uint64_t> masks;
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int t : ActiveTiles(in_grid, dm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(in_grid, t);
    for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(in_grid, r, mdcuda::LowestBit(m));
      mdcuda::AccumulatePixel(&dv.f32[p * g.channels], &accumulated.f32[p * g.channels], g.channels);
    }
    const mdcuda::TileSpan s = mdcuda::OutputTilesOfInputRect(r, g.kh, g.kw, g.sh, g.sw, 1, 1, g.pad_top, g.pad_left, g.out_h, g.out_w);
    for (int ty = s.ty0; ty <= s.ty1; ty++)
      for (int tx = s.tx0; tx <= s.tx1; tx++) candidate[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
  }
  // Pass 2: windows holding an active input are recomputed from the accumulated input and truncated.
  for (int t = 0; t < mdcuda::TileCount(out_grid); t++) {
    if (candidate[t] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, t);
    for (int oy = r.y0; oy < r.y1; oy++) {
      for (int ox = r.x0; ox < r.x1; ox++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + oy) * g.out_w + ox;
        if (mdcuda::MaxPoolDeltaPixel(g, dm.u8.data(), accumulated.f32.data(), &emitted.f32[q * g.channels], &values.f32[q * g.channels],
                                      r.n, oy, ox, threshold)) {
          mask.u8[q] = 1;
        }
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}, {"out.accumulated", accumulated}, {"out.emitted", emitted}};
}

Outputs LinearAvgPool(const CaseFile& c) {
  const Array& xv = c.F32("in.x.values");
  const Array& xm = c.U8("in.x.mask");
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.x.values");
  const mdcuda::TileGrid in_grid = GridOf(xv.dims);
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.channels};
  const mdcuda::TileGrid out_grid = GridOf(out_dims);
  Array values = mdcases::F32Like(c.F32("out.delta.values"));
  Array mask = mdcases::MaskFor(out_dims);
  std::vector<uint64_t> masks;
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int t : ActiveTiles(in_grid, xm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(in_grid, t);
    const mdcuda::TileSpan s = mdcuda::OutputTilesOfInputRect(r, g.kh, g.kw, g.sh, g.sw, 1, 1, g.pad_top, g.pad_left, g.out_h, g.out_w);
    for (int ty = s.ty0; ty <= s.ty1; ty++)
      for (int tx = s.tx0; tx <= s.tx1; tx++) candidate[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
  }
  for (int t = 0; t < mdcuda::TileCount(out_grid); t++) {
    if (candidate[t] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, t);
    for (int oy = r.y0; oy < r.y1; oy++) {
      for (int ox = r.x0; ox < r.x1; ox++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + oy) * g.out_w + ox;
        if (mdcuda::AvgPoolDeltaPixel(g, xv.f32.data(), xm.u8.data(), r.n, oy, ox, &values.f32[q * g.channels])) mask.u8[q] = 1;
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs LinearGlobalAvgPool(const CaseFile& c) {
  const Array& xv = c.F32("in.x.values");
  const Array& xm = c.U8("in.x.mask");
  const mdcuda::TileGrid grid = GridOf(xv.dims);
  const int channels = static_cast<int>(xv.dims.at(3));
  const int64_t plane = xv.dims.at(1) * xv.dims.at(2);
  const std::vector<int64_t> out_dims = {xv.dims.at(0), 1, 1, channels};
  Array values = mdcases::F32Like(c.F32("out.delta.values"));
  Array mask = mdcases::MaskFor(out_dims);
  std::vector<uint64_t> masks;
  for (int t : ActiveTiles(grid, xm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(grid, t);
    mask.u8[r.n] = 1;
    for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(grid, r, mdcuda::LowestBit(m));
      for (int ch = 0; ch < channels; ch++)
        values.f32[r.n * channels + ch] += mdcuda::GlobalAvgDeltaShare(xv.f32[p * channels + ch], plane);
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs LinearSum(const CaseFile& c) {
  const std::vector<double>& signs = c.Num("signs");
  const Array& like = c.F32("out.delta.values");
  const mdcuda::TileGrid grid = GridOf(like.dims);
  const int channels = static_cast<int>(like.dims.at(3));
  const bool has_a = signs.at(0) != 0, has_b = signs.at(1) != 0;
  const float* av = has_a ? c.F32("in.a.values").f32.data() : nullptr;
  const float* bv = has_b ? c.F32("in.b.values").f32.data() : nullptr;
  std::vector<uint64_t> a_masks, b_masks;
  if (has_a) ActiveTiles(grid, c.U8("in.a.mask").u8.data(), &a_masks);
  if (has_b) ActiveTiles(grid, c.U8("in.b.mask").u8.data(), &b_masks);
  Array values = mdcases::F32Like(like);
  Array mask = mdcases::MaskFor(like.dims);
  // Tile by tile, as the kernel: the output tile mask is the union of the operands' tile masks.
  for (int t = 0; t < mdcuda::TileCount(grid); t++) {
    const uint64_t am = has_a ? a_masks[t] : 0, bm = has_b ? b_masks[t] : 0;
    const mdcuda::TileRect r = mdcuda::RectOfTile(grid, t);
    for (uint64_t m = am | bm; m != 0; m &= m - 1) {
      const int bit = mdcuda::LowestBit(m);
      const int64_t p = mdcuda::PixelOfBit(grid, r, bit);
      const int64_t base = p * channels;
      mdcuda::LinearSumPixel(has_a ? av + base : nullptr, (am >> bit & 1u) != 0, static_cast<float>(signs[0]), has_b ? bv + base : nullptr,
                             (bm >> bit & 1u) != 0, static_cast<float>(signs[1]), &values.f32[base], channels);
      mask.u8[p] = 1;
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs DenseResize(const CaseFile& c) {
  const mdcases::ResizeTables t = mdcases::ResizeTablesOf(c);
  const Array& x = c.F32("in.x");
  Array y = mdcases::F32Like(c.F32("out.y"));
  const mdcuda::ResizeGeometry g =
      mdcases::ResizeGeometryOf(x.dims, y.dims, {t.row_lo.data(), t.row_hi.data(), t.row_weight.data(), t.row_inverse.data()},
                                {t.col_lo.data(), t.col_hi.data(), t.col_weight.data(), t.col_inverse.data()});
  int64_t i = 0;
  for (int n = 0; n < g.batch; n++)
    for (int oy = 0; oy < g.out_h; oy++)
      for (int ox = 0; ox < g.out_w; ox++)
        for (int ch = 0; ch < g.channels; ch++, i++) y.f32[i] = mdcuda::ResizeElement(g, x.f32.data(), n, oy, ox, ch);
  return {{"out.y", y}};
}

Outputs LinearResize(const CaseFile& c) {
  const mdcases::ResizeTables t = mdcases::ResizeTablesOf(c);
  const Array& xv = c.F32("in.x.values");
  const Array& xm = c.U8("in.x.mask");
  const Array& like = c.F32("out.delta.values");
  const mdcuda::ResizeGeometry g =
      mdcases::ResizeGeometryOf(xv.dims, like.dims, {t.row_lo.data(), t.row_hi.data(), t.row_weight.data(), t.row_inverse.data()},
                                {t.col_lo.data(), t.col_hi.data(), t.col_weight.data(), t.col_inverse.data()});
  const mdcuda::TileGrid in_grid = GridOf(xv.dims);
  const mdcuda::TileGrid out_grid = GridOf(like.dims);
  Array values = mdcases::F32Like(like);
  Array mask = mdcases::MaskFor(like.dims);
  std::vector<uint64_t> masks;
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int tile : ActiveTiles(in_grid, xm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(in_grid, tile);
    const mdcuda::TileSpan s = mdcuda::ResizeOutputTilesOfInputRect(g, r);
    for (int ty = s.ty0; ty <= s.ty1; ty++)
      for (int tx = s.tx0; tx <= s.tx1; tx++) candidate[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
  }
  for (int tile = 0; tile < mdcuda::TileCount(out_grid); tile++) {
    if (candidate[tile] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, tile);
    for (int oy = r.y0; oy < r.y1; oy++) {
      for (int ox = r.x0; ox < r.x1; ox++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + oy) * g.out_w + ox;
        if (mdcuda::ResizeDeltaPixel(g, xv.f32.data(), xm.u8.data(), r.n, oy, ox, &values.f32[q * g.channels])) mask.u8[q] = 1;
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs DensePad(const CaseFile& c) {
  const std::vector<int> maps = mdcases::IntsOf(c, "padMaps");
  const mdcuda::PadGeometry g = mdcases::PadGeometryOf(c, maps.data());
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t i = 0; i < y.Size(); i++) y.f32[i] = mdcuda::PadElement(g, x, i);
  return {{"out.y", y}};
}

Outputs LinearPad(const CaseFile& c) {
  const std::vector<int> rows = mdcases::IntsOf(c, "padRows"), cols = mdcases::IntsOf(c, "padCols");
  const std::vector<int> row_inverse = mdcases::IntsOf(c, "padRowInverse"), col_inverse = mdcases::IntsOf(c, "padColInverse");
  const mdcuda::PadDeltaGeometry g = mdcases::PadDeltaGeometryOf(c, rows.data(), cols.data(), row_inverse.data(), col_inverse.data());
  const Array& xv = c.F32("in.x.values");
  const Array& xm = c.U8("in.x.mask");
  const Array& like = c.F32("out.delta.values");
  const mdcuda::TileGrid in_grid = GridOf(xv.dims);
  const mdcuda::TileGrid out_grid = GridOf(like.dims);
  Array values = mdcases::F32Like(like);
  Array mask = mdcases::MaskFor(like.dims);
  std::vector<uint64_t> masks;
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int tile : ActiveTiles(in_grid, xm.u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(in_grid, tile);
    const mdcuda::TileSpan s = mdcuda::PadOutputTilesOfInputRect(g, r);
    for (int ty = s.ty0; ty <= s.ty1; ty++)
      for (int tx = s.tx0; tx <= s.tx1; tx++) candidate[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
  }
  for (int tile = 0; tile < mdcuda::TileCount(out_grid); tile++) {
    if (candidate[tile] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, tile);
    for (int oy = r.y0; oy < r.y1; oy++) {
      for (int ox = r.x0; ox < r.x1; ox++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + oy) * g.out_w + ox;
        if (mdcuda::PadDeltaPixel(g, xv.f32.data(), xm.u8.data(), r.n, oy, ox, &values.f32[q * g.channels])) mask.u8[q] = 1;
      }
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

// Where a case array lives on the host.
const void* HostArray(const CaseFile& c, const std::string& name) {
  const Array& a = c.arrays.at(name);
  return a.type == "f32" ? static_cast<const void*>(a.f32.data()) : static_cast<const void*>(a.u8.data());
}

Outputs DenseConcat(const CaseFile& c) {
  const mdcuda::ConcatGeometry g = mdcases::ConcatGeometryOf(c, false, [&](const std::string& n) { return HostArray(c, n); });
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t i = 0; i < y.Size(); i++) y.f32[i] = mdcuda::ConcatElement(g, i);
  return {{"out.y", y}};
}

Outputs LinearConcat(const CaseFile& c) {
  const mdcuda::ConcatGeometry g = mdcases::ConcatGeometryOf(c, true, [&](const std::string& n) { return HostArray(c, n); });
  const Array& like = c.F32("out.delta.values");
  const mdcuda::TileGrid grid = GridOf(like.dims);
  const int channels = static_cast<int>(like.dims.at(3));
  Array values = mdcases::F32Like(like);
  Array mask = mdcases::MaskFor(like.dims);
  // Tile by tile, as the kernel: the output tile mask is the union of the varying inputs' tile masks.
  std::vector<std::vector<uint64_t>> input_masks(g.inputs);
  for (int j = 0; j < g.inputs; j++)
    if (g.masks[j] != nullptr) ActiveTiles(grid, g.masks[j], &input_masks[j]);
  for (int t = 0; t < mdcuda::TileCount(grid); t++) {
    uint64_t tile_mask = 0;
    for (int j = 0; j < g.inputs; j++)
      if (g.masks[j] != nullptr) tile_mask |= input_masks[j][t];
    const mdcuda::TileRect r = mdcuda::RectOfTile(grid, t);
    for (uint64_t m = tile_mask; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(grid, r, mdcuda::LowestBit(m));
      if (mdcuda::ConcatDeltaPixel(g, p, &values.f32[p * channels])) mask.u8[p] = 1;
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs DenseBatchNorm(const CaseFile& c) {
  std::vector<double> mul, add;
  mdcases::BatchNormFoldOf(c, &mul, &add);
  const Array& x = c.F32("in.x");
  Array y = mdcases::F32Like(c.F32("out.y"));
  const int64_t channels = static_cast<int64_t>(mul.size());
  for (int64_t i = 0; i < x.Size(); i++) y.f32[i] = mdcuda::BatchNormElement(x.f32[i], mul[i % channels], add[i % channels]);
  return {{"out.y", y}};
}

Outputs LinearScale(const CaseFile& c) {
  std::vector<double> mul, add;
  if (c.op == "delta.linear.BatchNorm") mdcases::BatchNormFoldOf(c, &mul, &add);
  const float* k = c.Has("in.k") ? c.F32("in.k").f32.data() : nullptr;
  const mdcuda::ScaleGeometry g = mdcases::ScaleGeometryOf(c, mul.empty() ? nullptr : mul.data(), k);
  const Array& xv = c.F32("in.x.values");
  const mdcuda::TileGrid grid = GridOf(xv.dims);
  Array values = mdcases::F32Like(xv);
  Array mask = mdcases::MaskFor(xv.dims);
  std::vector<uint64_t> masks;
  for (int t : ActiveTiles(grid, c.U8("in.x.mask").u8.data(), &masks)) {
    const mdcuda::TileRect r = mdcuda::RectOfTile(grid, t);
    for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
      const int64_t p = mdcuda::PixelOfBit(grid, r, mdcuda::LowestBit(m));
      mdcuda::ScaleDeltaPixel(g, xv.f32.data(), p, &values.f32[p * g.channels]);
      mask.u8[p] = 1;
    }
  }
  return {{"out.delta.values", values}, {"out.delta.mask", mask}};
}

Outputs BinaryDelta(const CaseFile& c) {
  // The accumulated operands are outputs too: copies the geometry points at.
  Outputs outputs;
  for (const char* name : {"a", "b"}) {
    const std::string base = std::string("in.") + name;
    if (c.Has(base + ".values")) outputs["out." + std::string(name) + ".acc"] = c.F32(base + ".acc");
  }
  Array emitted = c.F32("in.emitted");
  const double threshold = c.Num("threshold").at(0);
  const mdcuda::BinaryDeltaGeometry g = mdcases::BinaryDeltaGeometryOf(c, [&](const std::string& n) -> const void* {
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".acc") == 0) return outputs.at("out." + n.substr(3)).f32.data();
    return HostArray(c, n);
  });
  // Pass 1: every varying operand accumulates its deltas, tile by tile; a broadcasting one makes every output tile a candidate.
  const std::vector<int64_t>& out_dims = c.F32("out.delta.values").dims;
  const mdcuda::TileGrid out_grid = GridOf(out_dims);
  std::vector<uint8_t> candidate(mdcuda::TileCount(out_grid), 0);
  for (int j = 0; j < 2; j++) {
    if (g.mask[j] == nullptr) continue;
    const std::string name = j == 0 ? "a" : "b";
    const Array& dv = c.F32("in." + name + ".values");
    float* acc = outputs.at("out." + name + ".acc").f32.data();
    const int channels = static_cast<int>(dv.dims.at(3));
    const mdcuda::TileGrid grid = GridOf(dv.dims);
    std::vector<uint64_t> masks;
    for (int t : ActiveTiles(grid, g.mask[j], &masks)) {
      const mdcuda::TileRect r = mdcuda::RectOfTile(grid, t);
      for (uint64_t m = masks[t]; m != 0; m &= m - 1) {
        const int64_t p = mdcuda::PixelOfBit(grid, r, mdcuda::LowestBit(m));
        mdcuda::AccumulatePixel(&dv.f32[p * channels], &acc[p * channels], channels);
      }
      if (mdcuda::OperandBroadcasts(g, j)) {
        std::fill(candidate.begin(), candidate.end(), 1);
      } else {
        candidate[t] = 1;
      }
    }
  }
  // Pass 2: candidate pixels reading an active operand pixel are recomputed and truncated.
  Array values = mdcases::F32Like(c.F32("out.delta.values"));
  Array mask = mdcases::MaskFor(out_dims);
  for (int t = 0; t < mdcuda::TileCount(out_grid); t++) {
    if (candidate[t] == 0) continue;
    const mdcuda::TileRect r = mdcuda::RectOfTile(out_grid, t);
    for (int y = r.y0; y < r.y1; y++) {
      for (int x = r.x0; x < r.x1; x++) {
        const int64_t q = (static_cast<int64_t>(r.n) * g.out_h + y) * g.out_w + x;
        if (mdcuda::BinaryDeltaPixel(g, &emitted.f32[q * g.channels], &values.f32[q * g.channels], r.n, y, x, threshold)) mask.u8[q] = 1;
      }
    }
  }
  outputs["out.delta.values"] = values;
  outputs["out.delta.mask"] = mask;
  outputs["out.emitted"] = emitted;
  return outputs;
}

Outputs DenseCopy(const CaseFile& c) {
  Array y = mdcases::F32Like(c.F32("out.y"));
  const Array& x = c.F32("in.x");
  if (x.Size() != y.Size()) throw mdcases::CaseError(c.path + ": a reshape keeps the element count");
  y.f32 = x.f32;
  return {{"out.y", y}};
}

Outputs DenseTranspose(const CaseFile& c) {
  const mdcuda::TransposeGeometry g = mdcases::TransposeGeometryOf(c);
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t i = 0; i < y.Size(); i++) y.f32[i] = x[mdcuda::TransposeSource(g, i)];
  return {{"out.y", y}};
}

Outputs DenseMatMul(const CaseFile& c) {
  const int m = static_cast<int>(c.Num("m").at(0)), k = static_cast<int>(c.Num("k").at(0)), n = static_cast<int>(c.Num("n").at(0));
  const std::vector<double>& a_offsets = c.Num("aOffsets");
  const std::vector<double>& b_offsets = c.Num("bOffsets");
  const mdcuda::MatrixView a{c.F32("in.a").f32.data(), k, 1}, b{c.F32("in.b").f32.data(), n, 1};
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (size_t batch = 0; batch < a_offsets.size(); batch++)
    for (int i = 0; i < m; i++)
      for (int j = 0; j < n; j++) {
        const double acc =
            mdcuda::MatrixProductElement(a, static_cast<int64_t>(a_offsets[batch]), b, static_cast<int64_t>(b_offsets[batch]), k, i, j);
        y.f32[(batch * m + i) * n + j] = mdcuda::ActivateFloat(act, static_cast<float>(acc), j);
      }
  return {{"out.y", y}};
}

Outputs DenseGemm(const CaseFile& c) {
  const int m = static_cast<int>(c.Num("m").at(0)), k = static_cast<int>(c.Num("k").at(0)), n = static_cast<int>(c.Num("n").at(0));
  const int64_t a1 = static_cast<int64_t>(c.Num("a1").at(0)), b1 = static_cast<int64_t>(c.Num("b1").at(0));
  const bool trans_a = c.Num("transA").at(0) != 0, trans_b = c.Num("transB").at(0) != 0;
  const mdcuda::MatrixView a{c.F32("in.a").f32.data(), trans_a ? 1 : a1, trans_a ? a1 : 1};
  const mdcuda::MatrixView b{c.F32("in.b").f32.data(), trans_b ? 1 : b1, trans_b ? b1 : 1};
  const double alpha = c.Num("alpha").at(0), beta = c.Num("beta").at(0);
  const float* cv = c.Has("in.c") ? c.F32("in.c").f32.data() : nullptr;
  const std::vector<double> c_strides = cv != nullptr ? c.Num("cStrides") : std::vector<double>{0, 0};
  const float* slope = c.Has("in.act.slope") ? c.F32("in.act.slope").f32.data() : nullptr;
  const mdcuda::Activation act = mdcases::ActivationOf(c, slope);
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      const int64_t c_offset = static_cast<int64_t>(i * c_strides[0] + j * c_strides[1]);
      const float v = mdcuda::GemmElement(mdcuda::MatrixProductElement(a, 0, b, 0, k, i, j), alpha, cv, c_offset, beta);
      y.f32[static_cast<int64_t>(i) * n + j] = mdcuda::ActivateFloat(act, v, j);
    }
  return {{"out.y", y}};
}

Outputs DenseSoftmax(const CaseFile& c) {
  int64_t outer = 0, length = 0, inner = 0;
  mdcases::SoftmaxSplitOf(c, &outer, &length, &inner);
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t o = 0; o < outer; o++)
    for (int64_t i = 0; i < inner; i++) mdcuda::SoftmaxRow(x, y.f32.data(), o * length * inner + i, length, inner);
  return {{"out.y", y}};
}

Outputs DenseSlice(const CaseFile& c) {
  const mdcuda::SliceGeometry g = mdcases::SliceGeometryOf(c);
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t i = 0; i < y.Size(); i++) y.f32[i] = x[mdcuda::SliceSource(g, i)];
  return {{"out.y", y}};
}

Outputs DenseReduce(const CaseFile& c) {
  const mdcuda::ReduceGeometry g = mdcases::ReduceGeometryOf(c);
  const float* x = c.F32("in.x").f32.data();
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t o = 0; o < y.Size(); o++) y.f32[o] = mdcuda::ReduceElement(g, x, o);
  return {{"out.y", y}};
}

Outputs DenseDepthSpace(const CaseFile& c) {
  const mdcuda::DepthSpaceGeometry g = mdcases::DepthSpaceGeometryOf(c);
  const bool to_space = c.op == "dense.DepthToSpace";
  const Array& x = c.F32("in.x");
  Array y = mdcases::F32Like(c.F32("out.y"));
  for (int64_t deep = 0; deep < x.Size(); deep++) {
    const int64_t shallow = mdcuda::ShallowOffsetOfDeep(g, deep);
    if (to_space) {
      y.f32[shallow] = x.f32[deep];
    } else {
      y.f32[deep] = x.f32[shallow];
    }
  }
  return {{"out.y", y}};
}

}  // namespace

Outputs RunOnHost(const CaseFile& c) {
  if (c.op == "dense.Conv2D") return DenseConv2d(c);
  if (c.op == "dense.Activation") return DenseActivation(c);
  if (c.op == "delta.sparsify") return Sparsify(c);
  if (c.op == "delta.accumulate") return Accumulate(c);
  if (c.op == "delta.linear.Conv2D") return LinearConv2d(c, false);
  if (c.op == "delta.linear.ConvTranspose2D") return LinearConv2d(c, true);
  if (c.op == "dense.ConvTranspose2D") return DenseConvTranspose2d(c);
  if (c.op == "dense.MaxPool2D") return DensePool(c, true);
  if (c.op == "dense.AvgPool2D") return DensePool(c, false);
  if (c.op == "dense.GlobalAvgPool") return DenseGlobalAvgPool(c);
  if (c.op == "dense.Binary") return DenseBinary(c);
  if (c.op == "delta.maxPool") return MaxPoolDelta(c);
  if (c.op == "delta.linear.AvgPool2D") return LinearAvgPool(c);
  if (c.op == "dense.Resize") return DenseResize(c);
  if (c.op == "dense.Pad") return DensePad(c);
  if (c.op == "dense.Copy") return DenseCopy(c);
  if (c.op == "dense.Reduce") return DenseReduce(c);
  if (c.op == "dense.DepthToSpace" || c.op == "dense.SpaceToDepth") return DenseDepthSpace(c);
  if (c.op == "dense.MatMul") return DenseMatMul(c);
  if (c.op == "dense.Gemm") return DenseGemm(c);
  if (c.op == "dense.Softmax") return DenseSoftmax(c);
  if (c.op == "dense.Slice") return DenseSlice(c);
  if (c.op == "dense.Transpose") return DenseTranspose(c);
  if (c.op == "delta.binary") return BinaryDelta(c);
  if (c.op == "dense.BatchNorm") return DenseBatchNorm(c);
  if (c.op == "delta.linear.Mul" || c.op == "delta.linear.Div" || c.op == "delta.linear.BatchNorm" || c.op == "delta.linear.Identity") {
    return LinearScale(c);
  }
  if (c.op == "dense.Concat") return DenseConcat(c);
  if (c.op == "delta.linear.Concat") return LinearConcat(c);
  if (c.op == "delta.linear.Pad") return LinearPad(c);
  if (c.op == "delta.linear.Resize") return LinearResize(c);
  if (c.op == "delta.linear.GlobalAvgPool") return LinearGlobalAvgPool(c);
  if (c.op == "delta.linear.Add" || c.op == "delta.linear.Sub") return LinearSum(c);
  if (c.op == "delta.activation") return ActivationDelta(c);
  throw Declined("op '" + c.op + "' has no CUDA kernel yet");
}

}  // namespace mdhost
