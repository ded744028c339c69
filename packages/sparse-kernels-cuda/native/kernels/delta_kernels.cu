// The delta kernels: one 64-thread block per 8x8 tile, thread t owning bit t of the tile mask, so
// the two warps' ballots are the two halves of the tile's 64-bit mask. Blocks are launched over
// every tile of the map and return when past the device-side count of the list they serve.
#include "kernels.h"
#include "mdcuda/binary_delta.h"
#include "mdcuda/concat.h"
#include "mdcuda/conv_transpose2d.h"
#include "mdcuda/cuda_check.h"
#include "mdcuda/delta_pixel.h"
#include "mdcuda/linear_sum.h"

namespace mdcuda {
namespace {

constexpr int kThreads = kTilePixels;

// The pixel (n, y, x) this thread owns in tile `tile`, or -1 outside the image.
__device__ int64_t OwnPixel(const TileGrid& g, int tile) {
  const TileRect r = RectOfTile(g, tile);
  const int y = r.y0 + threadIdx.x / kTile;
  const int x = r.x0 + threadIdx.x % kTile;
  if (y >= r.y1 || x >= r.x1) return -1;
  return (static_cast<int64_t>(r.n) * g.height + y) * g.width + x;
}

// Combines the two warps' ballots into the tile mask; thread 0 stores it and appends the tile to
// the active list when any bit is set.
__device__ void PublishTileMask(bool active, int tile, DeviceDelta d) {
  __shared__ uint32_t halves[2];
  const uint32_t ballot = __ballot_sync(0xffffffffu, active);
  if (threadIdx.x % 32 == 0) halves[threadIdx.x / 32] = ballot;
  __syncthreads();
  if (threadIdx.x == 0) {
    const uint64_t mask = static_cast<uint64_t>(halves[0]) | (static_cast<uint64_t>(halves[1]) << 32);
    d.tile_masks[tile] = mask;
    if (TileActive(mask)) d.tiles[atomicAdd(d.tile_count, 1)] = tile;
  }
}

__global__ void TilesFromPixelMaskKernel(DeviceDelta d) {
  const int tile = blockIdx.x;
  const int64_t p = OwnPixel(d.grid, tile);
  PublishTileMask(p >= 0 && d.mask[p] != 0, tile, d);
}

__global__ void SparsifyKernel(const float* x, float* reference, double threshold, DeviceDelta out) {
  const int tile = blockIdx.x;
  const int64_t p = OwnPixel(out.grid, tile);
  const int c = out.channels;
  bool active = false;
  if (p >= 0) {
    active = SparsifyPixel(x + p * c, reference + p * c, out.values + p * c, c, threshold);
    out.mask[p] = active ? 1 : 0;
  }
  PublishTileMask(active, tile, out);
}

__global__ void AccumulateKernel(DeviceDelta delta, float* target) {
  if (static_cast<int>(blockIdx.x) >= *delta.tile_count) return;
  const int tile = delta.tiles[blockIdx.x];
  const uint64_t mask = delta.tile_masks[tile];
  if ((mask >> threadIdx.x & 1u) == 0) return;
  const int64_t p = PixelOfBit(delta.grid, RectOfTile(delta.grid, tile), threadIdx.x);
  AccumulatePixel(delta.values + p * delta.channels, target + p * delta.channels, delta.channels);
}

__global__ void ActivationDeltaKernel(Activation act, DeviceDelta in, float* accumulated, float* emitted, double threshold,
                                      DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *in.tile_count) return;
  const int tile = in.tiles[blockIdx.x];
  const uint64_t mask = in.tile_masks[tile];
  bool emit = false;
  if ((mask >> threadIdx.x & 1u) != 0) {
    const int64_t p = PixelOfBit(in.grid, RectOfTile(in.grid, tile), threadIdx.x);
    const int64_t base = p * in.channels;
    emit = ActivationDeltaPixel(act, in.values + base, accumulated + base, emitted + base, out.values + base, in.channels, threshold);
    out.mask[p] = emit ? 1 : 0;
  }
  PublishTileMask(emit, tile, out);
}

// `transposed`: the footprint of a transposed convolution; otherwise a window op's (convolution,
// pooling with dilation 1).
__global__ void MarkConvCandidatesKernel(Conv2dGeometry g, bool transposed, DeviceDelta in, TileGrid out_grid, uint8_t* candidates) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= *in.tile_count) return;
  const TileRect r = RectOfTile(in.grid, in.tiles[i]);
  const TileSpan s = transposed ? TransposedOutputTilesOfInputRect(r, g)
                                : OutputTilesOfInputRect(r, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pad_top, g.pad_left, g.out_h, g.out_w);
  for (int ty = s.ty0; ty <= s.ty1; ty++)
    for (int tx = s.tx0; tx <= s.tx1; tx++) candidates[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
}

