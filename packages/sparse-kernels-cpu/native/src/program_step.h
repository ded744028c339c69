// One compiled step of a program: its kernel's arguments built and checked once, at compile time,
// on the program's own storage, so that running it is a call of the kernel and nothing else.
//
// Operand layout of StepSpec::operands per kind (value ids, -1 for an absent optional operand):
//   dense, linear:       inputs..., output
//   copy:                input, output
//   sparsify:            input, reference, output
//   accumulate:          input, target
//   activation, maxpool: input, accumulated, emitted, output
//   binary:              input 0, input 1, accumulated 0 | -1, accumulated 1 | -1, emitted, output
//   tiles:               block mask, inputs..., output (a stream map)
//
// Skipping follows the host executable (graph-runtime/src/program/host-executable.ts), the
// reference semantics: a step is skipped (reports -1) when nothing it reads changed this run.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "native_options.h"
#include "program_spec.h"
#include "program_storage.h"

namespace md {

// What a run knows while it walks an entry.
struct RunState {
  bool keyframe = true;
  // Per value id: written this run (or an input). Dense steps of a frame entry run only when one
  // of their inputs changed; sparsify steps only when their input did.
  std::vector<uint8_t> changed;
};

class ProgramStep {
 public:
  virtual ~ProgramStep() = default;
  // Runs the step: the pixels of its output it updated (a delta: its active count; a dense or
  // copy step: every pixel), or -1 when it was skipped.
  virtual int64_t Run(RunState& state) = 0;
  // The delta this step writes, or -1 (for update masks).
  virtual int32_t OutputDelta() const { return -1; }
};

// A dense or copy step (program_dense_steps.cc). `options`: the MD_CONV_* settings read at compile.
std::unique_ptr<ProgramStep> MakeDenseStep(StepSpec& spec, const std::vector<ValueSpec>& values, ProgramStorage& storage,
                                           const ConvOptions& options);

// Scratch shared by a program's tiles steps (they run one at a time): cropped inputs and a
// rectangle's or a whole map's output, sized at compile time for the largest step.
struct TileScratch {
  std::vector<float> in, out;
};

// Sizes `scratch` for every tiles step of `spec`; call before building them.
void SizeTileScratch(const ProgramSpec& spec, const ProgramStorage& storage, TileScratch& scratch);

// A tiles step (program_tiles_step.cc); its kernels write rectangles through `scratch`.
std::unique_ptr<ProgramStep> MakeTilesStep(StepSpec& spec, const std::vector<ValueSpec>& values, ProgramStorage& storage,
                                           const ConvOptions& options, TileScratch& scratch);

// A delta step: sparsify, accumulate, linear, activation, binary or maxpool (program_delta_steps.cc).
std::unique_ptr<ProgramStep> MakeDeltaStep(StepSpec& spec, const std::vector<ValueSpec>& values, ProgramStorage& storage,
                                           const ConvOptions& options);

}  // namespace md
