#include "program_storage.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <string>

#include "arg_error.h"
#include "checked_math.h"
#include "common_conv_geometry.h"

namespace md {

AlignedBuffer::AlignedBuffer(size_t bytes, bool zero) {
  // 64 bytes: a cache line, and enough for any vector load. Never a null pointer, even for an
  // empty value: a null span means "absent" to the kernels' checks.
  bytes_ = std::max<size_t>(64, (bytes + 63) / 64 * 64);
  data_ = std::aligned_alloc(64, bytes_);
  if (!data_) throw std::bad_alloc();
  if (zero) std::memset(data_, 0, bytes_);
}

AlignedBuffer::AlignedBuffer(AlignedBuffer&& other) noexcept : data_(other.data_), bytes_(other.bytes_) {
  other.data_ = nullptr;
  other.bytes_ = 0;
}

AlignedBuffer& AlignedBuffer::operator=(AlignedBuffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = other.data_;
    bytes_ = other.bytes_;
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

AlignedBuffer::~AlignedBuffer() { std::free(data_); }

int64_t CheckedElements(const std::vector<int64_t>& shape, const std::string& what) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || d > kMaxExtent) RangeFail(what + " has a dimension " + std::to_string(d) + "; accepted: 0 to 2^31 - 1");
    n = CheckedMul(n, d, "a value's size");
  }
  // Bytes must fit too (sizes are later multiplied by 4 and by the number of buffers).
  if (n > (int64_t{1} << 40)) RangeFail(what + " has " + std::to_string(n) + " elements; at most 2^40 are accepted");
  return n;
}