// Compacts the candidate flags into a list and clears them for the next frame.
__global__ void CompactCandidatesKernel(uint8_t* candidates, int tiles, int* list, int* count) {
  const int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t >= tiles || candidates[t] == 0) return;
  candidates[t] = 0;
  list[atomicAdd(count, 1)] = t;
}

__global__ void Conv2dDeltaGatherKernel(Conv2dGeometry g, bool transposed, DeviceDelta in, const float* w, const int* candidate_list,
                                        const int* candidate_count, DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool touched = false;
  if (q >= 0) {
    const int oy = r.y0 + threadIdx.x / kTile;
    const int ox = r.x0 + threadIdx.x % kTile;
    float* o = out.values + q * g.out_c;
    touched = transposed ? ConvTranspose2dDeltaPixel(g, in.values, in.mask, w, r.n, oy, ox, o)
                         : Conv2dDeltaPixel(g, in.values, in.mask, w, r.n, oy, ox, o);
    out.mask[q] = touched ? 1 : 0;
  }
  PublishTileMask(touched, tile, out);
}

__global__ void MaxPoolDeltaGatherKernel(PoolGeometry g, DeviceDelta in, const float* accumulated, float* emitted, double threshold,
                                         const int* candidate_list, const int* candidate_count, DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool emit = false;
  if (q >= 0) {
    const int oy = r.y0 + threadIdx.x / kTile;
    const int ox = r.x0 + threadIdx.x % kTile;
    emit = MaxPoolDeltaPixel(g, in.mask, accumulated, emitted + q * g.channels, out.values + q * g.channels, r.n, oy, ox, threshold);
    out.mask[q] = emit ? 1 : 0;
  }
  PublishTileMask(emit, tile, out);
}

__global__ void AvgPoolDeltaGatherKernel(PoolGeometry g, DeviceDelta in, const int* candidate_list, const int* candidate_count,
                                         DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool touched = false;
  if (q >= 0) {
    const int oy = r.y0 + threadIdx.x / kTile;
    const int ox = r.x0 + threadIdx.x % kTile;
    touched = AvgPoolDeltaPixel(g, in.values, in.mask, r.n, oy, ox, out.values + q * g.channels);
    out.mask[q] = touched ? 1 : 0;
  }
  PublishTileMask(touched, tile, out);
}

// One block per image: the threads share out the channels and walk the active tiles of that image.
__global__ void GlobalAvgPoolDeltaKernel(DeviceDelta in, DeviceDelta out) {
  const int n = blockIdx.x;
  const int64_t plane = static_cast<int64_t>(in.grid.height) * in.grid.width;
  const int count = *in.tile_count;
  bool any = false;
  for (int ch = threadIdx.x; ch < in.channels; ch += blockDim.x) out.values[static_cast<int64_t>(n) * in.channels + ch] = 0.0f;
  for (int i = 0; i < count; i++) {
    const int tile = in.tiles[i];
    const TileRect r = RectOfTile(in.grid, tile);
    if (r.n != n) continue;
    any = true;
    for (uint64_t m = in.tile_masks[tile]; m != 0; m &= m - 1) {
      const int64_t p = PixelOfBit(in.grid, r, LowestBit(m));
      for (int ch = threadIdx.x; ch < in.channels; ch += blockDim.x) {
        out.values[static_cast<int64_t>(n) * in.channels + ch] += GlobalAvgDeltaShare(in.values[p * in.channels + ch], plane);
      }
    }
  }
  if (threadIdx.x == 0) out.mask[n] = any ? 1 : 0;
  // The output map is N images of 1x1: image n is tile n, its only pixel bit 0.
  PublishTileMask(any && threadIdx.x == 0, n, out);
}

