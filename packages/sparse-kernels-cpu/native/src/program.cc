#include "program.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>

#include "arg_error.h"

namespace md {
namespace {

// Every operand id names a value (or is -1 where a step allows an absent operand) and every
// constant has data, so that storage planning and step building index nothing out of range. The
// roles of operands (delta or tensor, state or frame) are checked by each step's builder.
ProgramSpec& Validated(ProgramSpec& spec) {
  const int64_t n = static_cast<int64_t>(spec.values.size());
  if (static_cast<int64_t>(spec.constants.size()) != n) RangeFail("program: one constant slot per value is required");
  auto check_id = [&](int32_t id, bool optional, const std::string& where) {
    if ((optional && id == -1) || (id >= 0 && id < n)) return;
    RangeFail(where + ": value id " + std::to_string(id) + " is outside the program's " + std::to_string(n) + " values");
  };
  for (int32_t id : spec.inputs) {
    check_id(id, false, "program input");
    const ValueSpec& v = spec.values[static_cast<size_t>(id)];
    if (v.lifetime != Lifetime::kInput || v.kind != ValueKind::kTensor) RangeFail("program input '" + v.name + "' is not an input tensor");
  }
  for (int32_t id : spec.outputs) {
    check_id(id, false, "program output");
    if (spec.values[static_cast<size_t>(id)].kind != ValueKind::kTensor) RangeFail("program outputs must be tensors");
  }
  for (int e = 0; e < 2; ++e) {
    for (const StepSpec& s : spec.entries[e]) {
      if (s.operands.empty()) RangeFail("step of node '" + s.node + "' has no operands");
      // Only inputs of dense and linear steps, and binary steps' accumulated states, may be absent.
      // Tiles steps: the block mask, then a dense step's operands.
      const bool dense_like = s.kind == StepKind::kDense || s.kind == StepKind::kLinear;
      for (size_t i = 0; i < s.operands.size(); ++i) {
        const bool last = i + 1 == s.operands.size();
        const bool optional =
            (dense_like && !last) || (s.kind == StepKind::kBinary && (i == 2 || i == 3)) || (s.kind == StepKind::kTiles && i > 0 && !last);
        check_id(s.operands[i], optional, "step of node '" + s.node + "'");
      }
    }
  }
  return spec;
}

double MillisecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

NativeProgram::NativeProgram(ProgramSpec spec) : spec_(std::move(spec)), storage_(Validated(spec_)) {
  // Read on the JavaScript thread (compiling is synchronous there), like the per-node kernels do.
  const ConvOptions options = ConvOptionsFromEnv();
  SizeTileScratch(spec_, storage_, tile_scratch_);
  for (int e = 0; e < 2; ++e) {
    for (StepSpec& s : spec_.entries[e]) {
      if (s.kind == StepKind::kTiles) {
        steps_[e].push_back(MakeTilesStep(s, spec_.values, storage_, options, tile_scratch_));
        continue;
      }
      const bool dense = s.kind == StepKind::kDense || s.kind == StepKind::kCopy;
      steps_[e].push_back(dense ? MakeDenseStep(s, spec_.values, storage_, options) : MakeDeltaStep(s, spec_.values, storage_, options));
    }
  }
  state_.changed.assign(spec_.values.size(), 0);
}

void NativeProgram::Run(int entry, int32_t* active, double* ms, float* const* outputs) {
  state_.keyframe = entry == kKeyframeEntry;
  std::fill(state_.changed.begin(), state_.changed.end(), 0);
  for (int32_t id : spec_.inputs) state_.changed[static_cast<size_t>(id)] = 1;
  auto& steps = steps_[entry];
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    // FrameResult.active is an Int32Array: a count past 2^31 - 1 (a huge non-NHWC tensor) saturates.
    active[i] = static_cast<int32_t>(std::min<int64_t>(steps[i]->Run(state_), INT32_MAX));
    ms[i] = MillisecondsSince(t0);
  }
  for (size_t i = 0; i < spec_.outputs.size(); ++i) {
    const F32Span from = storage_.Span(spec_.outputs[i]);
    if (from.length > 0) std::memcpy(outputs[i], from.data, from.length * sizeof(float));
  }
}

bool NativeProgram::UpdateMask(int entry, size_t index, std::vector<uint8_t>& mask) {
  if (!HasEntry(entry) || index >= steps_[entry].size()) return false;
  const int32_t id = steps_[entry][index]->OutputDelta();
  if (id < 0) return false;
  const DeltaView& d = storage_.Delta(id);
  mask.assign(d.mask, d.mask + d.pixels);
  return true;
}

}  // namespace md
