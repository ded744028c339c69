// Dense kernels, one thread per output element, through the same per-element functions as the
// host test build. Correctness first: no shared-memory tiling yet (see the package README).
#include "kernels.h"
#include "mdcuda/conv_transpose2d.h"
#include "mdcuda/cuda_check.h"

namespace mdcuda {
namespace {

__global__ void DenseConv2dKernel(Conv2dGeometry g, const float* x, const float* w, const float* bias, Activation act, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.out_c;
  if (i >= total) return;
  // Channels fastest: neighbouring threads read neighbouring weights of the same tap.
  const int co = static_cast<int>(i % g.out_c);
  int64_t rest = i / g.out_c;
  const int ox = static_cast<int>(rest % g.out_w);
  rest /= g.out_w;
  const int oy = static_cast<int>(rest % g.out_h);
  const int n = static_cast<int>(rest / g.out_h);
  y[i] = ActivateFloat(act, Conv2dDenseElement(g, x, w, bias, n, oy, ox, co), co);
}

__global__ void DenseConvTranspose2dKernel(Conv2dGeometry g, const float* x, const float* w, const float* bias, Activation act, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.out_c;
  if (i >= total) return;
  const int co = static_cast<int>(i % g.out_c);
  int64_t rest = i / g.out_c;
  const int ox = static_cast<int>(rest % g.out_w);
  rest /= g.out_w;
  const int oy = static_cast<int>(rest % g.out_h);
  const int n = static_cast<int>(rest / g.out_h);
  y[i] = ActivateFloat(act, ConvTranspose2dDenseElement(g, x, w, bias, n, oy, ox, co), co);
}

__global__ void DensePoolKernel(PoolGeometry g, bool max, const float* x, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.channels;
  if (i >= total) return;
  const int ch = static_cast<int>(i % g.channels);
  int64_t rest = i / g.channels;
  const int ox = static_cast<int>(rest % g.out_w);
  rest /= g.out_w;
  const int oy = static_cast<int>(rest % g.out_h);
  const int n = static_cast<int>(rest / g.out_h);
  y[i] = max ? MaxPoolElement(g, x, n, oy, ox, ch) : AvgPoolElement(g, x, n, oy, ox, ch);
}

__global__ void GlobalAvgPoolKernel(const float* x, int batch, int height, int width, int channels, float* y) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= batch * channels) return;
  y[i] = GlobalAvgElement(x, height, width, channels, i / channels, i % channels);
}

__global__ void DenseBinaryKernel(BinaryOp op, BroadcastGeometry g, const float* a, const float* b, Activation act, float* y, int64_t count,
                                  int channels) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count) return;
  int64_t oa = 0, ob = 0;
  BroadcastOffsets(g, i, &oa, &ob);
  y[i] = ActivateFloat(act, CombineBinary(op, a[oa], b[ob]), static_cast<int>(i % channels));
}

__global__ void DenseResizeKernel(ResizeGeometry g, const float* x, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.channels;
  if (i >= total) return;
  const int ch = static_cast<int>(i % g.channels);
  int64_t rest = i / g.channels;
  const int ox = static_cast<int>(rest % g.out_w);
  rest /= g.out_w;
  const int oy = static_cast<int>(rest % g.out_h);
  const int n = static_cast<int>(rest / g.out_h);
  y[i] = ResizeElement(g, x, n, oy, ox, ch);
}

__global__ void DensePadKernel(PadGeometry g, const float* x, float* y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) y[i] = PadElement(g, x, i);
}

__global__ void DenseConcatKernel(ConcatGeometry g, float* y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) y[i] = ConcatElement(g, i);
}

__global__ void DenseBatchNormKernel(const float* x, const double* mul, const double* add, int channels, float* y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= count) return;
  const int ch = static_cast<int>(i % channels);
  y[i] = BatchNormElement(x[i], mul[ch], add[ch]);
}

__global__ void DenseTransposeKernel(TransposeGeometry g, const float* x, float* y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) y[i] = x[TransposeSource(g, i)];
}

__global__ void DenseMatMulKernel(const float* a, const int64_t* a_offsets, const float* b, const int64_t* b_offsets, int batches, int m,
                                  int k, int n, Activation act, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= static_cast<int64_t>(batches) * m * n) return;
  const int j = static_cast<int>(i % n);
  const int row = static_cast<int>((i / n) % m);
  const int batch = static_cast<int>(i / (static_cast<int64_t>(m) * n));
  const double acc = MatrixProductElement(MatrixView{a, k, 1}, a_offsets[batch], MatrixView{b, n, 1}, b_offsets[batch], k, row, j);
  y[i] = ActivateFloat(act, static_cast<float>(acc), j);
}

__global__ void DenseGemmKernel(MatrixView a, MatrixView b, int m, int k, int n, double alpha, const float* c, int64_t c_row, int64_t c_col,
                                double beta, Activation act, float* y) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= static_cast<int64_t>(m) * n) return;
  const int j = static_cast<int>(i % n);
  const int row = static_cast<int>(i / n);
  const float v = GemmElement(MatrixProductElement(a, 0, b, 0, k, row, j), alpha, c, row * c_row + j * c_col, beta);
  y[i] = ActivateFloat(act, v, j);
}

