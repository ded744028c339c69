// Launchers of the CUDA kernels, one per step kind covered so far. Each enqueues its kernels on
// `stream` and checks every launch (MD_CUDA_CHECK_LAUNCH); none synchronises or reads device
// memory on the host. Pointers are device pointers.
#pragma once

#include <cuda_runtime_api.h>

#include "device_delta.h"
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

namespace mdcuda {

/** Dense convolution with bias (nullable) and fused activation (`act.slope` in device memory). */
void LaunchDenseConv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, const Activation& act, float* y,
                       cudaStream_t stream);

/** Dense transposed convolution (weight [kh, kw, Cin, Cout/groups]) with bias (nullable) and fused activation. */
void LaunchDenseConvTranspose2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, const Activation& act, float* y,
                                cudaStream_t stream);

/** Dense max (`max` true) or average pooling. */
void LaunchDensePool(const PoolGeometry& g, bool max, const float* x, float* y, cudaStream_t stream);

/** GlobalAvgPool: y [N, 1, 1, C] from x [N, H, W, C]. */
void LaunchGlobalAvgPool(const float* x, int batch, int height, int width, int channels, float* y, cudaStream_t stream);

/** Elementwise binary op with broadcasting and fused activation; `channels` is the output's last dimension. */
void LaunchDenseBinary(BinaryOp op, const BroadcastGeometry& g, const float* a, const float* b, const Activation& act, float* y,
                       int64_t count, int channels, cudaStream_t stream);

/** Dense Resize through tap tables in device memory. */
void LaunchDenseResize(const ResizeGeometry& g, const float* x, float* y, cudaStream_t stream);

/** Dense Pad of any rank <= kMaxRank through index maps in device memory; `count` output elements. */
void LaunchDensePad(const PadGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream);

/** Dense Concat (input pointers in `g` are device pointers); `count` output elements. */
void LaunchDenseConcat(const ConcatGeometry& g, float* y, int64_t count, cudaStream_t stream);

/** Dense inference BatchNorm over the last axis, folded per channel (`mul`, `add`: device arrays of `channels` doubles). */
void LaunchDenseBatchNorm(const float* x, const double* mul, const double* add, int channels, float* y, int64_t count, cudaStream_t stream);

/** Dense Transpose; `count` output elements. (The reshape family is a device-to-device copy: cudaMemcpyAsync.) */
void LaunchDenseTranspose(const TransposeGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream);

/** Batched MatMul: `batches` products of m x k by k x n at the device arrays of per-batch offsets; fused activation. */
void LaunchDenseMatMul(const float* a, const int64_t* a_offsets, const float* b, const int64_t* b_offsets, int batches, int m, int k, int n,
                       const Activation& act, float* y, cudaStream_t stream);

/** Gemm: y = act(alpha * A' B' + beta * C), C (nullable) read at i * c_row + j * c_col. */
void LaunchDenseGemm(const MatrixView& a, const MatrixView& b, int m, int k, int n, double alpha, const float* c, int64_t c_row,
                     int64_t c_col, double beta, const Activation& act, float* y, cudaStream_t stream);

/** Softmax along an axis: `outer * inner` rows of `length` values. */
void LaunchDenseSoftmax(const float* x, float* y, int64_t outer, int64_t length, int64_t inner, cudaStream_t stream);

/** Slice; `count` output elements. */
void LaunchDenseSlice(const SliceGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream);

/** Reduce; `count` output elements. */
void LaunchDenseReduce(const ReduceGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream);

/** DepthToSpace (`to_space`) or SpaceToDepth over the `count` elements of the deep side. */
void LaunchDenseDepthSpace(const DepthSpaceGeometry& g, bool to_space, const float* x, float* y, int64_t count, cudaStream_t stream);

/** Dense elementwise activation over `count` values whose last dimension has `channels` entries. */
void LaunchDenseActivation(const Activation& act, const float* x, float* y, int64_t count, int channels, cudaStream_t stream);

/** Builds a delta's tile masks and active tile list from its pixel mask (for deltas that arrive with pixel masks only). */
void LaunchTilesFromPixelMask(DeviceDelta d, cudaStream_t stream);

/** Sparsify: `out` (every field) from x against `reference`, which follows at active pixels. */
void LaunchSparsify(const float* x, float* reference, double threshold, DeviceDelta out, cudaStream_t stream);

