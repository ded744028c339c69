// The depthwise row loop of dense_conv2d_depthwise_row.inc compiled with -mavx2 -mfma, in md::avx2
// (reached through the kernel table of cpu_isa.h only on a CPU with AVX2 and FMA).
#include "isa_kernels.h"

namespace md {
namespace avx2 {
#include "dense_conv2d_depthwise_row.inc"
}  // namespace avx2
}  // namespace md
