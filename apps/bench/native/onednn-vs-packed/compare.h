// One layer (or delta GEMM) timed both ways at 1 and 2 threads, after checking that both agree.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <vector>

#include "interleaved_timer.h"
#include "layer_shapes.h"

namespace bench {

constexpr int kThreadCounts[] = {1, 2};
constexpr double kTolerance = 1e-4;  // max |ours - oneDNN| / max |ours|

// Which side is timed. kBoth: both, interleaved, after the check. kOurs: only ours, and no oneDNN
// primitive is created or run in the process (OpenMP's idle threads spin for a long time after a
// parallel region and take the second core from our pool; see README.md); nothing is checked.
// kOnednn: only oneDNN (after the check).
enum class Only { kBoth, kOurs, kOnednn };
inline Only& OnlyMode() {
  static Only mode = Only::kBoth;
  return mode;
}

struct ConvResult {
  double ours_ms[2] = {NAN, NAN};  // median per thread count (index 0: 1 thread, 1: 2 threads)
  double dnnl_ms[2] = {NAN, NAN};
  int samples = 0;  // per variant
  double rel_err[2] = {NAN, NAN};
  bool agree = false;
  bool checked = false;      // false with --only ours
  std::string impl;          // oneDNN's implementation (2 threads; same at 1 unless noted)
  double dnnl_setup_ms = 0;  // primitive creation + weight reorder (1 thread)
  double pack_ms = 0;        // PackConvWeights
};

ConvResult CompareConv(const dnnl::engine& eng, const ConvLayer& layer, const TimingPlan& plan);

struct GemmResult {
  int64_t m = 0;
  double ours_ms[2] = {NAN, NAN};
  double runtime_m_ms[2] = {NAN, NAN};  // one primitive, M = DNNL_RUNTIME_DIM_VAL
  double fixed_m_ms[2] = {NAN, NAN};    // one primitive per M
  double rel_err = NAN;                 // worst of both oneDNN forms, both thread counts
  bool agree = false;
  bool checked = false;
  std::string impl_runtime, impl_fixed;
  double fixed_create_cold_ms = 0;    // creating the per-M primitive the first time (1 thread)
  double fixed_create_cached_ms = 0;  // creating it again (oneDNN's primitive cache hit)
};

// Every M of `ms` for one (K, N).
std::vector<GemmResult> CompareGemm(const dnnl::engine& eng, const GemmShape& shape, const std::vector<int64_t>& ms,
                                    const TimingPlan& plan);

// Deterministic values uniform in [-scale, scale].
void FillRandom(std::vector<float>& v, uint64_t seed, float scale);
// max |a - b| / max |a|.
double RelativeError(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace bench
