// oneDNN against the packed AVX2 GEMM, per layer of the benchmark models (see README.md).
//
//   onednn_vs_packed --layers layers.json [--models esrgan-x2,posenet] [--rounds 5] [--block-ms 20]
//                    [--pause-ms 10] [--only ours|onednn|both] [--no-convs] [--no-delta] [--ms 64,512,4096] [--json results.json]
//
// Prints markdown tables (one per model, one per delta-GEMM M) and writes the medians to --json.
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compare.h"
#include "dense_packed_gemm.h"
#include "layer_shapes.h"

namespace {

std::string LoadAvg() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string CpuModel() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "?";
}

std::string IsaName(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41:
      return "sse41";
    case dnnl::cpu_isa::avx:
      return "avx";
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other (" + std::to_string(static_cast<int>(isa)) + ")";
  }
}

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string Fmt(double v, int prec = 3) {
  if (std::isnan(v)) return "-";
  char buf[64];
  // 3 significant digits for times (ms), fixed for ratios.
  if (prec < 0) {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  } else if (v >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (v >= 10) {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  } else if (v >= 1) {
    std::snprintf(buf, sizeof buf, "%.2f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
  }
  return buf;
}

std::string Ratio(double a, double b) { return Fmt(a / b, -1); }

std::string JsonStr(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

std::string JsonNum(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

struct Totals {
  double ours[2] = {0, 0}, dnnl[2] = {0, 0}, best[2] = {0, 0}, macs = 0;
  int nodes = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string layers_path, json_path, model_filter;
  std::vector<int64_t> ms = {64, 512, 4096};
  bench::TimingPlan plan;
  bool convs = true, delta = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--layers")
      layers_path = next();
    else if (a == "--json")
      json_path = next();
    else if (a == "--models")
      model_filter = next();
    else if (a == "--rounds")
      plan.rounds = std::stoi(next());
    else if (a == "--block-ms")
      plan.block_ms = std::stod(next());
    else if (a == "--pause-ms")
      plan.pause_ms = std::stod(next());
    else if (a == "--no-convs")
      convs = false;
    else if (a == "--only") {
      const std::string v = next();
      if (v == "ours")
        bench::OnlyMode() = bench::Only::kOurs;
      else if (v == "onednn")
        bench::OnlyMode() = bench::Only::kOnednn;
      else if (v != "both")
        throw std::runtime_error("--only takes ours, onednn or both");
    } else if (a == "--no-delta")
      delta = false;
    else if (a == "--ms") {
      ms.clear();
      for (const auto& s : Split(next())) ms.push_back(std::stoll(s));
    } else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  if (layers_path.empty()) {
    std::cerr << "usage: onednn_vs_packed --layers layers.json [--models ids] [--rounds N] [--block-ms MS] [--pause-ms MS] [--only "
                 "ours|onednn|both] [--no-convs] [--no-delta] [--ms 64,512,4096] [--json out.json]\n";
    return 2;
  }
  if (!md::PackedGemmAvailable()) {
    std::cerr << "this build has no AVX2/FMA packed GEMM (built without -march=x86-64-v3?)\n";
    return 1;
  }
  const std::set<std::string> wanted = [&] {
    auto v = Split(model_filter);
    return std::set<std::string>(v.begin(), v.end());
  }();
  auto models = bench::LoadLayers(layers_path);
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  const auto* ver = dnnl::version();

  std::cout << "# oneDNN " << ver->major << "." << ver->minor << "." << ver->patch << " (cpu runtime: OpenMP, effective ISA "
            << IsaName(dnnl::get_effective_cpu_isa()) << ") against the packed AVX2 GEMM\n\n";
  std::cout << "CPU: " << CpuModel() << ", " << omp_get_num_procs() << " processors; rounds " << plan.rounds << ", blocks of about "
            << plan.block_ms << " ms, " << plan.pause_ms << " ms apart; OMP_WAIT_POLICY "
            << (std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "unset") << "; timed: "
            << (bench::OnlyMode() == bench::Only::kOurs     ? "ours only (nothing checked)"
                : bench::OnlyMode() == bench::Only::kOnednn ? "oneDNN only"
                                                            : "both")
            << "; load at start " << LoadAvg() << "\n\n";

  std::ostringstream json;
  json << "{\n \"onednn\": \"" << ver->major << "." << ver->minor << "." << ver->patch
       << "\",\n \"isa\": " << JsonStr(IsaName(dnnl::get_effective_cpu_isa())) << ",\n \"cpu\": " << JsonStr(CpuModel())
       << ",\n \"rounds\": " << plan.rounds << ",\n \"models\": [";
  bool mismatch = false;
  std::map<std::string, Totals> family_totals;
  if (convs) {
    bool first_model = true;
    for (const auto& model : models) {
      if (!wanted.empty() && !wanted.count(model.id) && !wanted.count(model.Name())) continue;
      const std::string load0 = LoadAvg();
      std::cerr << "== " << model.Name() << " (" << model.convs.size() << " distinct layers), load " << load0 << "\n";
      std::ostringstream table, rows_json;
      table << "### " << model.Name() << "\n\n";
      table << "| layer | n | MMAC | ours 1t ms | oneDNN 1t ms | ours/oneDNN 1t | ours 2t ms | oneDNN 2t ms | ours/oneDNN 2t | oneDNN impl "
               "|\n";
      table << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
      Totals tot;
      bool first_row = true;
      for (const auto& layer : model.convs) {
        std::cerr << "  " << layer.Describe() << " x" << layer.count << " ... " << std::flush;
        const bench::ConvResult r = bench::CompareConv(eng, layer, plan);
        std::cerr << (r.agree ? "" : "MISMATCH ") << Fmt(r.ours_ms[0]) << " / " << Fmt(r.dnnl_ms[0]) << " ms (1t), " << Fmt(r.ours_ms[1])
                  << " / " << Fmt(r.dnnl_ms[1]) << " ms (2t), err " << r.rel_err[0] << ", " << r.impl << "\n";
        if (!r.agree) mismatch = true;
        table << "| " << layer.Describe() << " | " << layer.count << " | " << Fmt(layer.macs / 1e6) << " | " << Fmt(r.ours_ms[0]) << " | "
              << Fmt(r.dnnl_ms[0]) << " | " << Ratio(r.ours_ms[0], r.dnnl_ms[0]) << " | " << Fmt(r.ours_ms[1]) << " | " << Fmt(r.dnnl_ms[1])
              << " | " << Ratio(r.ours_ms[1], r.dnnl_ms[1]) << " | " << (r.agree ? r.impl : "MISMATCH " + r.impl) << " |\n";
        Totals& fam = family_totals[layer.Family()];
        for (Totals* t : {&tot, &fam}) {
          for (int i = 0; i < 2; ++i) {
            t->ours[i] += layer.count * r.ours_ms[i];
            t->dnnl[i] += layer.count * r.dnnl_ms[i];
            t->best[i] += layer.count * std::min(r.ours_ms[i], r.dnnl_ms[i]);
          }
          t->macs += layer.count * layer.macs;
          t->nodes += static_cast<int>(layer.count);
        }
        rows_json << (first_row ? "" : ",") << "\n   {\"layer\": " << JsonStr(layer.Describe())
                  << ", \"family\": " << JsonStr(layer.Family()) << ", \"firstNode\": " << JsonStr(layer.first_node)
                  << ", \"count\": " << layer.count << ", \"macs\": " << JsonNum(layer.macs) << ", \"oursMs\": [" << JsonNum(r.ours_ms[0])
                  << ", " << JsonNum(r.ours_ms[1]) << "], \"onednnMs\": [" << JsonNum(r.dnnl_ms[0]) << ", " << JsonNum(r.dnnl_ms[1])
                  << "], \"samples\": " << r.samples << ", \"checked\": " << (r.checked ? "true" : "false") << ", \"relErr\": ["
                  << JsonNum(r.rel_err[0]) << ", " << JsonNum(r.rel_err[1]) << "], \"onednnImpl\": " << JsonStr(r.impl)
                  << ", \"onednnSetupMs\": " << JsonNum(r.dnnl_setup_ms) << ", \"packMs\": " << JsonNum(r.pack_ms) << "}";
        first_row = false;
      }
      const std::string load1 = LoadAvg();
      table << "| **total** (" << tot.nodes << " nodes) | | " << Fmt(tot.macs / 1e6) << " | **" << Fmt(tot.ours[0]) << "** | **"
            << Fmt(tot.dnnl[0]) << "** | **" << Ratio(tot.ours[0], tot.dnnl[0]) << "** | **" << Fmt(tot.ours[1]) << "** | **"
            << Fmt(tot.dnnl[1]) << "** | **" << Ratio(tot.ours[1], tot.dnnl[1]) << "** | best of both per layer: " << Fmt(tot.best[0])
            << " ms (1t), " << Fmt(tot.best[1]) << " ms (2t) |\n";
      table << "\nLoad average " << load0 << " at the start, " << load1 << " at the end.";
      if (model.not_timed_nodes > 0) {
        table << " Not timed: " << model.not_timed_nodes << " ConvTranspose2D/MatMul nodes, " << Fmt(model.not_timed_macs / 1e6)
              << " MMAC.";
      }
      table << "\n\n";
      std::cout << table.str() << std::flush;
      json << (first_model ? "" : ",") << "\n  {\"model\": " << JsonStr(model.id) << ", \"input\": [" << model.in_h << ", " << model.in_w
           << "], \"loadStart\": " << JsonStr(load0) << ", \"loadEnd\": " << JsonStr(load1) << ", \"totalOursMs\": ["
           << JsonNum(tot.ours[0]) << ", " << JsonNum(tot.ours[1]) << "], \"totalOnednnMs\": [" << JsonNum(tot.dnnl[0]) << ", "
           << JsonNum(tot.dnnl[1]) << "], \"totalBestMs\": [" << JsonNum(tot.best[0]) << ", " << JsonNum(tot.best[1])
           << "], \"macs\": " << JsonNum(tot.macs) << ", \"layers\": [" << rows_json.str() << "]}";
      first_model = false;
    }
    std::cout << "### By layer family (all models above, each layer times its node count)\n\n";
    std::cout << "| family | nodes | GMAC | ours 1t ms | oneDNN 1t ms | ours/oneDNN 1t | ours 2t ms | oneDNN 2t ms | ours/oneDNN 2t |\n";
    std::cout << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& [fam, t] : family_totals) {
      std::cout << "| " << fam << " | " << t.nodes << " | " << Fmt(t.macs / 1e9) << " | " << Fmt(t.ours[0]) << " | " << Fmt(t.dnnl[0])
                << " | " << Ratio(t.ours[0], t.dnnl[0]) << " | " << Fmt(t.ours[1]) << " | " << Fmt(t.dnnl[1]) << " | "
                << Ratio(t.ours[1], t.dnnl[1]) << " |\n";
    }
    std::cout << "\n";
  }
  json << "\n ],\n \"deltaGemms\": [";
  if (delta) {
    const auto shapes = bench::DeltaGemmShapes(models);
    std::map<int64_t, std::ostringstream> tables;
    std::map<int64_t, Totals> per_m;  // ours / runtime-M (dnnl) / fixed-M (best field)
    std::map<int64_t, double> create_cold, create_cached;
    const std::string load0 = LoadAvg();
    std::cerr << "== delta GEMMs: " << shapes.size() << " (K, N) x " << ms.size() << " M, load " << load0 << "\n";
    bool first_row = true;
    for (const auto& shape : shapes) {
      std::cerr << "  K " << shape.k << " N " << shape.n << " ... " << std::flush;
      const auto results = bench::CompareGemm(eng, shape, ms, plan);
      for (const auto& r : results) {
        if (!r.agree) mismatch = true;
        std::cerr << "M" << r.m << (r.agree ? " " : " MISMATCH ") << Fmt(r.ours_ms[0]) << "/" << Fmt(r.runtime_m_ms[0]) << "/"
                  << Fmt(r.fixed_m_ms[0]) << "  ";
        auto& t = tables[r.m];
        t << "| " << shape.k << " x " << shape.n << " | " << Fmt(r.ours_ms[0] * 1e3) << " | " << Fmt(r.runtime_m_ms[0] * 1e3) << " | "
          << Fmt(r.fixed_m_ms[0] * 1e3) << " | " << Ratio(r.ours_ms[0], r.runtime_m_ms[0]) << " | " << Ratio(r.ours_ms[0], r.fixed_m_ms[0])
          << " | " << Fmt(r.ours_ms[1] * 1e3) << " | " << Fmt(r.runtime_m_ms[1] * 1e3) << " | " << Fmt(r.fixed_m_ms[1] * 1e3) << " | "
          << Ratio(r.ours_ms[1], r.runtime_m_ms[1]) << " | " << Ratio(r.ours_ms[1], r.fixed_m_ms[1]) << " |" << (r.agree ? "" : " MISMATCH")
          << "\n";
        Totals& pm = per_m[r.m];
        for (int i = 0; i < 2; ++i) {
          pm.ours[i] += r.ours_ms[i];
          pm.dnnl[i] += r.runtime_m_ms[i];
          pm.best[i] += r.fixed_m_ms[i];
        }
        pm.macs += static_cast<double>(r.m) * shape.k * shape.n;
        pm.nodes += 1;
        create_cold[r.m] += r.fixed_create_cold_ms;
        create_cached[r.m] += r.fixed_create_cached_ms;
        json << (first_row ? "" : ",") << "\n  {\"k\": " << shape.k << ", \"n\": " << shape.n << ", \"m\": " << r.m
             << ", \"from\": " << JsonStr(shape.from) << ", \"oursMs\": [" << JsonNum(r.ours_ms[0]) << ", " << JsonNum(r.ours_ms[1])
             << "], \"runtimeMMs\": [" << JsonNum(r.runtime_m_ms[0]) << ", " << JsonNum(r.runtime_m_ms[1]) << "], \"fixedMMs\": ["
             << JsonNum(r.fixed_m_ms[0]) << ", " << JsonNum(r.fixed_m_ms[1]) << "], \"relErr\": " << JsonNum(r.rel_err)
             << ", \"implRuntimeM\": " << JsonStr(r.impl_runtime) << ", \"implFixedM\": " << JsonStr(r.impl_fixed)
             << ", \"fixedCreateColdMs\": " << JsonNum(r.fixed_create_cold_ms)
             << ", \"fixedCreateCachedMs\": " << JsonNum(r.fixed_create_cached_ms) << "}";
        first_row = false;
      }
      std::cerr << (results.empty() ? "" : results.back().impl_runtime + " | " + results.back().impl_fixed) << "\n";
    }
    for (auto& [m, t] : tables) {
      std::cout << "### Delta GEMMs, M = " << m << " (µs)\n\n";
      std::cout << "| K x N | ours 1t | runtime-M 1t | per-M 1t | ours/runtime-M | ours/per-M | ours 2t | runtime-M 2t | per-M 2t | "
                   "ours/runtime-M | ours/per-M |\n";
      std::cout << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
      std::cout << t.str();
      const Totals& pm = per_m[m];
      std::cout << "| **sum of " << pm.nodes << "** | **" << Fmt(pm.ours[0] * 1e3) << "** | **" << Fmt(pm.dnnl[0] * 1e3) << "** | **"
                << Fmt(pm.best[0] * 1e3) << "** | **" << Ratio(pm.ours[0], pm.dnnl[0]) << "** | **" << Ratio(pm.ours[0], pm.best[0])
                << "** | **" << Fmt(pm.ours[1] * 1e3) << "** | **" << Fmt(pm.dnnl[1] * 1e3) << "** | **" << Fmt(pm.best[1] * 1e3)
                << "** | **" << Ratio(pm.ours[1], pm.dnnl[1]) << "** | **" << Ratio(pm.ours[1], pm.best[1]) << "** |\n\n";
      std::cout << "Creating a per-M primitive: " << Fmt(create_cold[m] / pm.nodes * 1e3) << " µs on average the first time, "
                << Fmt(create_cached[m] / pm.nodes * 1e3) << " µs from oneDNN's primitive cache.\n\n";
    }
    std::cout << "Load average " << load0 << " at the start of the delta GEMMs, " << LoadAvg() << " at the end.\n";
  }
  json << "\n ]\n}\n";
  if (!json_path.empty()) {
    std::ofstream f(json_path);
    f << json.str();
  }
  if (mismatch) {
    std::cerr << "some results disagree beyond " << bench::kTolerance << " (marked MISMATCH, not timed)\n";
    return 1;
  }
  return 0;
}
