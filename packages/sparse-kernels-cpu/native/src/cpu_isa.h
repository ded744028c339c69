// Runtime CPU dispatch: which instruction set the kernels run with, chosen once when the addon
// loads.
//
// One binary runs on any x86-64. The ISA-specific kernels (isa_kernels.h) are reached through a
// table of function pointers; a static initializer of cpu_isa.cc points it at the best table the
// CPU supports (__builtin_cpu_supports: AVX2 and FMA, with the OS saving the YMM registers), and
// the addon's Init may lower it once from MD_CPU_ISA. Kernels read the table once per call, so
// their hot loops carry no feature checks.
#pragma once

#include <cstdint>

#include "isa_kernels.h"

namespace md {

// In increasing order: a CPU that runs one runs every lower one.
enum class CpuIsa : int32_t {
  kBaseline = 0,  // x86-64 (SSE2): packed 3x16 GEMM, auto-vectorized loops
  kAvx2Fma = 1,   // AVX2 + FMA (x86-64-v3): packed 6x16 GEMM, AVX2 depthwise loops
};

// "baseline", "avx2-fma".
const char* CpuIsaName(CpuIsa isa);

// What the CPU reports (each also requires the OS to save the registers it uses).
struct CpuFeatures {
  bool sse4_2 = false, avx = false, avx2 = false, fma = false, avx512f = false;
};
CpuFeatures DetectCpuFeatures();

// The best ISA of this build that the CPU runs.
CpuIsa BestCpuIsa();

// MD_CPU_ISA's value (null or empty when unset): "auto" (or unset) gives `best`, "baseline" the
// baseline, "avx2" AVX2 + FMA when `best` includes it. Throws ArgError naming the variable and the
// accepted values otherwise (an unknown name, or an ISA this CPU lacks).
CpuIsa ParseCpuIsa(const char* value, CpuIsa best);

// Points the kernel table at `isa`'s kernels. Called at load only (Init), before any kernel of
// this addon instance runs; `isa` must not exceed BestCpuIsa().
void SelectCpuIsa(CpuIsa isa, bool forced);

// The ISA the kernels run with, and whether MD_CPU_ISA chose it.
CpuIsa ActiveCpuIsa();
bool CpuIsaForced();

// The kernels of the active ISA (every ISA has every kernel, except delta_activation_pixels: null
// on the baseline, whose activation steps run the scalar loop of delta_activation.cc).
struct KernelTable {
  CpuIsa isa;
  void (*packed_gemm_taps)(const PackedPanels& b, const float* a, int64_t lda, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                           float* c, int64_t ldc);
  void (*packed_gemm_rows)(const PackedPanels& b, const float* const* a_rows, const int64_t* tap_off, int64_t taps, int64_t cin, int64_t m,
                           float* const* c_rows);
  void (*packed_gemm_panels)(const PackedPanels& b, const float* a, int64_t lda, std::size_t p0, std::size_t p1, int64_t m, float* c,
                             int64_t ldc);
  void (*depthwise_row)(const DepthwiseRowArgs& a, float* orow, int64_t n, int64_t oy);
  void (*delta_depthwise)(const DeltaDepthwiseArgs& a, int64_t begin, int64_t end, int64_t* tap_pixel, int64_t* tap_index);
  void (*delta_activation_pixels)(const DeltaActPixelsArgs& a, int64_t begin, int64_t end);
};
const KernelTable& Kernels();

}  // namespace md
