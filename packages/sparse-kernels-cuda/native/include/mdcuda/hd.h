// The one macro that lets the per-tile and per-element arithmetic compile twice: as CUDA device
// code in the kernels, and as plain C++ in the host test build, which runs the step conformance
// cases on the CPU in every CI run (no GPU needed to check the arithmetic).
#pragma once

#if defined(__CUDACC__)
#define MD_HD __host__ __device__ inline
#else
#define MD_HD inline
#endif

#include <cstdint>
