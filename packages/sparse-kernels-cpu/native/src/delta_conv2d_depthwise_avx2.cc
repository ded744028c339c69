// The depthwise delta loops of delta_conv2d_depthwise_outputs.inc compiled with -mavx2 -mfma, in
// md::avx2 (reached through the kernel table of cpu_isa.h only on a CPU with AVX2 and FMA).
#include <immintrin.h>
#include <string.h>

#include "isa_kernels.h"

namespace md {
namespace avx2 {
#include "delta_conv2d_depthwise_outputs.inc"
}  // namespace avx2
}  // namespace md
