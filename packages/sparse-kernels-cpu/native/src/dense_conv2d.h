// Dense 2D convolution on NHWC float32 (see common_conv_geometry.h for the geometry).
#pragma once

#include <vector>

#include "common_activation.h"
#include "common_conv_geometry.h"
#include "dense_packed_gemm.h"
#include "native_options.h"

namespace md {

// A convolution's weights (and bias) packed for PackedGemm, one PackedB per group. Built once per
// weight tensor (conv2dPackWeights) and passed to every call; `k` and `cout_g` identify the
// geometry it was made for.
struct PackedConvWeights {
  int64_t k = 0;
  int64_t cout_g = 0;
  int64_t groups = 0;
  bool has_bias = false;
  std::vector<PackedB> per_group;
};

// Packs `w` ([kh, kw, Cin/g, Cout]) and `bias` (may be null) for the GEMM path of geometry `g`.
PackedConvWeights PackConvWeights(const ConvGeometry& g, const float* w, const float* bias);

// Chooses the algorithm: depthwise direct loop, or (im2col +) sgemm per group. `bias` may be null.
// `packed` (may be null) holds the weights pre-packed for this geometry; without it the GEMM path
// packs them for this call.
void Conv2D(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
            const PackedConvWeights* packed, const ConvOptions& options);

// groups == inC (with a channel multiplier outC / inC): a direct loop vectorized over channels.
void Conv2DDepthwise(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act);

// Everything else: row blocks of im2col (none for a 1x1 stride-1 conv) times the weight matrix.
void Conv2DGemm(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
                const PackedConvWeights* packed, const ConvOptions& options);

}  // namespace md