/** target += delta at the delta's active pixels (its tile list must be built). */
void LaunchAccumulate(DeviceDelta delta, float* target, cudaStream_t stream);

/** Activation step with accumulate-and-truncate; `out` has the input's shape. */
void LaunchActivationDelta(const Activation& act, DeviceDelta in, float* accumulated, float* emitted, double threshold, DeviceDelta out,
                           cudaStream_t stream);

/**
 * Linear Conv2D step: candidate output tiles from the active input tiles (`candidates`: one byte
 * per output tile, all zero on entry and left zero), then every candidate tile gathers from the
 * active inputs.
 */
void LaunchConv2dDelta(const Conv2dGeometry& g, DeviceDelta in, const float* w, uint8_t* candidates, int* candidate_list,
                       int* candidate_count, DeviceDelta out, cudaStream_t stream);

/** Linear ConvTranspose2D step, as LaunchConv2dDelta with the transposed footprint and weight layout. */
void LaunchConvTranspose2dDelta(const Conv2dGeometry& g, DeviceDelta in, const float* w, uint8_t* candidates, int* candidate_list,
                                int* candidate_count, DeviceDelta out, cudaStream_t stream);

/** Linear AvgPool2D step: candidates as a window op, then each candidate window averages its active inputs. */
void LaunchAvgPoolDelta(const PoolGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                        DeviceDelta out, cudaStream_t stream);

/** Linear Resize step: candidates from the tables' inverse ranges, then each candidate gathers its four taps. */
void LaunchResizeDelta(const ResizeGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                       DeviceDelta out, cudaStream_t stream);

/** Linear Pad step on H and W: candidates from the maps' inverse ranges, then each candidate copies its source pixel. */
void LaunchPadDelta(const PadDeltaGeometry& g, DeviceDelta in, uint8_t* candidates, int* candidate_list, int* candidate_count,
                    DeviceDelta out, cudaStream_t stream);

/**
 * Linear channel Concat step: per tile, the union of the varying inputs' tile masks
 * (`tile_masks[j]`, null for a constant input), each active pixel copying its inputs' channels.
 */
void LaunchConcatDelta(const ConcatGeometry& g, const uint64_t* const* tile_masks, DeviceDelta out, cudaStream_t stream);

/** Linear Mul/Div by a constant, BatchNorm scale or Identity: the output mask is the input's. */
void LaunchScaleDelta(const ScaleGeometry& g, DeviceDelta in, DeviceDelta out, cudaStream_t stream);

/**
 * Binary step: each varying operand j (`deltas[j]` with `accumulated[j]`, both null for a constant
 * operand) accumulates its deltas; output tiles reached by active operand tiles (every tile when an
 * operand broadcasts along N, H or W) are candidates; candidate pixels reading an active operand
 * pixel are recomputed from `g` (whose data[j] are the accumulated arrays or constants) and truncated.
 */
void LaunchBinaryDelta(const BinaryDeltaGeometry& g, const DeviceDelta* deltas[2], float* accumulated[2], float* emitted, double threshold,
                       uint8_t* candidates, int* candidate_list, int* candidate_count, DeviceDelta out, cudaStream_t stream);

/** Linear GlobalAvgPool step: out [N,1,1,C], active for each image with an active input. */
void LaunchGlobalAvgPoolDelta(DeviceDelta in, DeviceDelta out, cudaStream_t stream);

/**
 * Linear Add/Sub step: out = sa * a + sb * b where either is active (same shapes). A sign of 0
 * marks a constant operand (it cancels): its delta is not read and may be any view.
 */
void LaunchLinearSum(DeviceDelta a, float sa, DeviceDelta b, float sb, DeviceDelta out, cudaStream_t stream);

/**
 * Max pooling step: the deltas are accumulated into `accumulated`, the output tiles reached by
 * active input tiles become candidates, and every candidate window holding an active input is
 * recomputed and emitted with truncation.
 */
void LaunchMaxPoolDelta(const PoolGeometry& g, DeviceDelta in, float* accumulated, float* emitted, double threshold, uint8_t* candidates,
                        int* candidate_list, int* candidate_count, DeviceDelta out, cudaStream_t stream);

}  // namespace mdcuda
