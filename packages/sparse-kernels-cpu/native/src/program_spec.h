// A program as the TypeScript compiler hands it over (src/program/encode-program.ts): values with
// kind, lifetime and shape; per entry, steps with their kind, op code, operand ids and attributes
// already reduced to numbers and tables (the geometry the per-node kernels take); constants as
// float data. Plain C++, no N-API: napi_program_entries.cc fills it, program.cc compiles it.
//
// The codes below must match src/program/program-codes.ts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common_activation.h"

namespace md {

enum class ValueKind : int32_t { kTensor = 0, kDelta = 1 };
enum class Lifetime : int32_t { kInput = 0, kConstant = 1, kFrame = 2, kStream = 3 };

enum class StepKind : int32_t {
  kDense = 0,
  kCopy = 1,
  kSparsify = 2,
  kAccumulate = 3,
  kLinear = 4,
  kActivation = 5,
  kBinary = 6,
  kMaxPool = 7,
  // Block mode: a dense op recomputed on the executed blocks' rectangles (program_tiles_step.cc).
  kTiles = 8,
};

// What a dense step computes. The attributes each one takes are listed in program_dense_steps.cc.
enum class DenseOp : int32_t {
  kConv2D = 0,
  kConvTranspose2D = 1,
  kPool2D = 2,
  kGlobalAvgPool = 3,
  kActivation = 4,
  kBatchNorm = 5,
  kBinary = 6,
  kConcat = 7,
  kPad = 8,
  kResize = 9,
  kMatMul = 10,
  kGemm = 11,
  // Reshape, Flatten, Squeeze, Unsqueeze, Identity: the same values in another shape.
  kReshape = 12,
  kTranspose = 13,
  kSoftmax = 14,
  // An output with no elements: nothing to compute.
  kEmpty = 15,
  // Computed by an earlier convolution into which the compiler fused it: nothing to compute.
  kFused = 16,
  // Slice, DepthToSpace, SpaceToDepth: a strided gather.
  kStridedCopy = 17,
  kReduce = 18,
};

// What a linear delta step computes (program_delta_steps.cc lists the attributes).
enum class LinearOp : int32_t {
  kConv2D = 0,
  kConvTranspose2D = 1,
  kAvgPool2D = 2,
  kGlobalAvgPool = 3,
  kScale = 4,      // Identity, BatchNorm, Add/Sub/Mul/Div with one constant operand
  kAddDeltas = 5,  // Add/Sub of two deltas
  kConcat = 6,
  kResize = 7,
  kPad = 8,
};

struct ValueSpec {
  ValueKind kind = ValueKind::kTensor;
  Lifetime lifetime = Lifetime::kFrame;
  std::vector<int64_t> shape;
  std::string name;  // for messages
};

// One step. `operands` are value ids (-1 for an absent optional input) in the order each kind
// documents; the attribute vectors are owned copies, so the program never reads JavaScript memory
// after compiling.
struct StepSpec {
  StepKind kind = StepKind::kDense;
  int32_t op = 0;
  std::vector<int32_t> operands;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::vector<float>> f32;
  std::vector<std::vector<int32_t>> i32;
  std::vector<std::vector<double>> f64;
  // A fused activation (kind kNone without one); `slope` holds PReLU slopes.
  ActKind act_kind = ActKind::kNone;
  float act_a = 0.f, act_b = 0.f;
  std::vector<float> act_slope;
  std::string node;  // for messages
};

struct ProgramSpec {
  std::vector<ValueSpec> values;
  // Per value id: the data of a constant (empty for other lifetimes).
  std::vector<std::vector<float>> constants;
  std::vector<int32_t> inputs;   // value ids of the program's inputs, in port order
  std::vector<int32_t> outputs;  // value ids of its outputs, in port order
  std::vector<StepSpec> entries[2];
  bool has_frame_entry = false;
};

// Entry indices of ProgramSpec::entries.
constexpr int kKeyframeEntry = 0;
constexpr int kFrameEntry = 1;

}  // namespace md
