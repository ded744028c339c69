// libFuzzer harness: the argument checks of every kernel (dense_checks.cc, delta_checks.cc), the
// ones the addon runs before each call, on arbitrary values: geometry integers over the whole
// 32-bit range (and 64-bit for what arrives as a double), arrays of arbitrary small lengths,
// DeltaBuffers with arbitrary shapes, counts and active lists. Whatever a check accepts then runs
// through its kernel, under AddressSanitizer and UndefinedBehaviorSanitizer: the property fuzzed
// is "no accepted call reads or writes outside its arrays, overflows, or exhausts memory".
#include <cstdint>
#include <memory>
#include <vector>

#include "delta_ops.h"
#include "dense_conv2d.h"
#include "dense_ops.h"
#include "fuzz_input.h"

namespace md::fuzz {
namespace {

// An integer as the addon may receive it: anywhere in int32, or small.
int64_t Int(Input& in) {
  switch (in.In<int>(0, 3)) {
    case 0:
      return in.p().ConsumeIntegral<int32_t>();
    case 1:
      return in.In<int64_t>(-2, 4);
    default:
      return in.In<int64_t>(0, 64);
  }
}

std::vector<int64_t> Ints(Input& in, size_t usual) {
  const size_t n = in.OneIn(16) ? in.In<size_t>(0, usual + 2) : usual;
  std::vector<int64_t> v(n);
  for (auto& x : v) x = Int(in);
  return v;
}

size_t Len(Input& in) { return in.In<size_t>(0, 96); }
F32Span Floats(Input& in) { return in.Floats(Len(in)); }
I32Span IntArray(Input& in) {
  I32Span s = in.Array<int32_t>(Len(in));
  for (size_t i = 0; i < s.length; ++i) s.data[i] = static_cast<int32_t>(Int(in));
  return s;
}

Activation AnyActivation(Input& in) {
  Activation act;
  act.kind = static_cast<ActKind>(Int(in));
  if (in.Bool()) {
    const F32Span slope = Floats(in);
    act.slope = slope.data;
    act.slope_len = static_cast<int64_t>(slope.length);
  }
  return act;
}

// A DeltaBuffer with arbitrary shape, count, array lengths and list contents.
DeltaView AnyDelta(Input& in) {
  DeltaView d;
  d.n = in.OneIn(8) ? Int(in) : in.In<int64_t>(0, 3);
  d.h = in.OneIn(8) ? Int(in) : in.In<int64_t>(0, 6);
  d.w = in.OneIn(8) ? Int(in) : in.In<int64_t>(0, 6);
  d.c = in.OneIn(8) ? Int(in) : in.In<int64_t>(0, 4);
  const bool fits = in.Bool();
  const int64_t pixels = d.n >= 0 && d.h >= 0 && d.w >= 0 && d.n <= 64 && d.h <= 64 && d.w <= 64 ? d.n * d.h * d.w : 0;
  const int64_t c = d.c >= 0 && d.c <= 64 ? d.c : 0;
  const size_t values = fits && pixels * c <= 4096 ? static_cast<size_t>(pixels * c) : Len(in);
  const size_t per_pixel = fits && pixels <= 4096 ? static_cast<size_t>(pixels) : Len(in);
  const F32Span v = in.Floats(values);
  const U8Span m = in.Array<uint8_t>(per_pixel);
  const I32Span a = in.Array<int32_t>(per_pixel);
  for (size_t i = 0; i < per_pixel; ++i) {
    m.data[i] = static_cast<uint8_t>(in.Next() % 3);
    a.data[i] = in.OneIn(4) ? static_cast<int32_t>(Int(in)) : static_cast<int32_t>(pixels > 0 ? in.Next() % pixels : 0);
  }
  d.values = v.data, d.values_length = v.length;
  d.mask = m.data, d.mask_length = m.length;
  d.active = a.data, d.active_length = a.length;
  d.count = in.OneIn(4) ? Int(in) : static_cast<int64_t>(in.Next() % (per_pixel + 1));
  return d;
}

void Dense(Input& in, int which) {
  switch (which) {
    case 0: {
      Conv2DArgs a;
      a.x = Floats(in), a.w = Floats(in), a.out = Floats(in);
      if (in.Bool()) a.bias = Floats(in);
      a.geometry = Ints(in, ConvGeometry::kInts);
      a.act = AnyActivation(in);
      a.options.force_blas = in.Bool();
      a.options.implicit = in.Bool();
      CheckThenRun([&] { CheckConv2D(a); }, [&] { RunConv2D(a); });
      break;
    }
    case 1: {
      ConvTranspose2DArgs a;
      a.x = Floats(in), a.w = Floats(in), a.out = Floats(in);
      if (in.Bool()) a.bias = Floats(in);
      a.geometry = Ints(in, ConvGeometry::kInts);
      a.act = AnyActivation(in);
      CheckThenRun([&] { CheckConvTranspose2D(a); }, [&] { RunConvTranspose2D(a); });
      break;
    }
    case 2: {
      Pool2DArgs a;
      a.x = Floats(in), a.out = Floats(in);
      a.geometry = Ints(in, 14);
      a.kind = static_cast<int32_t>(Int(in));
      a.count_include_pad = in.Bool();
      CheckThenRun([&] { CheckPool2D(a); }, [&] { RunPool2D(a); });
      break;
    }
    case 3: {
      GlobalAvgPoolArgs a;
      a.x = Floats(in), a.out = Floats(in);
      a.batch = Int(in), a.pixels = Int(in), a.channels = Int(in);
      CheckThenRun([&] { CheckGlobalAvgPool(a); }, [&] { RunGlobalAvgPool(a); });
      break;
    }
    case 4: {
      ActivationArgs a;
      a.x = Floats(in), a.out = Floats(in);
      a.channels = Int(in);
      a.act = AnyActivation(in);
      CheckThenRun([&] { CheckActivationKernel(a); }, [&] { RunActivation(a); });
      break;
    }
    case 5: {
      BatchNormArgs a;
      a.x = Floats(in), a.out = Floats(in), a.mul = Floats(in), a.add = Floats(in);
      CheckThenRun([&] { CheckBatchNorm(a); }, [&] { RunBatchNorm(a); });
      break;
    }
    case 6: {
      BinaryArgs a;
      a.a = Floats(in), a.b = Floats(in), a.out = Floats(in);
      a.op = static_cast<int32_t>(Int(in));
      const size_t rank = in.In<size_t>(0, 6);
      a.shape = Ints(in, rank), a.sa = Ints(in, rank), a.sb = Ints(in, rank);
      a.act = AnyActivation(in);
      CheckThenRun([&] { CheckBinary(a); }, [&] { RunBinary(a); });
      break;
    }
    case 7: {
      ConcatArgs a;
      const size_t parts = in.In<size_t>(0, 4);
      for (size_t i = 0; i < parts; ++i) a.inputs.push_back(Floats(in));
      a.chunks = Ints(in, parts);
      a.out = Floats(in);
      a.outer = Int(in);
      CheckThenRun([&] { CheckConcat(a); }, [&] { RunConcat(a); });
      break;
    }
    case 8: {
      PadArgs a;
      a.x = Floats(in), a.out = Floats(in);
      const size_t rank = in.In<size_t>(0, 5);
      a.shape = Ints(in, rank), a.strides = Ints(in, rank);
      const I32Span maps = IntArray(in);
      a.maps.assign(maps.data, maps.data + maps.length);
      CheckThenRun([&] { CheckPad(a); }, [&] { RunPad(a); });
      break;
    }
    case 9: {
      ResizeArgs a;
      a.x = Floats(in), a.out = Floats(in);
      a.geometry = Ints(in, 6);
      a.row_lo = IntArray(in), a.row_hi = IntArray(in), a.col_lo = IntArray(in), a.col_hi = IntArray(in);
      a.row_weight = Floats(in), a.col_weight = Floats(in);
      CheckThenRun([&] { CheckResize(a); }, [&] { RunResize(a); });
      break;
    }
    case 10: {
      GemmArgs a;
      a.a = Floats(in), a.b = Floats(in), a.out = Floats(in);
      if (in.Bool()) a.c = Floats(in);
      a.geometry = Ints(in, 7);
      a.act = AnyActivation(in);
      CheckThenRun([&] { CheckGemm(a); }, [&] { RunGemm(a); });
      break;
    }
    default: {
      MatMulArgs a;
      a.a = Floats(in), a.b = Floats(in), a.out = Floats(in);
      a.geometry = Ints(in, 5);
      const size_t batches = in.In<size_t>(0, 4);
      a.a_offsets = Ints(in, batches), a.b_offsets = Ints(in, batches);
      a.act = AnyActivation(in);
      CheckThenRun([&] { CheckMatMul(a); }, [&] { RunMatMul(a); });
      break;
    }
  }
}

void Delta(Input& in, int which) {
  switch (which) {
    case 0: {
      SparsifyArgs a;
      a.x = Floats(in), a.reference = Floats(in), a.out = AnyDelta(in);
      CheckThenRun([&] { CheckSparsify(a); }, [&] { RunSparsify(a); });
      break;
    }
    case 1: {
      AccumulateArgs a;
      a.delta = AnyDelta(in), a.target = Floats(in);
      CheckThenRun([&] { CheckAccumulate(a); }, [&] { RunAccumulate(a); });
      break;
    }
    case 2: {
      DeltaActivationArgs a;
      a.in = AnyDelta(in), a.out = AnyDelta(in);
      a.kind = static_cast<int32_t>(Int(in));
      a.slope = Floats(in), a.accumulated = Floats(in), a.emitted = Floats(in);
      CheckThenRun([&] { CheckDeltaActivation(a); }, [&] { RunDeltaActivation(a); });
      break;
    }
    case 3: {
      DeltaConv2dArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in), a.w = Floats(in);
      a.geom = Ints(in, 9);
      a.path = static_cast<int32_t>(Int(in));
      a.options.force_blas = in.Bool();
      std::unique_ptr<PackedConv> packed;
      if (in.Bool()) {
        DeltaPackArgs p;
        p.w = a.w;
        p.dims = Ints(in, 9);
        try {
          CheckDeltaPack(p);
          packed = RunDeltaPack(p);
        } catch (const ArgError&) {
        }
        a.packed = packed.get();
      }
      CheckThenRun([&] { CheckDeltaConv2d(a); }, [&] { RunDeltaConv2d(a); });
      break;
    }
    case 4: {
      DeltaConvTransposeArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in), a.w = Floats(in);
      a.geom = Ints(in, 9);
      CheckThenRun([&] { CheckDeltaConvTranspose(a); }, [&] { RunDeltaConvTranspose(a); });
      break;
    }
    case 5:
    case 6: {
      DeltaPoolArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in);
      a.geom = Ints(in, 9);
      a.accumulated = Floats(in), a.emitted = Floats(in);
      if (which == 5)
        CheckThenRun([&] { CheckDeltaAvgPool(a); }, [&] { RunDeltaAvgPool(a); });
      else
        CheckThenRun([&] { CheckDeltaMaxPool(a); }, [&] { RunDeltaMaxPool(a); });
      break;
    }
    case 7: {
      DeltaGlobalAvgPoolArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in);
      CheckThenRun([&] { CheckDeltaGlobalAvgPool(a); }, [&] { RunDeltaGlobalAvgPool(a); });
      break;
    }
    case 8: {
      DeltaScaleArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in);
      a.mode = static_cast<int32_t>(Int(in));
      a.k = Floats(in), a.k_strides = IntArray(in), a.mul = in.Doubles(Len(in));
      CheckThenRun([&] { CheckDeltaScale(a); }, [&] { RunDeltaScale(a); });
      break;
    }
    case 9: {
      DeltaAddDeltasArgs a;
      a.a = AnyDelta(in), a.b = AnyDelta(in), a.out = AnyDelta(in);
      CheckThenRun([&] { CheckDeltaAddDeltas(a); }, [&] { RunDeltaAddDeltas(a); });
      break;
    }
    case 10: {
      DeltaConcatArgs a;
      const size_t parts = in.In<size_t>(0, 3);
      for (size_t i = 0; i < parts; ++i) a.parts.push_back(AnyDelta(in));
      a.offsets = Ints(in, parts);
      a.out = AnyDelta(in);
      CheckThenRun([&] { CheckDeltaConcat(a); }, [&] { RunDeltaConcat(a); });
      break;
    }
    case 11: {
      DeltaResizeArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in);
      a.rows = {IntArray(in), IntArray(in), in.Doubles(Len(in)), IntArray(in)};
      a.cols = {IntArray(in), IntArray(in), in.Doubles(Len(in)), IntArray(in)};
      CheckThenRun([&] { CheckDeltaResize(a); }, [&] { RunDeltaResize(a); });
      break;
    }
    case 12: {
      DeltaPadArgs a;
      a.x = AnyDelta(in), a.out = AnyDelta(in);
      a.rows = {IntArray(in), IntArray(in), IntArray(in)};
      a.cols = {IntArray(in), IntArray(in), IntArray(in)};
      CheckThenRun([&] { CheckDeltaPad(a); }, [&] { RunDeltaPad(a); });
      break;
    }
    default: {
      DeltaBinaryArgs a;
      a.op = static_cast<int32_t>(Int(in));
      a.out = AnyDelta(in);
      for (DeltaOperand* o : {&a.a, &a.b}) {
        o->varying = in.Bool();
        if (o->varying) o->delta = AnyDelta(in);
        o->data = Floats(in);
        o->strides = IntArray(in);
      }
      a.emitted = Floats(in);
      CheckThenRun([&] { CheckDeltaBinary(a); }, [&] { RunDeltaBinary(a); });
      break;
    }
  }
}

}  // namespace
}  // namespace md::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace md::fuzz;
  InitOnce();
  Input in(data, size);
  const int which = in.In<int>(0, 25);
  if (which < 12)
    Dense(in, which);
  else
    Delta(in, which - 12);
  return 0;
}
