// Runtime CPU dispatch (see cpu_isa.h). Compiled for the x86-64 baseline, like everything but the
// *_avx2.cc files: it only takes the addresses of the AVX2 kernels, and calls them through the
// table only after the CPU said it has AVX2 and FMA.
#include "cpu_isa.h"

#include <atomic>
#include <cstring>
#include <string>

#include "arg_error.h"

namespace md {
namespace {

constexpr KernelTable kBaselineTable{
    CpuIsa::kBaseline,
    baseline::PackedGemmTaps,
    baseline::PackedGemmRows,
    baseline::PackedGemmPanels,
    baseline::DepthwiseRow,
    baseline::DeltaDepthwise,
    nullptr,
};

constexpr KernelTable kAvx2Table{
    CpuIsa::kAvx2Fma,   avx2::PackedGemmTaps, avx2::PackedGemmRows,        avx2::PackedGemmPanels,
    avx2::DepthwiseRow, avx2::DeltaDepthwise, avx2::DeltaActivationPixels,
};

const KernelTable* TableFor(CpuIsa isa) { return isa == CpuIsa::kAvx2Fma ? &kAvx2Table : &kBaselineTable; }

// Constant-initialized to the baseline, so nothing can see a null table; the initializer below
// raises it to what the CPU supports when the library loads.
std::atomic<const KernelTable*> g_table{&kBaselineTable};
std::atomic<bool> g_forced{false};

[[maybe_unused]] const bool g_detected = [] {
  g_table.store(TableFor(BestCpuIsa()));
  return true;
}();

}  // namespace

const char* CpuIsaName(CpuIsa isa) { return isa == CpuIsa::kAvx2Fma ? "avx2-fma" : "baseline"; }

CpuFeatures DetectCpuFeatures() {
  CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
  // libgcc (and compiler-rt) report AVX, AVX2, FMA and AVX-512 only when the OS saves their
  // registers (XGETBV), so a kernel built for them cannot fault on a missing OS state either.
  __builtin_cpu_init();
  f.sse4_2 = __builtin_cpu_supports("sse4.2");
  f.avx = __builtin_cpu_supports("avx");
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
#endif
  return f;
}

CpuIsa BestCpuIsa() {
  const CpuFeatures f = DetectCpuFeatures();
  return f.avx2 && f.fma ? CpuIsa::kAvx2Fma : CpuIsa::kBaseline;
}

CpuIsa ParseCpuIsa(const char* value, CpuIsa best) {
  if (value == nullptr || *value == '\0' || std::strcmp(value, "auto") == 0) return best;
  if (std::strcmp(value, "baseline") == 0) return CpuIsa::kBaseline;
  if (std::strcmp(value, "avx2") == 0) {
    if (best >= CpuIsa::kAvx2Fma) return CpuIsa::kAvx2Fma;
    RangeFail("MD_CPU_ISA=avx2 is not accepted: this CPU lacks AVX2 or FMA (best path here: " + std::string(CpuIsaName(best)) +
              "); use \"baseline\", \"auto\" or leave it unset");
  }
  RangeFail(std::string("MD_CPU_ISA=") + value +
            " is not accepted; use \"baseline\" (x86-64 SSE2 kernels), \"avx2\" (AVX2 + FMA kernels), \"auto\" or leave it unset");
}

void SelectCpuIsa(CpuIsa isa, bool forced) {
  if (isa > BestCpuIsa()) isa = BestCpuIsa();  // never point at kernels the CPU cannot run
  g_table.store(TableFor(isa));
  g_forced.store(forced);
}

CpuIsa ActiveCpuIsa() { return Kernels().isa; }
bool CpuIsaForced() { return g_forced.load(std::memory_order_relaxed); }

const KernelTable& Kernels() { return *g_table.load(std::memory_order_acquire); }

}  // namespace md
