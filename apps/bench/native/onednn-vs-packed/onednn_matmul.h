// oneDNN matmul for the delta GEMMs, C[m x n] = A[m x k] * B[k x n] (row-major A and C): either
// one primitive with a runtime M (DNNL_RUNTIME_DIM_VAL), or one primitive per M, each created once
// and executed many times. B is reordered once into the layout the primitive asks for.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <string>

namespace bench {

class OnednnMatmul {
 public:
  // m < 0: runtime M. Creates the primitive for the current OpenMP thread count.
  OnednnMatmul(const dnnl::engine& eng, int64_t m, int64_t k, int64_t n, const float* b);

  void Run(dnnl::stream& s, const float* a, int64_t m, float* c);

  std::string impl() const { return impl_; }
  double setup_ms() const { return setup_ms_; }    // creation + weight reorder
  double create_ms() const { return create_ms_; }  // primitive descriptor + primitive only

 private:
  dnnl::engine eng_;
  int64_t k_, n_;
  dnnl::memory weights_;
  dnnl::matmul prim_;
  std::string impl_;
  double setup_ms_ = 0;
  double create_ms_ = 0;
};

}  // namespace bench