__global__ void DenseSoftmaxKernel(const float* x, float* y, int64_t outer, int64_t length, int64_t inner) {
  const int64_t r = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (r >= outer * inner) return;
  SoftmaxRow(x, y, (r / inner) * length * inner + r % inner, length, inner);
}

__global__ void DenseSliceKernel(SliceGeometry g, const float* x, float* y, int64_t count) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) y[i] = x[SliceSource(g, i)];
}

__global__ void DenseReduceKernel(ReduceGeometry g, const float* x, float* y, int64_t count) {
  const int64_t o = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (o < count) y[o] = ReduceElement(g, x, o);
}

__global__ void DenseDepthSpaceKernel(DepthSpaceGeometry g, bool to_space, const float* x, float* y, int64_t count) {
  const int64_t deep = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (deep >= count) return;
  const int64_t shallow = ShallowOffsetOfDeep(g, deep);
  if (to_space) {
    y[shallow] = x[deep];
  } else {
    y[deep] = x[shallow];
  }
}

__global__ void DenseActivationKernel(Activation act, const float* x, float* y, int64_t count, int channels) {
  const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < count) y[i] = ActivateFloat(act, x[i], static_cast<int>(i % channels));
}

}  // namespace

void LaunchDenseConv2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, const Activation& act, float* y,
                       cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.out_c;
  if (total == 0) return;
  DenseConv2dKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(g, x, w, bias, act, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseConvTranspose2d(const Conv2dGeometry& g, const float* x, const float* w, const float* bias, const Activation& act, float* y,
                                cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.out_c;
  if (total == 0) return;
  DenseConvTranspose2dKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(g, x, w, bias, act, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDensePool(const PoolGeometry& g, bool max, const float* x, float* y, cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.channels;
  if (total == 0) return;
  DensePoolKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(g, max, x, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchGlobalAvgPool(const float* x, int batch, int height, int width, int channels, float* y, cudaStream_t stream) {
  const int total = batch * channels;
  if (total == 0) return;
  GlobalAvgPoolKernel<<<(total + 127) / 128, 128, 0, stream>>>(x, batch, height, width, channels, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseBinary(BinaryOp op, const BroadcastGeometry& g, const float* a, const float* b, const Activation& act, float* y,
                       int64_t count, int channels, cudaStream_t stream) {
  if (count == 0) return;
  DenseBinaryKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(op, g, a, b, act, y, count, channels);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseResize(const ResizeGeometry& g, const float* x, float* y, cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(g.batch) * g.out_h * g.out_w * g.channels;
  if (total == 0) return;
  DenseResizeKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(g, x, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDensePad(const PadGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DensePadKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(g, x, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseConcat(const ConcatGeometry& g, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DenseConcatKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(g, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseBatchNorm(const float* x, const double* mul, const double* add, int channels, float* y, int64_t count,
                          cudaStream_t stream) {
  if (count == 0) return;
  DenseBatchNormKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(x, mul, add, channels, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseTranspose(const TransposeGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DenseTransposeKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(g, x, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseMatMul(const float* a, const int64_t* a_offsets, const float* b, const int64_t* b_offsets, int batches, int m, int k, int n,
                       const Activation& act, float* y, cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(batches) * m * n;
  if (total == 0) return;
  DenseMatMulKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(a, a_offsets, b, b_offsets, batches, m, k, n, act, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseGemm(const MatrixView& a, const MatrixView& b, int m, int k, int n, double alpha, const float* c, int64_t c_row,
                     int64_t c_col, double beta, const Activation& act, float* y, cudaStream_t stream) {
  const int64_t total = static_cast<int64_t>(m) * n;
  if (total == 0) return;
  DenseGemmKernel<<<static_cast<unsigned>((total + 255) / 256), 256, 0, stream>>>(a, b, m, k, n, alpha, c, c_row, c_col, beta, act, y);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseSoftmax(const float* x, float* y, int64_t outer, int64_t length, int64_t inner, cudaStream_t stream) {
  const int64_t rows = outer * inner;
  if (rows == 0 || length == 0) return;
  DenseSoftmaxKernel<<<static_cast<unsigned>((rows + 127) / 128), 128, 0, stream>>>(x, y, outer, length, inner);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseSlice(const SliceGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DenseSliceKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(g, x, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseReduce(const ReduceGeometry& g, const float* x, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DenseReduceKernel<<<static_cast<unsigned>((count + 127) / 128), 128, 0, stream>>>(g, x, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseDepthSpace(const DepthSpaceGeometry& g, bool to_space, const float* x, float* y, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  DenseDepthSpaceKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(g, to_space, x, y, count);
  MD_CUDA_CHECK_LAUNCH();
}

void LaunchDenseActivation(const Activation& act, const float* x, float* y, int64_t count, int channels, cudaStream_t stream) {
  if (count == 0) return;
  DenseActivationKernel<<<static_cast<unsigned>((count + 255) / 256), 256, 0, stream>>>(act, x, y, count, channels);
  MD_CUDA_CHECK_LAUNCH();
}

}  // namespace mdcuda