int64_t PixelsOf(const std::vector<int64_t>& shape) {
  if (shape.size() == 4) return shape[0] * shape[1] * shape[2];
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

void StepOperands(const StepSpec& step, std::vector<int32_t>& reads, std::vector<int32_t>& writes) {
  reads.clear();
  writes.clear();
  const auto& o = step.operands;
  if (o.empty()) RangeFail("a step has no operands");
  auto read = [&](int32_t id) {
    if (id >= 0) reads.push_back(id);
  };
  // A step fused into an earlier one touches nothing: the fused step reads and writes for it.
  if (step.kind == StepKind::kDense && step.op == static_cast<int32_t>(DenseOp::kFused)) return;
  switch (step.kind) {
    case StepKind::kDense:
    case StepKind::kLinear:
    case StepKind::kCopy:
    case StepKind::kTiles:  // block mask, inputs..., output; it reads its output too (kept pixels)
      for (size_t i = 0; i < o.size(); ++i) {
        if (i + 1 < o.size() || step.kind == StepKind::kTiles) read(o[i]);
      }
      writes.push_back(o.back());
      return;
    case StepKind::kSparsify:  // input, reference, output
      if (o.size() != 3) RangeFail("a sparsify step needs 3 operands");
      read(o[0]);
      read(o[1]);
      writes.push_back(o[2]);
      writes.push_back(o[1]);
      return;
    case StepKind::kAccumulate:  // input, target
      if (o.size() != 2) RangeFail("an accumulate step needs 2 operands");
      read(o[0]);
      read(o[1]);
      writes.push_back(o[1]);
      return;
    case StepKind::kActivation:
    case StepKind::kMaxPool:  // input, accumulated, emitted, output
      if (o.size() != 4) RangeFail("an activation or maxpool step needs 4 operands");
      read(o[0]);
      read(o[1]);
      read(o[2]);
      writes.push_back(o[3]);
      writes.push_back(o[1]);
      writes.push_back(o[2]);
      return;
    case StepKind::kBinary:  // input 0, input 1, accumulated 0 | -1, accumulated 1 | -1, emitted, output
      if (o.size() != 6) RangeFail("a binary step needs 6 operands");
      for (int i = 0; i < 5; ++i) read(o[i]);
      writes.push_back(o[5]);
      if (o[2] >= 0) writes.push_back(o[2]);
      if (o[3] >= 0) writes.push_back(o[3]);
      writes.push_back(o[4]);
      return;
  }
  RangeFail("unknown step kind " + std::to_string(static_cast<int32_t>(step.kind)));
}

namespace {

// A live range per entry: [lo, hi] in step indices, lo > hi when the value is not live there.
struct Live {
  int64_t lo[2] = {INT64_MAX, INT64_MAX};
  int64_t hi[2] = {-1, -1};
  bool Overlaps(const Live& o) const {
    for (int e = 0; e < 2; ++e) {
      if (lo[e] <= hi[e] && o.lo[e] <= o.hi[e] && lo[e] <= o.hi[e] && o.lo[e] <= hi[e]) return true;
    }
    return false;
  }
  void Merge(const Live& o) {
    for (int e = 0; e < 2; ++e) {
      lo[e] = std::min(lo[e], o.lo[e]);
      hi[e] = std::max(hi[e], o.hi[e]);
    }
  }
};

bool IsReshape(const StepSpec& s) { return s.kind == StepKind::kDense && s.op == static_cast<int32_t>(DenseOp::kReshape); }

}  // namespace

ProgramStorage::ProgramStorage(ProgramSpec& spec) {
  const size_t n = spec.values.size();
  data_.assign(n, nullptr);
  sizes_.assign(n, 0);
  alias_of_.assign(n, -1);
  deltas_.resize(n);
  for (size_t id = 0; id < n; ++id) {
    const ValueSpec& v = spec.values[id];
    sizes_[id] = CheckedElements(v.shape, "value '" + v.name + "'");
    if (v.kind == ValueKind::kDelta) {
      if (v.shape.size() != 4) RangeFail("delta '" + v.name + "' is not NHWC");
      auto d = std::make_unique<DeltaStore>();
      DeltaView& view = d->view;
      view.n = v.shape[0];
      view.h = v.shape[1];
      view.w = v.shape[2];
      view.c = v.shape[3];
      view.pixels = CheckedProduct({view.n, view.h, view.w}, "a delta's pixel count");
      if (view.pixels > kMaxExtent) RangeFail("delta '" + v.name + "' has more than 2^31 - 1 pixels");
      d->values = AlignedBuffer(static_cast<size_t>(sizes_[id]) * sizeof(float), false);
      d->mask = AlignedBuffer(static_cast<size_t>(view.pixels), true);
      d->active = AlignedBuffer(static_cast<size_t>(view.pixels) * sizeof(int32_t), false);
      view.values = static_cast<float*>(d->values.data());
      view.mask = static_cast<uint8_t*>(d->mask.data());
      view.active = static_cast<int32_t*>(d->active.data());
      view.values_length = static_cast<size_t>(sizes_[id]);
      view.mask_length = view.active_length = static_cast<size_t>(view.pixels);
      view.count = 0;
      state_bytes_ += sizes_[id] * 4 + view.pixels * 5;
      deltas_[id] = std::move(d);
      continue;
    }
    switch (v.lifetime) {
      case Lifetime::kConstant: {
        auto& c = spec.constants[id];
        if (static_cast<int64_t>(c.size()) != sizes_[id]) {
          RangeFail("constant '" + v.name + "' has " + std::to_string(c.size()) + " values; its shape needs " + std::to_string(sizes_[id]));
        }
        // Empty constants still need a non-null pointer (null means "absent" to the checks).
        if (c.empty()) c.reserve(1);
        data_[id] = c.data();
        break;
      }
      case Lifetime::kInput:
      case Lifetime::kStream: {
        buffers_.emplace_back(static_cast<size_t>(sizes_[id]) * sizeof(float), v.lifetime == Lifetime::kStream);
        data_[id] = static_cast<float*>(buffers_.back().data());
        if (v.lifetime == Lifetime::kStream) state_bytes_ += sizes_[id] * 4;
        break;
      }
      case Lifetime::kFrame:
        break;  // planned below
    }
  }
  PlanAliases(spec);
  PlanFrameBuffers(spec);
}

void ProgramStorage::PlanAliases(const ProgramSpec& spec) {
  const size_t n = spec.values.size();
  // Writes per value per entry: an alias is safe only where its source is written at most once in
  // an entry (so nothing rewrites it while the alias is read) and the alias only by its step.
  std::vector<int32_t> writes[2];
  std::vector<int32_t> reads_buf, writes_buf;
  for (int e = 0; e < 2; ++e) {
    writes[e].assign(n, 0);
    for (const StepSpec& s : spec.entries[e]) {
      StepOperands(s, reads_buf, writes_buf);
      for (int32_t id : writes_buf) ++writes[e][static_cast<size_t>(id)];
    }
  }
  for (int e = 0; e < 2; ++e) {
    for (const StepSpec& s : spec.entries[e]) {
      if (!IsReshape(s) || s.operands.size() != 2) continue;
      const int32_t in = s.operands[0], out = s.operands[1];
      const ValueSpec& vi = spec.values[static_cast<size_t>(in)];
      const ValueSpec& vo = spec.values[static_cast<size_t>(out)];
      if (vo.lifetime != Lifetime::kFrame || vo.kind != ValueKind::kTensor || vi.kind != ValueKind::kTensor) continue;
      if (vi.lifetime == Lifetime::kStream || sizes_[static_cast<size_t>(in)] != sizes_[static_cast<size_t>(out)]) continue;
      if (alias_of_[static_cast<size_t>(out)] >= 0) continue;
      // The source written at most once per entry; the alias by this step alone.
      bool safe = writes[0][static_cast<size_t>(out)] + writes[1][static_cast<size_t>(out)] == 1;
      for (int f = 0; f < 2; ++f) {
        if (writes[f][static_cast<size_t>(in)] > 1) safe = false;
      }
      // The alias must not feed its own source (a cycle through other aliases).
      int32_t root = in;
      while (alias_of_[static_cast<size_t>(root)] >= 0) root = alias_of_[static_cast<size_t>(root)];
      if (root == out) safe = false;
      if (safe) alias_of_[static_cast<size_t>(out)] = in;
    }
  }
}

void ProgramStorage::PlanFrameBuffers(const ProgramSpec& spec) {
  const size_t n = spec.values.size();
  auto root_of = [&](int32_t id) {
    while (alias_of_[static_cast<size_t>(id)] >= 0) id = alias_of_[static_cast<size_t>(id)];
    return id;
  };
  std::vector<Live> live(n);
  std::vector<int32_t> reads_buf, writes_buf;
  for (int e = 0; e < 2; ++e) {
    const auto& steps = spec.entries[e];
    for (size_t i = 0; i < steps.size(); ++i) {
      StepOperands(steps[i], reads_buf, writes_buf);
      for (auto* list : {&reads_buf, &writes_buf}) {
        for (int32_t id : *list) {
          Live& l = live[static_cast<size_t>(id)];
          l.lo[e] = std::min<int64_t>(l.lo[e], static_cast<int64_t>(i));
          l.hi[e] = std::max<int64_t>(l.hi[e], static_cast<int64_t>(i));
        }
      }
    }
    // Outputs are read after the last step.
    for (int32_t id : spec.outputs) {
      Live& l = live[static_cast<size_t>(id)];
      if (l.lo[e] <= l.hi[e]) l.hi[e] = static_cast<int64_t>(steps.size());
    }
  }
  // An alias keeps its source's storage alive as long as it is read.
  for (size_t id = 0; id < n; ++id) {
    if (alias_of_[id] >= 0) live[static_cast<size_t>(root_of(static_cast<int32_t>(id)))].Merge(live[id]);
  }
  std::vector<int32_t> order;
  for (size_t id = 0; id < n; ++id) {
    const ValueSpec& v = spec.values[id];
    if (v.kind == ValueKind::kTensor && v.lifetime == Lifetime::kFrame && alias_of_[id] < 0) order.push_back(static_cast<int32_t>(id));
  }
  // Largest first: each buffer takes its first value's size, and smaller values fill the gaps.
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return sizes_[static_cast<size_t>(a)] > sizes_[static_cast<size_t>(b)]; });
  struct Slot {
    int64_t size;
    std::vector<int32_t> members;
  };
  std::vector<Slot> slots;
  std::vector<int32_t> slot_of(n, -1);
  for (int32_t id : order) {
    const Live& l = live[static_cast<size_t>(id)];
    int32_t chosen = -1;
    for (size_t s = 0; s < slots.size() && chosen < 0; ++s) {
      bool free = true;
      for (int32_t other : slots[s].members) {
        if (l.Overlaps(live[static_cast<size_t>(other)])) {
          free = false;
          break;
        }
      }
      if (free) chosen = static_cast<int32_t>(s);
    }
    if (chosen < 0) {
      slots.push_back({sizes_[static_cast<size_t>(id)], {}});
      chosen = static_cast<int32_t>(slots.size() - 1);
    }
    slots[static_cast<size_t>(chosen)].members.push_back(id);
    slot_of[static_cast<size_t>(id)] = chosen;
  }
  std::vector<float*> slot_data(slots.size());
  for (size_t s = 0; s < slots.size(); ++s) {
    buffers_.emplace_back(static_cast<size_t>(slots[s].size) * sizeof(float), false);
    slot_data[s] = static_cast<float*>(buffers_.back().data());
    frame_bytes_ += static_cast<int64_t>(buffers_.back().bytes());
  }
  for (int32_t id : order) data_[static_cast<size_t>(id)] = slot_data[static_cast<size_t>(slot_of[static_cast<size_t>(id)])];
  for (size_t id = 0; id < n; ++id) {
    if (alias_of_[id] >= 0) data_[id] = data_[static_cast<size_t>(root_of(static_cast<int32_t>(id)))];
  }
}

}  // namespace md
