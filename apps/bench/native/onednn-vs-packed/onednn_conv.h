// A oneDNN convolution for one layer: NHWC src/dst, weights in the layout oneDNN picks
// (format_tag::any, reordered once from the kernels' [kh, kw, Cin/g, Cout] at construction),
// bias and the activation fused as post-ops, created once and executed many times.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>

#include "layer_shapes.h"

namespace bench {

class OnednnConv {
 public:
  // Creates the primitive for the current OpenMP thread count (oneDNN sizes its blocking for it).
  // `w` in the kernels' layout [kh, kw, Cin/g, Cout]; `bias` may be null.
  OnednnConv(const dnnl::engine& eng, const ConvLayer& layer, const float* w, const float* bias);

  // out (NHWC) = conv(x (NHWC)).
  void Run(dnnl::stream& s, const float* x, float* out);

  std::string impl() const { return impl_; }
  double setup_ms() const { return setup_ms_; }  // primitive creation + weight reorder

 private:
  dnnl::engine eng_;
  dnnl::memory::desc src_md_, dst_md_;
  dnnl::memory weights_, bias_, src_, dst_;
  std::unordered_map<int, dnnl::memory> args_;
  dnnl::convolution_forward prim_;
  bool has_bias_ = false;
  std::string impl_;
  double setup_ms_ = 0;
};

// The post-ops that reproduce an activation of the kernels (md::ActKind); throws for PReLU (no
// model here uses it).
dnnl::post_ops PostOpsFor(const ActSpec& act);

}  // namespace bench