// One block per tile; the output tile mask is the union of the operands' tile masks.
__global__ void LinearSumKernel(DeviceDelta a, float sa, DeviceDelta b, float sb, DeviceDelta out) {
  const int tile = blockIdx.x;
  const uint64_t am = sa != 0.0f ? a.tile_masks[tile] : 0;
  const uint64_t bm = sb != 0.0f ? b.tile_masks[tile] : 0;
  if ((am | bm) == 0) return;  // out's tile mask and pixel mask were cleared before the launch
  const bool a_on = (am >> threadIdx.x & 1u) != 0, b_on = (bm >> threadIdx.x & 1u) != 0;
  if (a_on || b_on) {
    const int64_t p = PixelOfBit(out.grid, RectOfTile(out.grid, tile), threadIdx.x);
    const int64_t base = p * out.channels;
    LinearSumPixel(a_on ? a.values + base : nullptr, a_on, sa, b_on ? b.values + base : nullptr, b_on, sb, out.values + base, out.channels);
    out.mask[p] = 1;
  }
  PublishTileMask(a_on || b_on, tile, out);
}

__global__ void MarkResizeCandidatesKernel(ResizeGeometry g, DeviceDelta in, TileGrid out_grid, uint8_t* candidates) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= *in.tile_count) return;
  const TileRect r = RectOfTile(in.grid, in.tiles[i]);
  const TileSpan s = ResizeOutputTilesOfInputRect(g, r);
  for (int ty = s.ty0; ty <= s.ty1; ty++)
    for (int tx = s.tx0; tx <= s.tx1; tx++) candidates[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
}

__global__ void ResizeDeltaGatherKernel(ResizeGeometry g, DeviceDelta in, const int* candidate_list, const int* candidate_count,
                                        DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool touched = false;
  if (q >= 0) {
    const int oy = r.y0 + threadIdx.x / kTile;
    const int ox = r.x0 + threadIdx.x % kTile;
    touched = ResizeDeltaPixel(g, in.values, in.mask, r.n, oy, ox, out.values + q * g.channels);
    out.mask[q] = touched ? 1 : 0;
  }
  PublishTileMask(touched, tile, out);
}

__global__ void MarkPadCandidatesKernel(PadDeltaGeometry g, DeviceDelta in, TileGrid out_grid, uint8_t* candidates) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= *in.tile_count) return;
  const TileRect r = RectOfTile(in.grid, in.tiles[i]);
  const TileSpan s = PadOutputTilesOfInputRect(g, r);
  for (int ty = s.ty0; ty <= s.ty1; ty++)
    for (int tx = s.tx0; tx <= s.tx1; tx++) candidates[(r.n * out_grid.tiles_y + ty) * out_grid.tiles_x + tx] = 1;
}

__global__ void PadDeltaGatherKernel(PadDeltaGeometry g, DeviceDelta in, const int* candidate_list, const int* candidate_count,
                                     DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool touched = false;
  if (q >= 0) {
    const int oy = r.y0 + threadIdx.x / kTile;
    const int ox = r.x0 + threadIdx.x % kTile;
    touched = PadDeltaPixel(g, in.values, in.mask, r.n, oy, ox, out.values + q * g.channels);
    out.mask[q] = touched ? 1 : 0;
  }
  PublishTileMask(touched, tile, out);
}

// The inputs' tile-mask pointers, passed by value to the kernel.
struct ConcatTileMasks {
  const uint64_t* masks[kMaxConcatInputs];
};

__global__ void ConcatDeltaKernel(ConcatGeometry g, ConcatTileMasks tile_masks, DeviceDelta out) {
  const int tile = blockIdx.x;
  uint64_t mask = 0;
  for (int j = 0; j < g.inputs; j++)
    if (tile_masks.masks[j] != nullptr) mask |= tile_masks.masks[j][tile];
  if (mask == 0) return;  // out's masks were cleared before the launch
  const bool on = (mask >> threadIdx.x & 1u) != 0;
  bool any = false;
  if (on) {
    const int64_t p = PixelOfBit(out.grid, RectOfTile(out.grid, tile), threadIdx.x);
    any = ConcatDeltaPixel(g, p, out.values + p * out.channels);
    out.mask[p] = any ? 1 : 0;
  }
  PublishTileMask(any, tile, out);
}

