#include "dense_conv2d.h"

#include <napi.h>

#include <memory>
#include <string>

#include "async_kernel.h"
#include "common_args.h"
#include "dense_entry_points.h"

namespace md {

void Conv2D(const ConvGeometry& g, const float* x, const float* w, const float* bias, float* out, const Activation& act,
            const PackedConvWeights* packed) {
  if (g.out_pixels() == 0) return;
  // im2col + GEMM would multiply mostly zeros for depthwise; a direct loop does only real work.
  if (g.depthwise()) {
    Conv2DDepthwise(g, x, w, bias, out, act);
  } else {
    Conv2DGemm(g, x, w, bias, out, act, packed);
  }
}

namespace {

// Marks Externals made by conv2dPackWeights, so another kind of External is never misread as one.
const napi_type_tag kPackedTag = {0x6d6f74696f6e6465ULL, 0x6c74615f636f6e76ULL};

void FreePacked(Napi::Env, PackedConvWeights* p) { delete p; }

ConvGeometry ReadConvGeometry(const Napi::CallbackInfo& info, size_t index, const char* kernel) {
  const ConvGeometry g = ConvGeometry::From(Ints(info[index], ConvGeometry::kInts, "geometry"));
  if (!g.valid()) throw Napi::RangeError::New(info.Env(), std::string(kernel) + ": inconsistent geometry");
  return g;
}

}  // namespace

// conv2dPackWeights(weight, bias | null, geometry): Promise<External | null> — null when the
// geometry takes the depthwise path or the build has no packed GEMM (nothing to pack).
Napi::Value Conv2DPackWeightsEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto w = F32(info[0], "weight");
  auto bias = OptF32(info[1], "bias");
  const ConvGeometry g = ReadConvGeometry(info, 2, "conv2dPackWeights");
  ExpectLength(env, w.length, g.weight_size(), "weight");
  if (bias.data) ExpectLength(env, bias.length, g.out_c, "bias");
  if (g.depthwise() || !PackedGemmAvailable()) {
    auto deferred = Napi::Promise::Deferred::New(env);
    deferred.Resolve(env.Null());
    return deferred.Promise();
  }
  auto holder = std::make_shared<std::unique_ptr<PackedConvWeights>>();
  return AsyncKernel::Start(
      env, "conv2dPackWeights", {info[0], info[1]}, [=] { *holder = std::make_unique<PackedConvWeights>(PackConvWeights(g, w.data, bias.data)); },
      [holder](Napi::Env e) -> Napi::Value {
        auto external = Napi::External<PackedConvWeights>::New(e, holder->release(), FreePacked);
        external.TypeTag(&kPackedTag);
        return external;
      });
}

// conv2d(x, weight, bias | null, out, geometry: Int32Array(16), activation | null, packed?: External | null)
Napi::Value Conv2DEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto w = F32(info[1], "weight");
  auto bias = OptF32(info[2], "bias");
  auto out = F32(info[3], "out");
  const ConvGeometry g = ReadConvGeometry(info, 4, "conv2d");
  ExpectLength(env, x.length, g.input_size(), "x");
  ExpectLength(env, w.length, g.weight_size(), "weight");
  if (bias.data) ExpectLength(env, bias.length, g.out_c, "bias");
  ExpectLength(env, out.length, g.output_size(), "out");
  const Activation act = ParseActivation(info[5], g.out_c);
  const PackedConvWeights* packed = nullptr;
  if (info.Length() > 6 && !info[6].IsNull() && !info[6].IsUndefined()) {
    if (!info[6].IsExternal() || !info[6].As<Napi::Object>().CheckTypeTag(&kPackedTag)) {
      throw Napi::TypeError::New(env, "conv2d: packed must be the result of conv2dPackWeights");
    }
    packed = info[6].As<Napi::External<PackedConvWeights>>().Data();
    if (packed->k != g.kh * g.kw * g.cin_per_group() || packed->cout_g != g.cout_per_group() || packed->groups != g.groups ||
        packed->has_bias != (bias.data != nullptr)) {
      throw Napi::RangeError::New(env, "conv2d: packed weights were made for another geometry or bias");
    }
  }
  const int64_t macs = g.output_size() * g.kh * g.kw * g.cin_per_group();
  return AsyncKernel::Start(
      env, "conv2d", {info[0], info[1], info[2], info[3], info[5], info.Length() > 6 ? info[6] : env.Undefined()},
      [=] { Conv2D(g, x.data, w.data, bias.data, out.data, act, packed); }, nullptr, RunInline(macs / 8));
}

}  // namespace md
