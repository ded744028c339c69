// libFuzzer harness: block mode's tiles steps in a compiled program (program_tiles_step.cc), on
// fuzz-derived ops, shapes, geometry, block spans and forms, then frames whose block masks are
// arbitrary floats (NaN included). A program the compiler refuses (ArgError) ends the input, as
// it would end compile(); whatever it accepts runs its keyframe and a few frames. The property
// fuzzed: the rectangles derived from any mask, and the crops, pastes and per-rectangle kernel
// arguments built from them, never read or write outside their arrays.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "fuzz_input.h"
#include "program.h"

namespace md::fuzz {
namespace {

int32_t Value(ProgramSpec& p, Lifetime lifetime, std::vector<int64_t> shape, const char* name) {
  ValueSpec v;
  v.lifetime = lifetime;
  v.shape = std::move(shape);
  v.name = name;
  p.values.push_back(v);
  p.constants.emplace_back();
  return static_cast<int32_t>(p.values.size() - 1);
}

// Spans of `count` blocks on a map of `size` pixels: mostly the lowering's (rounded outwards, so
// neighbours may share a pixel), now and then arbitrary, reversed or outside the map.
std::vector<double> Spans(Input& in, int64_t count, int64_t size) {
  std::vector<double> v;
  for (int64_t b = 0; b < count; ++b) {
    int64_t from = b * size / count, to = ((b + 1) * size + count - 1) / count;
    if (in.OneIn(10)) from = in.Maybe(from), to = in.Maybe(to);
    v.push_back(static_cast<double>(from));
    v.push_back(static_cast<double>(std::min(to, in.OneIn(20) ? to : size)));
  }
  return v;
}

void Fuzz(Input& in) {
  const int op = in.In<int>(0, 4);  // conv, pool, activation, binary, concat
  const int64_t n = in.In<int64_t>(1, 2), h = in.In<int64_t>(1, 12), w = in.In<int64_t>(1, 12), c = in.In<int64_t>(1, 6);
  ProgramSpec p;
  const int32_t x = Value(p, Lifetime::kInput, {n, h, w, c}, "x");
  StepSpec d;
  d.kind = StepKind::kDense;
  d.node = "op";
  int64_t oh = h, ow = w, oc = c;
  std::vector<int32_t> inputs{x};
  switch (op) {
    case 0: {
      const int64_t kh = in.In<int64_t>(1, 4), kw = in.In<int64_t>(1, 4), sh = in.In<int64_t>(1, 3), sw = in.In<int64_t>(1, 3);
      const int64_t dh = in.In<int64_t>(1, 2), dw = in.In<int64_t>(1, 2), pt = in.In<int64_t>(0, 3), pl = in.In<int64_t>(0, 3);
      const int64_t pb = in.In<int64_t>(0, 3), pr = in.In<int64_t>(0, 3);
      const bool depthwise = in.Bool();
      oc = depthwise ? c : in.In<int64_t>(1, 6);
      oh = (h + pt + pb - (kh - 1) * dh - 1) / sh + 1;
      ow = (w + pl + pr - (kw - 1) * dw - 1) / sw + 1;
      if (oh < 1 || ow < 1) return;
      const int64_t groups = depthwise ? c : 1;
      d.op = static_cast<int32_t>(DenseOp::kConv2D);
      d.ints = {n, h, w, c, in.Maybe(oh), ow, oc, kh, kw, sh, sw, dh, dw, pt, pl, groups};
      const int32_t weight = Value(p, Lifetime::kConstant, {kh * kw * (c / groups) * oc}, "w");
      p.constants[static_cast<size_t>(weight)].assign(static_cast<size_t>(kh * kw * (c / groups) * oc), 0.5f);
      inputs.push_back(weight);
      inputs.push_back(-1);
      break;
    }
    case 1: {
      const int64_t k = in.In<int64_t>(1, 3), s = in.In<int64_t>(1, 2), pad = in.In<int64_t>(0, k - 1);
      oh = (h + 2 * pad - k) / s + 1;
      ow = (w + 2 * pad - k) / s + 1;
      if (oh < 1 || ow < 1) return;
      d.op = static_cast<int32_t>(DenseOp::kPool2D);
      d.ints = {n, h, w, c, oh, ow, k, k, s, s, pad, pad, pad, pad, in.In<int64_t>(0, 1), in.In<int64_t>(0, 1)};
      break;
    }
    case 2:
      d.op = static_cast<int32_t>(DenseOp::kActivation);
      d.ints = {c};
      break;
    case 3: {
      // A map plus a per-channel vector, a [N, 1, 1, C] vector or another map.
      const int kind = in.In<int>(0, 2);
      std::vector<int64_t> shape = kind == 0   ? std::vector<int64_t>{c}
                                   : kind == 1 ? std::vector<int64_t>{n, 1, 1, c}
                                               : std::vector<int64_t>{n, h, w, c};
      const int32_t b = Value(p, kind == 2 ? Lifetime::kInput : Lifetime::kConstant, shape, "b");
      if (kind != 2) p.constants[static_cast<size_t>(b)].assign(static_cast<size_t>(kind == 0 ? c : n * c), 1.f);
      inputs.push_back(b);
      d.op = static_cast<int32_t>(DenseOp::kBinary);
      d.ints = {in.In<int64_t>(0, 5)};
      // The whole-map kernel's own (uncoalesced) shape and strides.
      const int32_t vs = kind == 0 ? 0 : static_cast<int32_t>(h * w * c);
      d.i32 = {{static_cast<int32_t>(n), static_cast<int32_t>(h), static_cast<int32_t>(w), static_cast<int32_t>(c)},
               {static_cast<int32_t>(h * w * c), static_cast<int32_t>(w * c), static_cast<int32_t>(c), 1},
               {kind == 2   ? vs
                : kind == 1 ? static_cast<int32_t>(c)
                            : 0,
                kind == 2 ? static_cast<int32_t>(w * c) : 0, kind == 2 ? static_cast<int32_t>(c) : 0, 1}};
      break;
    }
    default: {
      const int64_t c2 = in.In<int64_t>(1, 4);
      inputs.push_back(Value(p, Lifetime::kInput, {n, h, w, c2}, "x2"));
      oc = c + c2;
      d.op = static_cast<int32_t>(DenseOp::kConcat);
      d.ints = {n * h * w, c, c2};
      break;
    }
  }
  const int64_t rows = in.In<int64_t>(1, 5), cols = in.In<int64_t>(1, 5);
  const int32_t blocks = Value(p, Lifetime::kInput, {1, rows, cols, 1}, "#blocks");
  const int32_t y = Value(p, Lifetime::kStream, {n, oh, ow, oc}, "y");
  for (size_t i = 0; i < p.values.size(); ++i) {
    if (p.values[i].lifetime == Lifetime::kInput) p.inputs.push_back(static_cast<int32_t>(i));
  }
  p.outputs.push_back(y);
  d.operands = inputs;
  d.operands.push_back(y);
  StepSpec t = d;
  t.kind = StepKind::kTiles;
  t.operands.insert(t.operands.begin(), blocks);
  // Forms: mostly the op's own (window for conv and pool, pointwise otherwise), sometimes another.
  const int form = in.OneIn(6) ? in.In<int>(-1, 3) : op < 2 ? 0 : 1;
  t.f64 = {Spans(in, rows, oh), Spans(in, cols, ow), {static_cast<double>(form)}};
  if (in.OneIn(16)) t.f64.pop_back();
  p.entries[kKeyframeEntry].push_back(d);
  p.entries[kFrameEntry].push_back(t);
  p.has_frame_entry = true;
  try {
    NativeProgram program(std::move(p));
    std::vector<int32_t> active(1);
    std::vector<double> ms(1);
    std::vector<float> out(static_cast<size_t>(program.OutputSize(0)));
    float* outputs[] = {out.data()};
    for (size_t i = 0; i < program.Inputs(); ++i) {
      const F32Span v = in.Floats(static_cast<size_t>(program.InputSize(i)));
      std::copy(v.data, v.data + v.length, program.InputData(i));
    }
    program.Run(kKeyframeEntry, active.data(), ms.data(), outputs);
    const int frames = in.In<int>(1, 4);
    for (int f = 0; f < frames; ++f) {
      // Mostly 0 and 1, now and then any float (NaN and infinities included).
      float* mask = program.InputData(program.Inputs() - 1);
      const F32Span any = in.Floats(static_cast<size_t>(rows * cols));
      for (int64_t j = 0; j < rows * cols; ++j) mask[j] = in.OneIn(3) ? any.data[j] : static_cast<float>(in.Next() & 1);
      program.Run(kFrameEntry, active.data(), ms.data(), outputs);
    }
  } catch (const ArgError&) {
    return;
  }
}

}  // namespace
}  // namespace md::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace md::fuzz;
  InitOnce();
  Input in(data, size);
  Fuzz(in);
  return 0;
}
