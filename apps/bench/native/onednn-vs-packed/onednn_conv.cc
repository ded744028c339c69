#include "onednn_conv.h"

#include <chrono>
#include <stdexcept>

namespace bench {

using dnnl::algorithm;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

dnnl::post_ops PostOpsFor(const ActSpec& act) {
  dnnl::post_ops po;
  const std::string& k = act.kind;
  if (k == "none") return po;
  if (k == "relu")
    po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
  else if (k == "leakyRelu")
    po.append_eltwise(1.f, algorithm::eltwise_relu, act.a, 0.f);
  else if (k == "clip")
    po.append_eltwise(1.f, algorithm::eltwise_clip, act.a, act.b);
  else if (k == "sigmoid")
    po.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f);
  else if (k == "tanh")
    po.append_eltwise(1.f, algorithm::eltwise_tanh, 0.f, 0.f);
  else if (k == "hardSwish")
    po.append_eltwise(1.f, algorithm::eltwise_hardswish, 0.f, 0.f);  // x * relu6(x + 3) / 6
  else if (k == "hardSigmoid") {
    // oneDNN 2.6 has no hardsigmoid: clip(alpha * x + beta, 0, 1) as two post-ops.
    po.append_eltwise(1.f, algorithm::eltwise_linear, act.a, act.b);
    po.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 1.f);
  } else {
    throw std::runtime_error("no oneDNN post-op for activation " + k);
  }
  return po;
}

OnednnConv::OnednnConv(const dnnl::engine& eng, const ConvLayer& layer, const float* w, const float* bias) : eng_(eng) {
  const auto t0 = std::chrono::steady_clock::now();
  const md::ConvGeometry& g = layer.g;
  using dims = dnnl::memory::dims;
  src_md_ = dnnl::memory::desc({g.batch, g.in_c, g.in_h, g.in_w}, dt::f32, tag::nhwc);
  dst_md_ = dnnl::memory::desc({g.batch, g.out_c, g.out_h, g.out_w}, dt::f32, tag::nhwc);
  // The kernels' weights: element (group, oc, ic, ky, kx) at ((ky * kw + kx) * cin_g + ic) * Cout + group * cout_g + oc.
  const int64_t cin_g = g.cin_per_group(), cout_g = g.cout_per_group();
  dnnl::memory::desc user_w_md, any_w_md;
  if (g.groups == 1) {
    const dims d = {g.out_c, g.in_c, g.kh, g.kw};
    user_w_md = dnnl::memory::desc(d, dt::f32, dims{1, g.out_c, g.kw * g.in_c * g.out_c, g.in_c * g.out_c});
    any_w_md = dnnl::memory::desc(d, dt::f32, tag::any);
  } else {
    const dims d = {g.groups, cout_g, cin_g, g.kh, g.kw};
    user_w_md = dnnl::memory::desc(d, dt::f32, dims{cout_g, 1, g.out_c, g.kw * cin_g * g.out_c, cin_g * g.out_c});
    any_w_md = dnnl::memory::desc(d, dt::f32, tag::any);
  }
  has_bias_ = bias != nullptr;
  const dnnl::memory::desc bias_md({g.out_c}, dt::f32, tag::a);
  const dims strides = {g.sh, g.sw}, dilates = {g.dh - 1, g.dw - 1};
  const dims pad_l = {g.pad_top, g.pad_left}, pad_r = {layer.pad_bottom, layer.pad_right};
  auto desc = has_bias_ ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algorithm::convolution_direct, src_md_,
                                                          any_w_md, bias_md, dst_md_, strides, dilates, pad_l, pad_r)
                        : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference, algorithm::convolution_direct, src_md_,
                                                          any_w_md, dst_md_, strides, dilates, pad_l, pad_r);
  dnnl::primitive_attr attr;
  attr.set_post_ops(PostOpsFor(layer.act));
  dnnl::convolution_forward::primitive_desc pd(desc, attr, eng_);
  impl_ = pd.impl_info_str();
  if (pd.src_desc() != src_md_ || pd.dst_desc() != dst_md_) throw std::runtime_error("oneDNN did not keep NHWC for " + layer.Describe());
  prim_ = dnnl::convolution_forward(pd);
  dnnl::stream s(eng_);
  dnnl::memory user_w(user_w_md, eng_, const_cast<float*>(w));
  weights_ = dnnl::memory(pd.weights_desc(), eng_);
  dnnl::reorder(user_w, weights_).execute(s, user_w, weights_);
  if (has_bias_) {
    bias_ = dnnl::memory(bias_md, eng_);
    dnnl::memory user_b(bias_md, eng_, const_cast<float*>(bias));
    dnnl::reorder(user_b, bias_).execute(s, user_b, bias_);
  }
  s.wait();
  src_ = dnnl::memory(src_md_, eng_, DNNL_MEMORY_NONE);
  dst_ = dnnl::memory(dst_md_, eng_, DNNL_MEMORY_NONE);
  args_ = {{DNNL_ARG_SRC, src_}, {DNNL_ARG_WEIGHTS, weights_}, {DNNL_ARG_DST, dst_}};
  if (has_bias_) args_[DNNL_ARG_BIAS] = bias_;
  setup_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void OnednnConv::Run(dnnl::stream& s, const float* x, float* out) {
  // The memory objects live as long as the primitive; each call only points them at its buffers.
  src_.set_data_handle(const_cast<float*>(x));
  dst_.set_data_handle(out);
  prim_.execute(s, args_);
  s.wait();
}

}  // namespace bench
