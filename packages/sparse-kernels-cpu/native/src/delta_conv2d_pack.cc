// Packing of convolution weights for the input-driven delta convolution.
#include <cstring>

#include "delta_conv2d.h"

namespace md {

std::unique_ptr<PackedConv> Pack(const float* w, int64_t kh, int64_t kw, int64_t cin_pg, int64_t cout, int64_t groups, int64_t sh,
                                 int64_t sw, int64_t dh, int64_t dw) {
  auto pk = std::make_unique<PackedConv>();
  pk->kh = kh, pk->kw = kw, pk->sh = sh, pk->sw = sw, pk->dh = dh, pk->dw = dw, pk->groups = groups;
  pk->cin_pg = cin_pg, pk->cout = cout, pk->cout_pg = cout / groups;
  const int64_t classes = sh * sw;
  pk->classes.resize(classes);
  pk->class_taps.resize(classes);
  pk->tap_class.resize(kh * kw);
  pk->tap_slot.resize(kh * kw);
  for (int64_t ky = 0; ky < kh; ++ky) {
    for (int64_t kx = 0; kx < kw; ++kx) {
      // Output oy reads input iy through ky when iy + pt - ky*dh = oy*sh, so the input's class
      // (iy + pt) mod sh equals (ky*dh) mod sh.
      const int64_t k = ((ky * dh) % sh) * sw + (kx * dw) % sw;
      const int64_t t = ky * kw + kx;
      pk->tap_class[t] = static_cast<int32_t>(k);
      pk->tap_slot[t] = static_cast<int32_t>(pk->class_taps[k].size());
      pk->class_taps[k].push_back(static_cast<int32_t>(t));
    }
  }
  int64_t offset = 0;
  for (int64_t k = 0; k < classes; ++k) {
    pk->classes[k].taps = static_cast<int64_t>(pk->class_taps[k].size());
    pk->classes[k].offset = offset;
    offset += groups * cin_pg * pk->classes[k].taps * pk->cout_pg;
  }
  pk->data.resize(offset);
  const int64_t cpg = pk->cout_pg;
  for (int64_t k = 0; k < classes; ++k) {
    const int64_t nt = pk->classes[k].taps;
    for (int64_t g = 0; g < groups; ++g) {
      float* block = pk->data.data() + pk->classes[k].offset + g * cin_pg * nt * cpg;
      for (int64_t ci = 0; ci < cin_pg; ++ci) {
        for (int64_t s = 0; s < nt; ++s) {
          const int64_t t = pk->class_taps[k][s];
          const float* src = w + (t * cin_pg + ci) * cout + g * cpg;
          std::memcpy(block + ci * nt * cpg + s * cpg, src, sizeof(float) * cpg);
        }
      }
    }
  }
  for (int64_t k = 0; k < classes; ++k) {
    const int64_t nt = pk->classes[k].taps;
    for (int64_t g = 0; g < groups; ++g) {
      const float* block = pk->data.data() + pk->classes[k].offset + g * cin_pg * nt * cpg;
      pk->class_gemm.push_back(PackB(block, nt * cpg, cin_pg, nt * cpg, nullptr));
    }
  }
  // HWIO [kh, kw, cin_pg, cout] is row-major [taps*cin_pg x cout]; a group's columns have leading dimension cout.
  for (int64_t g = 0; g < groups; ++g) pk->window_gemm.push_back(PackB(w + g * cpg, cout, kh * kw * cin_pg, cpg, nullptr));
  return pk;
}

}  // namespace md