// One block per active input tile: the output tile is the input tile, scaled.
__global__ void ScaleDeltaKernel(ScaleGeometry g, DeviceDelta in, DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *in.tile_count) return;
  const int tile = in.tiles[blockIdx.x];
  const bool on = (in.tile_masks[tile] >> threadIdx.x & 1u) != 0;
  if (on) {
    const int64_t p = PixelOfBit(in.grid, RectOfTile(in.grid, tile), threadIdx.x);
    ScaleDeltaPixel(g, in.values, p, out.values + p * g.channels);
    out.mask[p] = 1;
  }
  PublishTileMask(on, tile, out);
}

// Candidates of a binary step from one varying operand's active tiles: the same tile, or every
// output tile when the operand broadcasts.
__global__ void MarkBinaryCandidatesKernel(DeviceDelta operand, bool broadcasts, int out_tiles, uint8_t* candidates) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= *operand.tile_count) return;
  if (!broadcasts) {
    candidates[operand.tiles[i]] = 1;
    return;
  }
  for (int t = 0; t < out_tiles; t++) candidates[t] = 1;
}

__global__ void BinaryDeltaGatherKernel(BinaryDeltaGeometry g, float* emitted, double threshold, const int* candidate_list,
                                        const int* candidate_count, DeviceDelta out) {
  if (static_cast<int>(blockIdx.x) >= *candidate_count) return;
  const int tile = candidate_list[blockIdx.x];
  const TileRect r = RectOfTile(out.grid, tile);
  const int64_t q = OwnPixel(out.grid, tile);
  bool emit = false;
  if (q >= 0) {
    const int y = r.y0 + threadIdx.x / kTile;
    const int x = r.x0 + threadIdx.x % kTile;
    emit = BinaryDeltaPixel(g, emitted + q * g.channels, out.values + q * g.channels, r.n, y, x, threshold);
    out.mask[q] = emit ? 1 : 0;
  }
  PublishTileMask(emit, tile, out);
}

int Blocks(int64_t n, int threads) { return static_cast<int>((n + threads - 1) / threads); }

}  // namespace

