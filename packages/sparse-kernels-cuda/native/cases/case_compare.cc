#include "case_compare.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

namespace mdcases {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// valueError of compare-values.ts: a non-finite value matched exactly agrees and stays out of
// the magnitudes; any other non-finite mismatch fails.
double Ratio(const std::vector<float>& a, const std::vector<float>& e, const Tolerance& tol, int64_t* worst_index) {
  double diff2 = 0, ref2 = 0, max_diff = 0, max_ref = 0;
  *worst_index = -1;
  for (size_t i = 0; i < e.size(); i++) {
    const double av = a[i], ev = e[i];
    const bool same = (av == ev && std::signbit(av) == std::signbit(ev)) || (std::isnan(av) && std::isnan(ev));
    if (same && !std::isfinite(ev)) continue;
    const double d = same ? 0 : std::fabs(av - ev);
    if (!std::isfinite(d)) {
      *worst_index = static_cast<int64_t>(i);
      return kInf;
    }
    diff2 += d * d;
    ref2 += ev * ev;
    if (d > max_diff) {
      max_diff = d;
      *worst_index = static_cast<int64_t>(i);
    }
    max_ref = std::fmax(max_ref, std::fabs(ev));
  }
  const double n = static_cast<double>(e.size());
  const double l2_floor = std::fmax(std::sqrt(ref2), tol.scale * std::sqrt(n));
  const double abs_floor = std::fmax(max_ref, tol.scale);
  const double rel_l2 = diff2 == 0 ? 0 : l2_floor == 0 ? kInf : std::sqrt(diff2) / l2_floor;
  const double max_abs = max_diff == 0 ? 0 : abs_floor == 0 ? kInf : max_diff / abs_floor;
  return std::fmax(rel_l2 / tol.rel_l2, max_abs / tol.max_abs);
}

}  // namespace

CompareResult CompareOutputs(const CaseFile& c, const Outputs& actual) {
  CompareResult result{true, 0.0, ""};
  std::ostringstream message;
  auto fail = [&](const std::string& what) {
    result.ok = false;
    message << what << "; ";
  };
  auto find = [&](const std::string& name) -> const Array* {
    auto it = actual.find(name);
    if (it == actual.end()) {
      fail(name + " was not produced");
      result.worst = kInf;
      return nullptr;
    }
    return &it->second;
  };
  std::map<std::string, bool> in_delta;
  for (const std::string& d : c.deltas) {
    in_delta[d + ".values"] = in_delta[d + ".mask"] = true;
    const Array& ev = c.F32(d + ".values");
    const Array& em = c.U8(d + ".mask");
    const Array* av = find(d + ".values");
    const Array* am = find(d + ".mask");
    if (av == nullptr || am == nullptr) continue;
    if (am->u8.size() != em.u8.size() || av->f32.size() != ev.f32.size()) {
      fail(d + " has another size than expected");
      result.worst = kInf;
      continue;
    }
    const int64_t pixels = static_cast<int64_t>(em.u8.size());
    const int64_t channels = pixels == 0 ? 0 : static_cast<int64_t>(ev.f32.size()) / pixels;
    int64_t missing = 0, extra = 0, first = -1;
    std::vector<float> a, e;
    for (int64_t p = 0; p < pixels; p++) {
      const bool want = em.u8[p] != 0, got = am->u8[p] != 0;
      if (want != got) {
        (want ? missing : extra)++;
        if (first < 0) first = p;
      }
      if (!(want && got)) continue;
      for (int64_t ch = 0; ch < channels; ch++) {
        a.push_back(av->f32[p * channels + ch]);
        e.push_back(ev.f32[p * channels + ch]);
      }
    }
    if (missing + extra > 0) {
      std::ostringstream m;
      m << d << " mask: " << missing << " missing, " << extra << " extra (first at pixel " << first << ")";
      fail(m.str());
      result.worst = kInf;
    }
    int64_t worst_index = -1;
    const double ratio = Ratio(a, e, c.tolerances.at(d + ".values"), &worst_index);
    result.worst = std::fmax(result.worst, ratio);
    if (!(ratio <= 1)) {
      std::ostringstream m;
      m << d << " values at " << (worst_index / (channels == 0 ? 1 : channels)) << ": " << a[worst_index] << " vs " << e[worst_index]
        << " (" << ratio << " x tolerance)";
      fail(m.str());
    }
  }
  for (const auto& [name, tol] : c.tolerances) {
    if (in_delta.count(name) != 0) continue;
    const Array& e = c.F32(name);
    const Array* a = find(name);
    if (a == nullptr) continue;
    if (a->f32.size() != e.f32.size()) {
      fail(name + " has another size than expected");
      result.worst = kInf;
      continue;
    }
    int64_t worst_index = -1;
    const double ratio = Ratio(a->f32, e.f32, tol, &worst_index);
    result.worst = std::fmax(result.worst, ratio);
    if (!(ratio <= 1)) {
      std::ostringstream m;
      m << name << "[" << worst_index << "]: " << a->f32[worst_index] << " vs " << e.f32[worst_index] << " (" << ratio << " x tolerance)";
      fail(m.str());
    }
  }
  result.message = message.str();
  return result;
}

}  // namespace mdcases
