// The kernels of dense ops in a compiled program, built from a step's attributes on the program's
// storage (program_dense_steps.cc). Dense steps run them as they are; block mode's tiles steps
// (program_tiles_step.cc) run them on whole maps and rebuild a convolution's arguments per
// rectangle from the ones built here.
#pragma once

#include <functional>
#include <memory>

#include "dense_conv2d.h"
#include "dense_ops.h"
#include "program_spec.h"
#include "program_storage.h"

namespace md {

// Runs one dense op on the storage it was built for; empty for an op that computes nothing.
using DenseKernel = std::function<void()>;

// The kernel of dense step `s` (operands: inputs..., output), its arguments checked. With
// `out_override`, it writes there (of the output's size) instead of the output's storage.
DenseKernel BuildDenseKernel(StepSpec& s, ProgramStorage& st, const ConvOptions& options, const F32Span* out_override);

// A convolution's arguments from a Conv2D step's geometry, activation and fused affine, checked;
// its weights packed into `packed` (kept alive with the arguments) unless it is depthwise.
Conv2DArgs BuildConv2DArgs(StepSpec& s, F32Span x, F32Span w, F32Span bias, F32Span out, const ConvOptions& options,
                           std::shared_ptr<PackedConvWeights>& packed);

// The fused activation a step carries (kind kNone without one).
Activation ActivationOf(const StepSpec& s);

}  // namespace md