void LaunchTilesFromPixelMask(DeviceDelta d, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(d.tile_count, 0, sizeof(int), stream));
  if (TileCount(d.grid) == 0) return;  // an empty map: a zero-block launch is a configuration error
  TilesFromPixelMaskKernel<<<TileCount(d.grid), kThreads, 0, stream>>>(d);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchSparsify(const float* x, float* reference, double threshold, DeviceDelta out, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (TileCount(out.grid) == 0) return;
  SparsifyKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(x, reference, threshold, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchAccumulate(DeviceDelta delta, float* target, cudaStream_t stream) {
  if (TileCount(delta.grid) == 0) return;
  AccumulateKernel<<<TileCount(delta.grid), kThreads, 0, stream>>>(delta, target);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchActivationDelta(const Activation& act, DeviceDelta in, float* accumulated, float* emitted, double threshold, DeviceDelta out,
                           cudaStream_t stream) {
  // Pixels of inactive tiles are never visited: clear the whole output mask first.
  MD_CUDA_CHECK(cudaMemsetAsync(out.mask, 0, static_cast<size_t>(out.grid.batch) * out.grid.height * out.grid.width, stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_masks, 0, sizeof(uint64_t) * TileCount(out.grid), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (TileCount(in.grid) == 0) return;
  ActivationDeltaKernel<<<TileCount(in.grid), kThreads, 0, stream>>>(act, in, accumulated, emitted, threshold, out);
  MD_CUDA_CHECK_LAUNCH();
}

namespace {

void ResetOutput(DeviceDelta out, int* candidate_count, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.mask, 0, static_cast<size_t>(out.grid.batch) * out.grid.height * out.grid.width, stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_masks, 0, sizeof(uint64_t) * TileCount(out.grid), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(candidate_count, 0, sizeof(int), stream));
}

// Marks and compacts the output tiles the active input tiles reach.
void FindCandidates(const Conv2dGeometry& g, bool transposed, DeviceDelta in, uint8_t* candidates, int* candidate_list,
                    int* candidate_count, const TileGrid& out_grid, cudaStream_t stream) {
  const int out_tiles = TileCount(out_grid);
  MarkConvCandidatesKernel<<<Blocks(TileCount(in.grid), 128), 128, 0, stream>>>(g, transposed, in, out_grid, candidates);
  MD_CUDA_CHECK_LAUNCH();
  CompactCandidatesKernel<<<Blocks(out_tiles, 256), 256, 0, stream>>>(candidates, out_tiles, candidate_list, candidate_count);
  MD_CUDA_CHECK_LAUNCH();
}

void ConvDelta(const Conv2dGeometry& g, bool transposed, DeviceDelta in, const float* w, uint8_t* candidates, int* candidate_list,
               int* candidate_count, DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  if (TileCount(in.grid) == 0 || TileCount(out.grid) == 0) return;
  FindCandidates(g, transposed, in, candidates, candidate_list, candidate_count, out.grid, stream);
  Conv2dDeltaGatherKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(g, transposed, in, w, candidate_list, candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

}  // namespace

void LaunchConv2dDelta(const Conv2dGeometry& g, DeviceDelta in, const float* w, uint8_t* candidates, int* candidate_list,
                       int* candidate_count, DeviceDelta out, cudaStream_t stream) {
  ConvDelta(g, false, in, w, candidates, candidate_list, candidate_count, out, stream);
}

void LaunchConvTranspose2dDelta(const Conv2dGeometry& g, DeviceDelta in, const float* w, uint8_t* candidates, int* candidate_list,
                                int* candidate_count, DeviceDelta out, cudaStream_t stream) {
  ConvDelta(g, true, in, w, candidates, candidate_list, candidate_count, out, stream);
}

void LaunchAvgPoolDelta(const PoolGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                        DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  if (TileCount(in.grid) == 0 || TileCount(out.grid) == 0) return;
  const Conv2dGeometry window{g.batch, g.in_h, g.in_w, g.channels, g.out_h, g.out_w,   g.channels, g.kh,
                              g.kw,    g.sh,   g.sw,   1,          1,       g.pad_top, g.pad_left, 1};
  FindCandidates(window, false, in, candidates, candidate_list, candidate_count, out.grid, stream);
  AvgPoolDeltaGatherKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(g, in, candidate_list, candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchResizeDelta(const ResizeGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                       DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  const int out_tiles = TileCount(out.grid);
  if (TileCount(in.grid) == 0 || out_tiles == 0) return;
  MarkResizeCandidatesKernel<<<Blocks(TileCount(in.grid), 128), 128, 0, stream>>>(g, in, out.grid, candidates);
  MD_CUDA_CHECK_LAUNCH();
  CompactCandidatesKernel<<<Blocks(out_tiles, 256), 256, 0, stream>>>(candidates, out_tiles, candidate_list, candidate_count);
  MD_CUDA_CHECK_LAUNCH();
  ResizeDeltaGatherKernel<<<out_tiles, kThreads, 0, stream>>>(g, in, candidate_list, candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchPadDelta(const PadDeltaGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                    DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  const int out_tiles = TileCount(out.grid);
  if (TileCount(in.grid) == 0 || out_tiles == 0) return;
  MarkPadCandidatesKernel<<<Blocks(TileCount(in.grid), 128), 128, 0, stream>>>(g, in, out.grid, candidates);
  MD_CUDA_CHECK_LAUNCH();
  CompactCandidatesKernel<<<Blocks(out_tiles, 256), 256, 0, stream>>>(candidates, out_tiles, candidate_list, candidate_count);
  MD_CUDA_CHECK_LAUNCH();
  PadDeltaGatherKernel<<<out_tiles, kThreads, 0, stream>>>(g, in, candidate_list, candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchConcatDelta(const ConcatGeometry& g, const uint64_t* const* tile_masks, DeviceDelta out, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.mask, 0, static_cast<size_t>(out.grid.batch) * out.grid.height * out.grid.width, stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_masks, 0, sizeof(uint64_t) * TileCount(out.grid), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (TileCount(out.grid) == 0) return;
  ConcatTileMasks masks{};
  for (int j = 0; j < g.inputs; j++) masks.masks[j] = tile_masks[j];
  ConcatDeltaKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(g, masks, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchScaleDelta(const ScaleGeometry& g, DeviceDelta in, DeviceDelta out, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.mask, 0, static_cast<size_t>(out.grid.batch) * out.grid.height * out.grid.width, stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_masks, 0, sizeof(uint64_t) * TileCount(out.grid), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (TileCount(in.grid) == 0) return;
  ScaleDeltaKernel<<<TileCount(in.grid), kThreads, 0, stream>>>(g, in, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchBinaryDelta(const BinaryDeltaGeometry& g, const DeviceDelta* deltas[2], float* accumulated[2], float* emitted, double threshold,
                       uint8_t* candidates, int* candidate_list, int* candidate_count, DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  const int out_tiles = TileCount(out.grid);
  if (out_tiles == 0) return;
  // Every delta is in before any pixel is recomputed.
  for (int j = 0; j < 2; j++) {
    if (deltas[j] == nullptr || TileCount(deltas[j]->grid) == 0) continue;
    AccumulateKernel<<<TileCount(deltas[j]->grid), kThreads, 0, stream>>>(*deltas[j], accumulated[j]);
    MD_CUDA_CHECK_LAUNCH();
  }
  for (int j = 0; j < 2; j++) {
    if (deltas[j] == nullptr || TileCount(deltas[j]->grid) == 0) continue;
    MarkBinaryCandidatesKernel<<<Blocks(TileCount(deltas[j]->grid), 128), 128, 0, stream>>>(*deltas[j], OperandBroadcasts(g, j), out_tiles,
                                                                                            candidates);
    MD_CUDA_CHECK_LAUNCH();
  }
  CompactCandidatesKernel<<<Blocks(out_tiles, 256), 256, 0, stream>>>(candidates, out_tiles, candidate_list, candidate_count);
  MD_CUDA_CHECK_LAUNCH();
  BinaryDeltaGatherKernel<<<out_tiles, kThreads, 0, stream>>>(g, emitted, threshold, candidate_list, candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchGlobalAvgPoolDelta(DeviceDelta in, DeviceDelta out, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (in.grid.batch == 0) return;
  GlobalAvgPoolDeltaKernel<<<in.grid.batch, kThreads, 0, stream>>>(in, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchLinearSum(DeviceDelta a, float sa, DeviceDelta b, float sb, DeviceDelta out, cudaStream_t stream) {
  MD_CUDA_CHECK(cudaMemsetAsync(out.mask, 0, static_cast<size_t>(out.grid.batch) * out.grid.height * out.grid.width, stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_masks, 0, sizeof(uint64_t) * TileCount(out.grid), stream));
  MD_CUDA_CHECK(cudaMemsetAsync(out.tile_count, 0, sizeof(int), stream));
  if (TileCount(out.grid) == 0) return;
  LinearSumKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(a, sa, b, sb, out);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchMaxPoolDelta(const PoolGeometry& g, DeviceDelta in, float* accumulated, float* emitted, double threshold, uint8_t* candidates,
                        int* candidate_list, int* candidate_count, DeviceDelta out, cudaStream_t stream) {
  ResetOutput(out, candidate_count, stream);
  if (TileCount(in.grid) == 0 || TileCount(out.grid) == 0) return;
  // Every delta is in before any window is recomputed, so a window touched twice sees both.
  AccumulateKernel<<<TileCount(in.grid), kThreads, 0, stream>>>(in, accumulated);
  MD_CUDA_CHECK_LAUNCH();
  // A pooling window is a convolution footprint with dilation 1 and no channels to mix.
  const Conv2dGeometry window{g.batch, g.in_h, g.in_w, g.channels, g.out_h, g.out_w,   g.channels, g.kh,
                              g.kw,    g.sh,   g.sw,   1,          1,       g.pad_top, g.pad_left, 1};
  FindCandidates(window, false, in, candidates, candidate_list, candidate_count, out.grid, stream);
  MaxPoolDeltaGatherKernel<<<TileCount(out.grid), kThreads, 0, stream>>>(g, in, accumulated, emitted, threshold, candidate_list,
                                                                         candidate_count, out);
  MD_CUDA_CHECK_LAUNCH();
}

}  // namespace mdcuda
