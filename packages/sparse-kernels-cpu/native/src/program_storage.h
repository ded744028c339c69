// Where every value of a compiled program lives, decided once at compile time.
//
// - input and stream tensors: one buffer each (inputs are copied in at the start of a run; stream
//   values keep state between runs, zeroed at compile);
// - constants: the program's own copy of their data (ProgramSpec::constants);
// - frame tensors: buffers shared by lifetime. Each frame value is live from the first step that
//   touches it to the last one (program outputs: to the end of the entry); values whose live
//   ranges never overlap, in either entry, share a buffer. A reshape-like dense step whose input
//   is never written again while its output lives (a frame, input or constant value) makes its
//   output an alias of the input's storage, and the step does nothing;
// - deltas: values, mask and active list each, never shared (a delta's mask is all zeros but for
//   its active pixels, an invariant the kernels keep by clearing what they listed), so that any
//   delta's update mask can be read after a run.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "delta_buffer.h"
#include "program_spec.h"
#include "spans.h"

namespace md {

// Memory aligned for vector loads, freed with the owner.
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  // `bytes` rounded up; zero-filled when `zero`.
  AlignedBuffer(size_t bytes, bool zero);
  AlignedBuffer(AlignedBuffer&& other) noexcept;
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer();
  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }

 private:
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

// The values, mask and active list of one delta value.
struct DeltaStore {
  AlignedBuffer values, mask, active;
  DeltaView view;  // pointers into the buffers above; `count` is the current active count
};

class ProgramStorage {
 public:
  // Plans and allocates the storage of every value. Throws ArgError when a shape is outside what
  // the kernels index (2^31 - 1 per dimension and per delta's pixel count) or the sizes overflow.
  explicit ProgramStorage(ProgramSpec& spec);

  // A tensor value's memory, sized to the value (an alias's or a shared buffer's storage may be
  // larger; only the value's own size is exposed).
  F32Span Span(int32_t id) const { return {data_[static_cast<size_t>(id)], static_cast<size_t>(sizes_[static_cast<size_t>(id)])}; }
  float* Data(int32_t id) const { return data_[static_cast<size_t>(id)]; }
  int64_t Size(int32_t id) const { return sizes_[static_cast<size_t>(id)]; }
  DeltaView& Delta(int32_t id) { return deltas_[static_cast<size_t>(id)]->view; }
  bool IsDelta(int32_t id) const { return deltas_[static_cast<size_t>(id)] != nullptr; }
  // True when the reshape-like step writing `id` was turned into an alias (it computes nothing).
  bool IsAlias(int32_t id) const { return alias_of_[static_cast<size_t>(id)] >= 0; }
  // Bytes of stream values and delta buffers, as allocated.
  int64_t StateBytes() const { return state_bytes_; }
  // Bytes of the buffers frame tensors share (for tests and reports).
  int64_t FrameBytes() const { return frame_bytes_; }

 private:
  void PlanAliases(const ProgramSpec& spec);
  void PlanFrameBuffers(const ProgramSpec& spec);

  std::vector<float*> data_;
  std::vector<int64_t> sizes_;
  std::vector<int32_t> alias_of_;  // per value: the value whose storage it aliases, or -1
  std::vector<AlignedBuffer> buffers_;
  std::vector<std::unique_ptr<DeltaStore>> deltas_;
  int64_t state_bytes_ = 0;
  int64_t frame_bytes_ = 0;
};

// Elements of a shape (checked: every dimension at most 2^31 - 1, the product without overflow).
int64_t CheckedElements(const std::vector<int64_t>& shape, const std::string& what);

// Pixels of a shape as FrameResult.active counts them: N*H*W for NHWC, the elements otherwise.
int64_t PixelsOf(const std::vector<int64_t>& shape);

// The value ids a step reads and writes (absent optional operands left out), from its operand
// layout (see program_step.h).
void StepOperands(const StepSpec& step, std::vector<int32_t>& reads, std::vector<int32_t>& writes);

}  // namespace md
