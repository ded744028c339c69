// Interleaved timing: every variant (a kernel at a thread count) runs a block of calls per round,
// the variants take turns (order reversed every other round), and each call is one sample.
#pragma once

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "thread_pool.h"

namespace bench {

inline double NowMs() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

// Both pools to `threads`: ours (md::parallel_for; resized only on a change) and OpenMP's (oneDNN).
inline void SetThreads(int threads) {
  static int current = -1;
  if (threads != current) md::set_num_threads(threads);
  omp_set_num_threads(threads);
  current = threads;
}

struct Variant {
  Variant(std::string n, int t, std::function<void()> f) : name(std::move(n)), threads(t), run(std::move(f)) {}

  std::string name;
  int threads = 1;
  std::function<void()> run;
  int reps = 1;      // timed calls per block
  bool warm = true;  // one untimed call before each block
  std::vector<double> samples;

  double Median() const {
    if (samples.empty()) return NAN;
    std::vector<double> s = samples;
    std::nth_element(s.begin(), s.begin() + s.size() / 2, s.end());
    double m = s[s.size() / 2];
    if (s.size() % 2 == 0) {
      const double lo = *std::max_element(s.begin(), s.begin() + s.size() / 2);
      m = 0.5 * (m + lo);
    }
    return m;
  }
};

// The median of the variant `name` at `threads`, NaN when it was not timed.
inline double MedianOf(const std::vector<Variant>& vs, const std::string& name, int threads) {
  for (const auto& v : vs) {
    if (v.name == name && v.threads == threads) return v.Median();
  }
  return NAN;
}

struct TimingPlan {
  int rounds = 5;
  double block_ms = 20;  // calls per block: about this long
  int max_reps = 50;
  double pause_ms = 10;  // between blocks: OpenMP's and our pool's idle threads stop spinning
};

// `probe_ms[i]`: one call of variant i, measured beforehand (sets reps and warm-up).
inline void RunInterleaved(std::vector<Variant>& vs, const std::vector<double>& probe_ms, const TimingPlan& plan) {
  for (size_t i = 0; i < vs.size(); ++i) {
    const double p = std::max(probe_ms[i], 1e-3);
    vs[i].reps = std::max(1, std::min(plan.max_reps, static_cast<int>(std::ceil(plan.block_ms / p))));
    vs[i].warm = p < 100;
  }
  for (int r = 0; r < plan.rounds; ++r) {
    for (size_t j = 0; j < vs.size(); ++j) {
      Variant& v = vs[r % 2 == 0 ? j : vs.size() - 1 - j];
      SetThreads(v.threads);
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(plan.pause_ms));
      if (v.warm) v.run();
      for (int k = 0; k < v.reps; ++k) {
        const double t0 = NowMs();
        v.run();
        v.samples.push_back(NowMs() - t0);
      }
    }
  }
}

}  // namespace bench
