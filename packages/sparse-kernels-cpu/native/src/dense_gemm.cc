// Gemm and batched MatMul on OpenBLAS. Each product is split into row (or, for few rows, column)
// panels that parallel chunks multiply with single-threaded sgemm, so the pool's threads are the
// only ones computing and a batch of small products is spread over them too.
#include <napi.h>

#include <algorithm>
#include <vector>

#include "async_kernel.h"
#include "common_activation.h"
#include "common_args.h"
#include "common_blas.h"
#include "dense_entry_points.h"
#include "thread_pool.h"

namespace md {
namespace {

struct Product {
  int64_t m, k, n;
  bool trans_a, trans_b;
  float alpha;
};

// Panels per product: enough to feed every thread, none smaller than 16 rows/columns.
int64_t PanelCount(int64_t extent, int64_t batches) {
  const int64_t want = std::max<int64_t>(1, (num_threads() * 4 + batches - 1) / batches);
  return std::max<int64_t>(1, std::min(want, (extent + 15) / 16));
}

// C (m x n, row-major, ldc = n) = alpha * op(A) op(B) for panel `p` of `panels`.
void SgemmPanel(const Product& pr, const float* a, const float* b, float* c, int64_t p, int64_t panels, bool by_rows) {
  const int64_t lda = std::max<int64_t>(1, pr.trans_a ? pr.m : pr.k);
  const int64_t ldb = std::max<int64_t>(1, pr.trans_b ? pr.k : pr.n);
  const int64_t extent = by_rows ? pr.m : pr.n;
  const int64_t begin = extent * p / panels, end = extent * (p + 1) / panels;
  if (end <= begin) return;
  const CBLAS_TRANSPOSE ta = pr.trans_a ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = pr.trans_b ? CblasTrans : CblasNoTrans;
  if (by_rows) {
    const float* ap = pr.trans_a ? a + begin : a + begin * lda;
    cblas_sgemm(CblasRowMajor, ta, tb, static_cast<int>(end - begin), static_cast<int>(pr.n), static_cast<int>(pr.k), pr.alpha, ap, static_cast<int>(lda), b,
                static_cast<int>(ldb), 0.f, c + begin * pr.n, static_cast<int>(std::max<int64_t>(1, pr.n)));
  } else {
    const float* bp = pr.trans_b ? b + begin * ldb : b + begin;
    cblas_sgemm(CblasRowMajor, ta, tb, static_cast<int>(pr.m), static_cast<int>(end - begin), static_cast<int>(pr.k), pr.alpha, a, static_cast<int>(lda), bp,
                static_cast<int>(ldb), 0.f, c + begin, static_cast<int>(std::max<int64_t>(1, pr.n)));
  }
}

// `batches` products of the same shape at the given offsets, spread over the pool.
void BatchedSgemm(const Product& pr, const float* a, const float* b, float* c, const std::vector<int64_t>& a_off, const std::vector<int64_t>& b_off) {
  const int64_t batches = static_cast<int64_t>(a_off.size());
  const bool by_rows = pr.m >= pr.n;
  const int64_t panels = PanelCount(by_rows ? pr.m : pr.n, batches);
  BlasSingleThread single_threaded_blas;
  parallel_for(0, batches * panels, 1, [&](int64_t u0, int64_t u1) {
    for (int64_t u = u0; u < u1; ++u) {
      const int64_t batch = u / panels;
      SgemmPanel(pr, a + a_off[batch], b + b_off[batch], c + batch * pr.m * pr.n, u - batch * panels, panels, by_rows);
    }
  });
}

}  // namespace

// gemm(a, b, c | null, out, geometry [m, k, n, transA, transB, cRowStride, cColStride], alpha, beta, activation | null)
Napi::Value GemmEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto a = F32(info[0], "a");
  auto b = F32(info[1], "b");
  auto c = OptF32(info[2], "c");
  auto out = F32(info[3], "out");
  const auto g = Ints(info[4], 7, "geometry");
  ExpectAtLeast(env, g, 0, "geometry");
  const Product pr{g[0], g[1], g[2], g[3] != 0, g[4] != 0, FloatArg(info[5], "alpha")};
  const float beta = FloatArg(info[6], "beta");
  const int64_t c_row = g[5], c_col = g[6];
  ExpectLength(env, a.length, pr.m * pr.k, "a");
  ExpectLength(env, b.length, pr.k * pr.n, "b");
  ExpectLength(env, out.length, pr.m * pr.n, "out");
  if (c.data && pr.m > 0 && pr.n > 0 && (pr.m - 1) * c_row + (pr.n - 1) * c_col >= static_cast<int64_t>(c.length)) {
    throw Napi::RangeError::New(env, "gemm: C's strides reach past its end");
  }
  const Activation act = ParseActivation(info[7], pr.n);
  return AsyncKernel::Start(env, "gemm", {info[0], info[1], info[2], info[3], info[7]}, [=] {
    BatchedSgemm(pr, a.data, b.data, out.data, {0}, {0});
    if (c.data && beta != 0.f) {
      for (int64_t i = 0; i < pr.m; ++i) {
        for (int64_t j = 0; j < pr.n; ++j) out.data[i * pr.n + j] += beta * c.data[i * c_row + j * c_col];
      }
    }
    act.apply(out.data, pr.m, pr.n);
  }, nullptr, RunInline(pr.m * pr.n * pr.k / 8 + pr.m * pr.n));
}

// matmul(a, b, out, geometry [m, k, n, batches, channels], aOffsets, bOffsets, activation | null)
Napi::Value MatMulEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto a = F32(info[0], "a");
  auto b = F32(info[1], "b");
  auto out = F32(info[2], "out");
  const auto g = Ints(info[3], 5, "geometry");
  ExpectAtLeast(env, g, 0, "geometry");
  const Product pr{g[0], g[1], g[2], false, false, 1.f};
  const int64_t batches = g[3], channels = g[4];
  auto ao = I32(info[4], "aOffsets");
  auto bo = I32(info[5], "bOffsets");
  ExpectLength(env, ao.length, batches, "aOffsets");
  ExpectLength(env, bo.length, batches, "bOffsets");
  ExpectLength(env, out.length, batches * pr.m * pr.n, "out");
  std::vector<int64_t> a_off(ao.data, ao.data + batches), b_off(bo.data, bo.data + batches);
  for (int64_t i = 0; i < batches; ++i) {
    if (a_off[i] < 0 || a_off[i] + pr.m * pr.k > static_cast<int64_t>(a.length) || b_off[i] < 0 || b_off[i] + pr.k * pr.n > static_cast<int64_t>(b.length)) {
      throw Napi::RangeError::New(env, "matmul: a batch offset reaches past the end of an operand");
    }
  }
  if (channels < 1 || (batches * pr.m * pr.n) % channels != 0) throw Napi::RangeError::New(env, "matmul: channels must divide the output size");
  const Activation act = ParseActivation(info[6], channels);
  return AsyncKernel::Start(env, "matmul", {info[0], info[1], info[2], info[6]}, [=] {
    BatchedSgemm(pr, a.data, b.data, out.data, a_off, b_off);
    act.apply(out.data, batches * pr.m * pr.n / channels, channels);
  }, nullptr, RunInline(batches * (pr.m * pr.n * pr.k / 8 + pr.m * pr.n)));
}

}  // namespace md
