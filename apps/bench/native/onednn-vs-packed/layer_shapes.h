// The layers the benchmark times: convolutions read from layers.json (extract-layers.mjs), and
// the delta GEMM shapes derived from them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common_activation.h"
#include "common_conv_geometry.h"

namespace bench {

struct ActSpec {
  std::string kind = "none";  // none, relu, clip, leakyRelu, prelu, sigmoid, hardSigmoid, hardSwish, tanh
  float a = 0.f, b = 0.f;
  int64_t slope_len = 0;
};

struct ConvLayer {
  md::ConvGeometry g{};
  int64_t pad_bottom = 0, pad_right = 0;
  bool bias = true;
  ActSpec act;
  int64_t count = 1;  // nodes of the model with this exact layer
  double macs = 0;    // of one node
  std::string first_node;

  std::string Describe() const;  // "3x3/2 g1 3->24 385x385" and the activation
  std::string Family() const;    // "stem", "3x3", "1x1", "depthwise 3x3", "5x5", ...
};

struct ModelLayers {
  std::string id;
  int64_t in_h = 0, in_w = 0;
  std::vector<ConvLayer> convs;
  int64_t not_timed_nodes = 0;  // ConvTranspose2D and the like
  double not_timed_macs = 0;
  std::string Name() const { return id + " " + std::to_string(in_h) + "x" + std::to_string(in_w); }
};

// Reads layers.json; throws std::runtime_error on a malformed file.
std::vector<ModelLayers> LoadLayers(const std::string& path);

// A delta GEMM: C[m x n] = A[m x k] * B[k x n] with m known only per call.
struct GemmShape {
  int64_t k = 0, n = 0;
  std::string from;  // the first conv it comes from, "model: layer"
};

// The distinct (K = kh*kw*Cin, N = Cout) of every ungrouped 1x1 and 3x3 convolution.
std::vector<GemmShape> DeltaGemmShapes(const std::vector<ModelLayers>& models);

// The activation in the kernels' encoding (md::Activation); `slope` holds PReLU slopes.
md::Activation ToMd(const ActSpec& a, const float* slope);

}  // namespace bench
