// A convolution layer: our path (weights packed once, md::Conv2D with the fused activation) against
// a oneDNN convolution primitive (created once per thread count), checked, then timed interleaved.
#include <chrono>
#include <cmath>
#include <memory>

#include "compare.h"
#include "dense_conv2d.h"
#include "onednn_conv.h"

namespace bench {

void FillRandom(std::vector<float>& v, uint64_t seed, float scale) {
  uint64_t s = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  for (float& x : v) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    x = scale * (static_cast<float>((s >> 40) & 0xFFFFFF) / 8388608.f - 1.f);
  }
}

double RelativeError(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, mag = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, static_cast<double>(std::fabs(a[i] - b[i])));
    mag = std::max(mag, static_cast<double>(std::fabs(a[i])));
  }
  if (std::isnan(diff)) return INFINITY;
  return mag > 0 ? diff / mag : diff;
}

ConvResult CompareConv(const dnnl::engine& eng, const ConvLayer& layer, const TimingPlan& plan) {
  const md::ConvGeometry& g = layer.g;
  ConvResult res;
  std::vector<float> x(g.input_size()), w(g.weight_size()), bias(g.out_c), slope(std::max<int64_t>(1, layer.act.slope_len));
  FillRandom(x, 1, 1.f);
  FillRandom(w, 2, 1.f / std::sqrt(static_cast<float>(g.kh * g.kw * g.cin_per_group())));
  FillRandom(bias, 3, 0.5f);
  FillRandom(slope, 4, 0.3f);
  const float* b = layer.bias ? bias.data() : nullptr;
  const md::Activation act = ToMd(layer.act, slope.data());
  const md::ConvOptions options;  // defaults: packed AVX2 GEMM, implicit GEMM

  // Ours: weights packed once (depthwise layers take no pack: direct loop).
  const double p0 = NowMs();
  md::PackedConvWeights packed;
  if (!g.depthwise()) packed = md::PackConvWeights(g, w.data(), b);
  res.pack_ms = NowMs() - p0;
  const md::PackedConvWeights* pk = g.depthwise() ? nullptr : &packed;

  const bool time_ours = OnlyMode() != Only::kOnednn, use_dnnl = OnlyMode() != Only::kOurs;
  // oneDNN: one primitive per thread count.
  std::unique_ptr<OnednnConv> dnnl_conv[2];
  if (use_dnnl) {
    for (int t = 0; t < 2; ++t) {
      SetThreads(kThreadCounts[t]);
      dnnl_conv[t] = std::make_unique<OnednnConv>(eng, layer, w.data(), b);
    }
    res.dnnl_setup_ms = dnnl_conv[0]->setup_ms();
    res.impl = dnnl_conv[1]->impl();
    if (dnnl_conv[0]->impl() != res.impl) res.impl += " (1 thread: " + dnnl_conv[0]->impl() + ")";
  }

  std::vector<float> out_ours(g.output_size()), out_dnnl(g.output_size());
  dnnl::stream stream(eng);
  auto ours = [&] { md::Conv2D(g, x.data(), w.data(), b, out_ours.data(), act, pk, options); };

  // Check at both thread counts; the calls double as the probes that size the timing blocks.
  std::vector<double> probe(4);
  res.agree = true;
  res.checked = use_dnnl;
  for (int t = 0; t < 2; ++t) {
    SetThreads(kThreadCounts[t]);
    std::fill(out_ours.begin(), out_ours.end(), NAN);
    std::fill(out_dnnl.begin(), out_dnnl.end(), NAN);
    double t0 = NowMs();
    ours();
    probe[2 * t] = NowMs() - t0;
    if (!use_dnnl) continue;
    t0 = NowMs();
    dnnl_conv[t]->Run(stream, x.data(), out_dnnl.data());
    probe[2 * t + 1] = NowMs() - t0;
    res.rel_err[t] = RelativeError(out_ours, out_dnnl);
    if (!(res.rel_err[t] < kTolerance)) res.agree = false;
  }
  if (!res.agree) return res;  // not timed: a wrong result has no speed

  std::vector<Variant> vs;
  std::vector<double> probes;
  for (int t = 0; t < 2; ++t) {
    if (time_ours) {
      vs.emplace_back("ours", kThreadCounts[t], ours);
      probes.push_back(probe[2 * t]);
    }
    if (use_dnnl) {
      OnednnConv* c = dnnl_conv[t].get();
      vs.emplace_back("onednn", kThreadCounts[t], [&stream, c, &x, &out_dnnl] { c->Run(stream, x.data(), out_dnnl.data()); });
      probes.push_back(probe[2 * t + 1]);
    }
  }
  RunInterleaved(vs, probes, plan);
  for (int t = 0; t < 2; ++t) {
    res.ours_ms[t] = MedianOf(vs, "ours", kThreadCounts[t]);
    res.dnnl_ms[t] = MedianOf(vs, "onednn", kThreadCounts[t]);
  }
  res.samples = static_cast<int>(vs[0].samples.size());
  return res;
}

}  // namespace bench
