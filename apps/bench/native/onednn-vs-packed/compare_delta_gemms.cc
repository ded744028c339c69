// A delta GEMM C[m x n] = A[m x k] * B[k x n]: ours (B packed once, 64-row blocks of PackedGemm
// over md::parallel_for, as the input-driven delta convolution runs them) against oneDNN matmul
// with a runtime M and with a primitive made for each M.
#include <memory>

#include "compare.h"
#include "dense_packed_gemm.h"
#include "onednn_matmul.h"

namespace bench {

std::vector<GemmResult> CompareGemm(const dnnl::engine& eng, const GemmShape& shape, const std::vector<int64_t>& ms,
                                    const TimingPlan& plan) {
  const bool time_ours = OnlyMode() != Only::kOnednn, use_dnnl = OnlyMode() != Only::kOurs;
  const int64_t k = shape.k, n = shape.n;
  std::vector<float> bmat(k * n);
  FillRandom(bmat, 11, 1.f / std::sqrt(static_cast<float>(k)));
  const md::PackedB packed = md::PackB(bmat.data(), n, k, n, nullptr);
  std::unique_ptr<OnednnMatmul> runtime_m[2];
  if (use_dnnl) {
    for (int t = 0; t < 2; ++t) {
      SetThreads(kThreadCounts[t]);
      runtime_m[t] = std::make_unique<OnednnMatmul>(eng, -1, k, n, bmat.data());
    }
  }
  dnnl::stream stream(eng);
  std::vector<GemmResult> out;
  for (const int64_t m : ms) {
    GemmResult res;
    res.m = m;
    std::vector<float> a(m * k), c_ours(m * n), c_dnnl(m * n);
    FillRandom(a, 12 + static_cast<uint64_t>(m), 1.f);
    std::unique_ptr<OnednnMatmul> fixed_m[2];
    if (use_dnnl) {
      for (int t = 0; t < 2; ++t) {
        SetThreads(kThreadCounts[t]);
        fixed_m[t] = std::make_unique<OnednnMatmul>(eng, m, k, n, bmat.data());
      }
      res.fixed_create_cold_ms = fixed_m[0]->create_ms();
      SetThreads(1);
      OnednnMatmul again(eng, m, k, n, bmat.data());
      res.fixed_create_cached_ms = again.create_ms();
      res.impl_runtime = runtime_m[1]->impl();
      res.impl_fixed = fixed_m[1]->impl();
    }
    auto ours = [&] {
      constexpr int64_t kBlock = 64;
      md::parallel_for(0, (m + kBlock - 1) / kBlock, 1, [&](int64_t b0, int64_t b1) {
        for (int64_t blk = b0; blk < b1; ++blk) {
          const int64_t r0 = blk * kBlock;
          md::PackedGemm(a.data() + r0 * k, k, packed, std::min(kBlock, m - r0), c_ours.data() + r0 * n, n);
        }
      });
    };
    // Check both forms at both thread counts; the calls double as the probes.
    std::vector<double> probe(6);
    res.rel_err = 0;
    res.checked = use_dnnl;
    for (int t = 0; t < 2; ++t) {
      SetThreads(kThreadCounts[t]);
      double t0 = NowMs();
      ours();
      probe[3 * t] = NowMs() - t0;
      if (!use_dnnl) continue;
      OnednnMatmul* forms[2] = {runtime_m[t].get(), fixed_m[t].get()};
      for (int f = 0; f < 2; ++f) {
        std::fill(c_dnnl.begin(), c_dnnl.end(), NAN);
        t0 = NowMs();
        forms[f]->Run(stream, a.data(), m, c_dnnl.data());
        probe[3 * t + 1 + f] = NowMs() - t0;
        res.rel_err = std::max(res.rel_err, RelativeError(c_ours, c_dnnl));
      }
    }
    res.agree = res.rel_err < kTolerance;
    if (!use_dnnl) res.rel_err = NAN;
    if (res.agree) {
      std::vector<Variant> vs;
      std::vector<double> probes;
      for (int t = 0; t < 2; ++t) {
        if (time_ours) {
          vs.emplace_back("ours", kThreadCounts[t], ours);
          probes.push_back(probe[3 * t]);
        }
        if (use_dnnl) {
          OnednnMatmul* rt = runtime_m[t].get();
          OnednnMatmul* fx = fixed_m[t].get();
          vs.emplace_back("runtime-m", kThreadCounts[t], [&, rt] { rt->Run(stream, a.data(), m, c_dnnl.data()); });
          vs.emplace_back("fixed-m", kThreadCounts[t], [&, fx] { fx->Run(stream, a.data(), m, c_dnnl.data()); });
          probes.push_back(probe[3 * t + 1]);
          probes.push_back(probe[3 * t + 2]);
        }
      }
      RunInterleaved(vs, probes, plan);
      for (int t = 0; t < 2; ++t) {
        res.ours_ms[t] = MedianOf(vs, "ours", kThreadCounts[t]);
        res.runtime_m_ms[t] = MedianOf(vs, "runtime-m", kThreadCounts[t]);
        res.fixed_m_ms[t] = MedianOf(vs, "fixed-m", kThreadCounts[t]);
      }
    }
    out.push_back(res);
  }
  return out;
}

}  // namespace bench
