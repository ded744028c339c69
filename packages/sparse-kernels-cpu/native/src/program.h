// A compiled program: all of its storage (program_storage.h) and its steps, kernels' arguments
// checked and weights packed (program_step.h), so that running an entry is a walk over its steps
// on one thread that calls kernels, which spread their work over the thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "program_spec.h"
#include "program_step.h"
#include "program_storage.h"

namespace md {

class NativeProgram {
 public:
  // Compiles `spec` (taken over: its tables and constants become the program's). Throws ArgError
  // when the spec is inconsistent (operand ids, kinds, sizes) or a kernel check refuses a step.
  explicit NativeProgram(ProgramSpec spec);

  bool HasEntry(int entry) const { return entry == kKeyframeEntry || (entry == kFrameEntry && spec_.has_frame_entry); }
  size_t Steps(int entry) const { return steps_[entry].size(); }
  size_t Inputs() const { return spec_.inputs.size(); }
  size_t Outputs() const { return spec_.outputs.size(); }
  // Elements of input / output port `i`.
  int64_t InputSize(size_t i) const { return storage_.Size(spec_.inputs[i]); }
  int64_t OutputSize(size_t i) const { return storage_.Size(spec_.outputs[i]); }
  // The storage input `i` is copied into before a run.
  float* InputData(size_t i) const { return storage_.Data(spec_.inputs[i]); }

  // Runs every step of `entry` in order; `active` and `ms` get one value per step (FrameResult),
  // and each output is copied into `outputs[i]` (OutputSize(i) floats). Call from one thread at a
  // time (the N-API layer refuses a second run while one is in flight).
  void Run(int entry, int32_t* active, double* ms, float* const* outputs);

  // The mask of the delta step `index` of `entry` wrote in the last run (1 = updated), or false
  // when that step has no delta output.
  bool UpdateMask(int entry, size_t index, std::vector<uint8_t>& mask);

  int64_t StateBytes() const { return storage_.StateBytes(); }
  int64_t FrameBytes() const { return storage_.FrameBytes(); }

 private:
  void Validate() const;

  ProgramSpec spec_;
  ProgramStorage storage_;
  TileScratch tile_scratch_;
  std::vector<std::unique_ptr<ProgramStep>> steps_[2];
  RunState state_;
};

}  // namespace md
