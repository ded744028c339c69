// Process-wide options of the native kernels and the values each accepts.
//
// Every option is validated where it is set, so a value outside its range is refused with a
// message instead of being accepted and ignored (or worse: setThreads(1e6) used to try to start a
// million threads). The MD_CONV_* environment variables are read on the JavaScript thread when a
// convolution starts and handed to the kernel by value: worker threads never call getenv, which
// would race with a `process.env.X = ...` (setenv) on the JavaScript thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace md {

// Upper bound of setThreads: far above any core count this runs on, far below what would exhaust
// the process (every thread has a stack). The TypeScript side (MAX_CPU_NATIVE_THREADS) uses the
// same number.
constexpr int kMaxThreads = 256;

// Throws ArgError unless `value` is an integer from 1 to kMaxThreads.
int CheckThreadCount(double value);

// setInlineWork's bound: any integer a double holds exactly.
constexpr int64_t kMaxInlineWork = (int64_t{1} << 53) - 1;

// Throws ArgError unless `value` is an integer from 0 to kMaxInlineWork.
int64_t CheckInlineWork(double value);

// Kernels whose work is at most this many units run inline on the JS thread (see
// AsyncKernel::Start): a unit is about one element touched by a memory-bound kernel or eight
// multiply-adds, so the default (32768) is roughly ten microseconds, well under the cost of a
// round trip through a worker thread. setInlineWork() changes it (tests use 0: every dense kernel
// on a worker thread).
inline std::atomic<int64_t>& InlineWorkLimit() {
  static std::atomic<int64_t> limit{32768};
  return limit;
}

inline bool RunInline(int64_t work_units) { return work_units <= InlineWorkLimit().load(std::memory_order_relaxed); }

// How convolutions compute (dense and delta), from the MD_CONV_* environment variables.
struct ConvOptions {
  // MD_CONV_GEMM=blas: the general GEMM paths for every convolution (im2col rows and Sgemm of
  // dense_sgemm.h, which packs the weights on every call as a BLAS sgemm does; the addon linked
  // OpenBLAS for them before it had its own), for tests of that route and comparisons. Unset,
  // empty or "auto": weights packed once, implicit and indirection GEMMs.
  bool force_blas = false;
  // MD_CONV_IMPLICIT=0: im2col + GEMM instead of the implicit GEMM ("1", empty or unset: implicit).
  bool implicit = true;
  // MD_CONV_BLOCK_FLOATS: target size of one im2col block in floats, 256 to 16777216 (tuning).
  int64_t block_floats = 64 * 1024;
};

constexpr int64_t kMinBlockFloats = 256;
constexpr int64_t kMaxBlockFloats = int64_t{1} << 24;

// Parses the three variables' values (null when unset); throws ArgError naming the variable and
// the accepted values when one is outside them.
ConvOptions ParseConvOptions(const char* gemm, const char* implicit, const char* block_floats);

// ParseConvOptions of the current environment. Call on the JavaScript thread only.
ConvOptions ConvOptionsFromEnv();

}  // namespace md
