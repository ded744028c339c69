#include "onednn_matmul.h"

#include <chrono>

namespace bench {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

OnednnMatmul::OnednnMatmul(const dnnl::engine& eng, int64_t m, int64_t k, int64_t n, const float* b) : eng_(eng), k_(k), n_(n) {
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t md = m < 0 ? DNNL_RUNTIME_DIM_VAL : m;
  const dnnl::memory::desc a_md({md, k}, dt::f32, dnnl::memory::dims{k, 1});
  const dnnl::memory::desc c_md({md, n}, dt::f32, dnnl::memory::dims{n, 1});
  const dnnl::memory::desc user_b_md({k, n}, dt::f32, tag::ab);
  // Weights in the layout the implementation prefers (any); an implementation that takes no
  // "any" with a runtime M would refuse it, so fall back to plain row-major then.
  dnnl::matmul::primitive_desc pd;
  try {
    pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, dnnl::memory::desc({k, n}, dt::f32, tag::any), c_md), eng_);
  } catch (const dnnl::error&) {
    pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, user_b_md, c_md), eng_);
  }
  impl_ = pd.impl_info_str();
  if (pd.weights_desc() != user_b_md) impl_ += " (weights reordered)";
  prim_ = dnnl::matmul(pd);
  create_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  dnnl::stream s(eng_);
  dnnl::memory user_b(user_b_md, eng_, const_cast<float*>(b));
  weights_ = dnnl::memory(pd.weights_desc(), eng_);
  dnnl::reorder(user_b, weights_).execute(s, user_b, weights_);
  s.wait();
  setup_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void OnednnMatmul::Run(dnnl::stream& s, const float* a, int64_t m, float* c) {
  dnnl::memory src(dnnl::memory::desc({m, k_}, dt::f32, dnnl::memory::dims{k_, 1}), eng_, const_cast<float*>(a));
  dnnl::memory dst(dnnl::memory::desc({m, n_}, dt::f32, dnnl::memory::dims{n_, 1}), eng_, c);
  prim_.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights_}, {DNNL_ARG_DST, dst}});
  s.wait();
}

}  // namespace bench
