#include "device_steps.h"

#include <vector>

#include "case_params.h"
#include "device_buffers.h"
#include "kernels.h"
#include "mdcuda/cuda_check.h"

namespace mddriver {
namespace {

using mdcases::Array;
using mdcases::CaseFile;
using mdcases::Outputs;

/** Everything one case holds on the device. */
struct Holder {
  std::vector<std::unique_ptr<DeviceBuffer>> buffers;
  std::unique_ptr<DeviceDeltaStorage> in;
  std::unique_ptr<DeviceDeltaStorage> out;

  DeviceBuffer* Upload(const Array& a) {
    std::vector<DeviceBuffer*> owned;
    NewDeviceArray(a, &owned);
    buffers.emplace_back(owned.front());
    return owned.front();
  }
  DeviceBuffer* Alloc(size_t bytes) {
    buffers.emplace_back(new DeviceBuffer(bytes));
    return buffers.back().get();
  }
};

Array DownloadF32(const DeviceBuffer& b, const Array& like) {
  Array a = mdcases::F32Like(like);
  if (!a.f32.empty()) b.Download(a.f32.data());
  return a;
}

Array DownloadMask(const DeviceBuffer& b, const std::vector<int64_t>& nhwc) {
  Array a = mdcases::MaskFor(nhwc);
  if (!a.u8.empty()) b.Download(a.u8.data());
  return a;
}

mdcuda::Activation DeviceActivation(const CaseFile& c, Holder* h) {
  const float* slope = c.Has("in.act.slope") ? h->Upload(c.F32("in.act.slope"))->as<float>() : nullptr;
  return mdcases::ActivationOf(c, slope);
}

DeviceRun DenseConv2d(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x");
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const float* w = h->Upload(c.F32("in.w"))->as<float>();
  const float* bias = c.Has("in.bias") ? h->Upload(c.F32("in.bias"))->as<float>() : nullptr;
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseConv2d(g, x, w, bias, act, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseConvTranspose2d(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x");
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const float* w = h->Upload(c.F32("in.w"))->as<float>();
  const float* bias = c.Has("in.bias") ? h->Upload(c.F32("in.bias"))->as<float>() : nullptr;
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseConvTranspose2d(g, x, w, bias, act, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DensePool(const CaseFile& c, bool max, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.x");
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDensePool(g, max, x, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun GlobalAvgPool(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& xa = c.F32("in.x");
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  const int batch = static_cast<int>(xa.dims.at(0)), height = static_cast<int>(xa.dims.at(1)), width = static_cast<int>(xa.dims.at(2));
  const int channels = static_cast<int>(xa.dims.at(3));
  return DeviceRun{[] {}, [=] { mdcuda::LaunchGlobalAvgPool(x, batch, height, width, channels, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseBinary(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::BroadcastGeometry g = mdcases::BroadcastGeometryOf(c);
  const auto op = static_cast<mdcuda::BinaryOp>(static_cast<int>(c.Num("binop").at(0)));
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  const float* a = h->Upload(c.F32("in.a"))->as<float>();
  const float* b = h->Upload(c.F32("in.b"))->as<float>();
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  const int channels = g.rank == 0 ? 1 : static_cast<int>(g.out_dims[g.rank - 1]);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseBinary(op, g, a, b, act, y->as<float>(), count, channels, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseActivation(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  const Array& xa = c.F32("in.x");
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* y = h->Alloc(xa.f32.size() * 4);
  const int64_t count = xa.Size();
  const int channels = static_cast<int>(xa.dims.back());
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseActivation(act, x, y->as<float>(), count, channels, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun Sparsify(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& xa = c.F32("in.x");
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* reference = h->Upload(c.F32("in.reference"));
  h->out = std::make_unique<DeviceDeltaStorage>(xa.dims);
  const double threshold = c.Num("threshold").at(0);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { reference->Upload(c.F32("in.reference").f32.data()); },
                   [=] { mdcuda::LaunchSparsify(x, reference->as<float>(), threshold, raw->out->view, stream); },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, xa)},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, xa.dims)},
                                    {"out.reference", DownloadF32(*reference, c.F32("out.reference"))}};
                   },
                   h};
}

// Uploads a case delta (values and pixel mask) into device storage and builds its tiles.
void UploadDelta(const CaseFile& c, const std::string& name, DeviceDeltaStorage* d, cudaStream_t stream) {
  d->values.Upload(c.F32(name + ".values").f32.data());
  d->mask.Upload(c.U8(name + ".mask").u8.data());
  mdcuda::LaunchTilesFromPixelMask(d->view, stream);
}

DeviceRun Accumulate(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& values = c.F32("in.delta.values");
  h->in = std::make_unique<DeviceDeltaStorage>(values.dims);
  DeviceBuffer* target = h->Upload(c.F32("in.target"));
  Holder* raw = h.get();
  return DeviceRun{[=, &c] {
                     UploadDelta(c, "in.delta", raw->in.get(), stream);
                     target->Upload(c.F32("in.target").f32.data());
                   },
                   [=] { mdcuda::LaunchAccumulate(raw->in->view, target->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.target", DownloadF32(*target, c.F32("out.target"))}};
                   },
                   h};
}

DeviceRun LinearConv2d(const CaseFile& c, bool transposed, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::Conv2dGeometry g = mdcases::ConvGeometryOf(c, "in.x.values");
  h->in = std::make_unique<DeviceDeltaStorage>(c.F32("in.x.values").dims);
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.out_c};
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  const float* w = h->Upload(c.F32("in.w"))->as<float>();
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] {
                     mdcuda::LaunchConv2dDelta(g, raw->in->view, w, candidates->as<uint8_t>(), list->as<int>(), count->as<int>(),
                                               raw->out->view, stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   h};
}

DeviceRun ActivationDelta(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& dv = c.F32("in.delta.values");
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  h->in = std::make_unique<DeviceDeltaStorage>(dv.dims);
  h->out = std::make_unique<DeviceDeltaStorage>(dv.dims);
  DeviceBuffer* accumulated = h->Upload(c.F32("in.accumulated"));
  DeviceBuffer* emitted = h->Upload(c.F32("in.emitted"));
  const double threshold = c.Num("threshold").at(0);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] {
                     UploadDelta(c, "in.delta", raw->in.get(), stream);
                     accumulated->Upload(c.F32("in.accumulated").f32.data());
                     emitted->Upload(c.F32("in.emitted").f32.data());
                   },
                   [=] {
                     mdcuda::LaunchActivationDelta(act, raw->in->view, accumulated->as<float>(), emitted->as<float>(), threshold,
                                                   raw->out->view, stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, dv)},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, dv.dims)},
                                    {"out.accumulated", DownloadF32(*accumulated, dv)},
                                    {"out.emitted", DownloadF32(*emitted, dv)}};
                   },
                   h};
}

DeviceRun MaxPoolDelta(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& dv = c.F32("in.delta.values");
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.delta.values");
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.channels};
  h->in = std::make_unique<DeviceDeltaStorage>(dv.dims);
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  DeviceBuffer* accumulated = h->Upload(c.F32("in.accumulated"));
  DeviceBuffer* emitted = h->Upload(c.F32("in.emitted"));
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  const double threshold = c.Num("threshold").at(0);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] {
                     UploadDelta(c, "in.delta", raw->in.get(), stream);
                     accumulated->Upload(c.F32("in.accumulated").f32.data());
                     emitted->Upload(c.F32("in.emitted").f32.data());
                   },
                   [=] {
                     mdcuda::LaunchMaxPoolDelta(g, raw->in->view, accumulated->as<float>(), emitted->as<float>(), threshold,
                                                candidates->as<uint8_t>(), list->as<int>(), count->as<int>(), raw->out->view, stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)},
                                    {"out.accumulated", DownloadF32(*accumulated, dv)},
                                    {"out.emitted", DownloadF32(*emitted, c.F32("out.emitted"))}};
                   },
                   h};
}

DeviceRun LinearAvgPool(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::PoolGeometry g = mdcases::PoolGeometryOf(c, "in.x.values");
  const std::vector<int64_t> out_dims = {g.batch, g.out_h, g.out_w, g.channels};
  h->in = std::make_unique<DeviceDeltaStorage>(c.F32("in.x.values").dims);
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] {
                     mdcuda::LaunchAvgPoolDelta(g, raw->in->view, candidates->as<uint8_t>(), list->as<int>(), count->as<int>(),
                                                raw->out->view, stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   h};
}

DeviceRun LinearGlobalAvgPool(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const std::vector<int64_t>& in_dims = c.F32("in.x.values").dims;
  const std::vector<int64_t> out_dims = {in_dims.at(0), 1, 1, in_dims.at(3)};
  h->in = std::make_unique<DeviceDeltaStorage>(in_dims);
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] { mdcuda::LaunchGlobalAvgPoolDelta(raw->in->view, raw->out->view, stream); },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   h};
}

DeviceRun LinearSum(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const std::vector<double>& signs = c.Num("signs");
  const std::vector<int64_t>& dims = c.F32("out.delta.values").dims;
  const bool has_a = signs.at(0) != 0, has_b = signs.at(1) != 0;
  // Each operand has its own storage; a constant operand's (sign 0) is never read.
  h->in = std::make_unique<DeviceDeltaStorage>(dims);
  auto b_storage = std::make_shared<DeviceDeltaStorage>(dims);
  h->out = std::make_unique<DeviceDeltaStorage>(dims);
  const float sa = static_cast<float>(signs[0]), sb = static_cast<float>(signs[1]);
  Holder* raw = h.get();
  DeviceDeltaStorage* b = b_storage.get();
  return DeviceRun{[=, &c] {
                     if (has_a) UploadDelta(c, "in.a", raw->in.get(), stream);
                     if (has_b) UploadDelta(c, "in.b", b, stream);
                   },
                   [=] { mdcuda::LaunchLinearSum(raw->in->view, sa, b->view, sb, raw->out->view, stream); },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, dims)}};
                   },
                   std::make_shared<std::pair<std::shared_ptr<Holder>, std::shared_ptr<DeviceDeltaStorage>>>(h, b_storage)};
}

// A Resize's tables copied to the device, and the geometry pointing at them.
mdcuda::ResizeGeometry DeviceResizeGeometry(const CaseFile& c, const std::vector<int64_t>& in, const std::vector<int64_t>& out, Holder* h) {
  const mdcases::ResizeTables t = mdcases::ResizeTablesOf(c);
  auto ints = [&](const std::vector<int>& v) {
    DeviceBuffer* b = h->Alloc(v.size() * sizeof(int));
    if (!v.empty()) b->Upload(v.data());
    return b->as<int>();
  };
  auto doubles = [&](const std::vector<double>& v) {
    DeviceBuffer* b = h->Alloc(v.size() * sizeof(double));
    if (!v.empty()) b->Upload(v.data());
    return b->as<double>();
  };
  return mdcases::ResizeGeometryOf(in, out, {ints(t.row_lo), ints(t.row_hi), doubles(t.row_weight), ints(t.row_inverse)},
                                   {ints(t.col_lo), ints(t.col_hi), doubles(t.col_weight), ints(t.col_inverse)});
}

DeviceRun DenseResize(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const Array& xa = c.F32("in.x");
  const Array& ya = c.F32("out.y");
  const mdcuda::ResizeGeometry g = DeviceResizeGeometry(c, xa.dims, ya.dims, h.get());
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseResize(g, x, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun LinearResize(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const std::vector<int64_t>& in_dims = c.F32("in.x.values").dims;
  const std::vector<int64_t>& out_dims = c.F32("out.delta.values").dims;
  const mdcuda::ResizeGeometry g = DeviceResizeGeometry(c, in_dims, out_dims, h.get());
  h->in = std::make_unique<DeviceDeltaStorage>(in_dims);
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] {
                     mdcuda::LaunchResizeDelta(g, raw->in->view, candidates->as<uint8_t>(), list->as<int>(), count->as<int>(),
                                               raw->out->view, stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   h};
}

// An int table copied to the device.
const int* DeviceInts(const std::vector<int>& v, Holder* h) {
  DeviceBuffer* b = h->Alloc(v.size() * sizeof(int));
  if (!v.empty()) b->Upload(v.data());
  return b->as<int>();
}

DeviceRun DensePad(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::PadGeometry g = mdcases::PadGeometryOf(c, DeviceInts(mdcases::IntsOf(c, "padMaps"), h.get()));
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDensePad(g, x, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun LinearPad(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::PadDeltaGeometry g = mdcases::PadDeltaGeometryOf(
      c, DeviceInts(mdcases::IntsOf(c, "padRows"), h.get()), DeviceInts(mdcases::IntsOf(c, "padCols"), h.get()),
      DeviceInts(mdcases::IntsOf(c, "padRowInverse"), h.get()), DeviceInts(mdcases::IntsOf(c, "padColInverse"), h.get()));
  const std::vector<int64_t>& in_dims = c.F32("in.x.values").dims;
  const std::vector<int64_t>& out_dims = c.F32("out.delta.values").dims;
  h->in = std::make_unique<DeviceDeltaStorage>(in_dims);
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] {
                     mdcuda::LaunchPadDelta(g, raw->in->view, candidates->as<uint8_t>(), list->as<int>(), count->as<int>(), raw->out->view,
                                            stream);
                   },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   h};
}

DeviceRun DenseConcat(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  Holder* raw = h.get();
  const mdcuda::ConcatGeometry g = mdcases::ConcatGeometryOf(
      c, false, [&](const std::string& n) { return static_cast<const void*>(raw->Upload(c.F32(n))->as<float>()); });
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseConcat(g, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

// A Concat of deltas: each varying input in its own storage, uploaded with its tiles in `prepare`.
struct ConcatInputs {
  std::vector<std::unique_ptr<DeviceDeltaStorage>> inputs;  // null for a constant input
};

DeviceRun LinearConcat(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  auto in = std::make_shared<ConcatInputs>();
  const std::vector<double>& sizes = c.Num("concatSizes");
  const std::vector<int64_t>& out_dims = c.F32("out.delta.values").dims;
  std::vector<const uint64_t*> tile_masks(sizes.size(), nullptr);
  for (size_t j = 0; j < sizes.size(); j++) {
    const std::string name = "in.x" + std::to_string(j);
    if (!c.Has(name + ".values")) {
      in->inputs.emplace_back(nullptr);
      continue;
    }
    in->inputs.emplace_back(new DeviceDeltaStorage(c.F32(name + ".values").dims));
    tile_masks[j] = in->inputs.back()->view.tile_masks;
  }
  const mdcuda::ConcatGeometry g = mdcases::ConcatGeometryOf(c, true, [&](const std::string& n) -> const void* {
    const int j = std::stoi(n.substr(4, n.find('.', 4) - 4));
    const DeviceDeltaStorage& d = *in->inputs[j];
    return n.size() > 7 && n.compare(n.size() - 5, 5, ".mask") == 0 ? static_cast<const void*>(d.view.mask)
                                                                    : static_cast<const void*>(d.view.values);
  });
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] {
                     for (size_t j = 0; j < in->inputs.size(); j++)
                       if (in->inputs[j]) UploadDelta(c, "in.x" + std::to_string(j), in->inputs[j].get(), stream);
                   },
                   [=] { mdcuda::LaunchConcatDelta(g, tile_masks.data(), raw->out->view, stream); },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)}};
                   },
                   std::make_shared<std::pair<std::shared_ptr<Holder>, std::shared_ptr<ConcatInputs>>>(h, in)};
}

// A double table copied to the device.
const double* DeviceDoubles(const std::vector<double>& v, Holder* h) {
  DeviceBuffer* b = h->Alloc(v.size() * sizeof(double));
  if (!v.empty()) b->Upload(v.data());
  return b->as<double>();
}

DeviceRun DenseBatchNorm(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  std::vector<double> mul_host, add_host;
  mdcases::BatchNormFoldOf(c, &mul_host, &add_host);  // folded once on the host, as a compiler would
  const double* mul = DeviceDoubles(mul_host, h.get());
  const double* add = DeviceDoubles(add_host, h.get());
  const int channels = static_cast<int>(mul_host.size());
  const Array& xa = c.F32("in.x");
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* y = h->Alloc(xa.f32.size() * 4);
  const int64_t count = xa.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseBatchNorm(x, mul, add, channels, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun LinearScale(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  std::vector<double> mul_host, add_host;
  if (c.op == "delta.linear.BatchNorm") mdcases::BatchNormFoldOf(c, &mul_host, &add_host);
  const double* mul = mul_host.empty() ? nullptr : DeviceDoubles(mul_host, h.get());
  const float* k = c.Has("in.k") ? h->Upload(c.F32("in.k"))->as<float>() : nullptr;
  const mdcuda::ScaleGeometry g = mdcases::ScaleGeometryOf(c, mul, k);
  const std::vector<int64_t>& dims = c.F32("in.x.values").dims;
  h->in = std::make_unique<DeviceDeltaStorage>(dims);
  h->out = std::make_unique<DeviceDeltaStorage>(dims);
  Holder* raw = h.get();
  return DeviceRun{[=, &c] { UploadDelta(c, "in.x", raw->in.get(), stream); },
                   [=] { mdcuda::LaunchScaleDelta(g, raw->in->view, raw->out->view, stream); },
                   [=, &c] {
                     return Outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                                    {"out.delta.mask", DownloadMask(raw->out->mask, dims)}};
                   },
                   h};
}

// The device storage of a binary step's operands: a delta and its accumulated values per varying operand.
struct BinaryOperands {
  std::unique_ptr<DeviceDeltaStorage> delta[2];
  DeviceBuffer* accumulated[2] = {nullptr, nullptr};
  DeviceBuffer* constant[2] = {nullptr, nullptr};
};

DeviceRun BinaryDelta(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  auto ops = std::make_shared<BinaryOperands>();
  const char* names[2] = {"a", "b"};
  for (int j = 0; j < 2; j++) {
    const std::string base = std::string("in.") + names[j];
    if (c.Has(base + ".values")) {
      ops->delta[j] = std::make_unique<DeviceDeltaStorage>(c.F32(base + ".values").dims);
      ops->accumulated[j] = h->Upload(c.F32(base + ".acc"));
    } else {
      ops->constant[j] = h->Upload(c.F32(base));
    }
  }
  const mdcuda::BinaryDeltaGeometry g = mdcases::BinaryDeltaGeometryOf(c, [&](const std::string& n) -> const void* {
    const int j = n[3] == 'a' ? 0 : 1;
    if (n.size() > 5 && n.compare(n.size() - 4, 4, ".acc") == 0) return ops->accumulated[j]->as<float>();
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".mask") == 0) return ops->delta[j]->view.mask;
    return ops->constant[j]->as<float>();
  });
  const std::vector<int64_t>& out_dims = c.F32("out.delta.values").dims;
  h->out = std::make_unique<DeviceDeltaStorage>(out_dims);
  DeviceBuffer* emitted = h->Upload(c.F32("in.emitted"));
  const size_t out_tiles = DeviceDeltaStorage::Tiles(out_dims);
  DeviceBuffer* candidates = h->Alloc(out_tiles);
  DeviceBuffer* list = h->Alloc(out_tiles * sizeof(int));
  DeviceBuffer* count = h->Alloc(sizeof(int));
  const double threshold = c.Num("threshold").at(0);
  Holder* raw = h.get();
  BinaryOperands* o = ops.get();
  return DeviceRun{
      [=, &c] {
        for (int j = 0; j < 2; j++) {
          if (!o->delta[j]) continue;
          const std::string base = std::string("in.") + names[j];
          UploadDelta(c, base, o->delta[j].get(), stream);
          o->accumulated[j]->Upload(c.F32(base + ".acc").f32.data());
        }
        emitted->Upload(c.F32("in.emitted").f32.data());
      },
      [=] {
        const mdcuda::DeviceDelta* deltas[2] = {o->delta[0] ? &o->delta[0]->view : nullptr, o->delta[1] ? &o->delta[1]->view : nullptr};
        float* accumulated[2] = {o->accumulated[0] ? o->accumulated[0]->as<float>() : nullptr,
                                 o->accumulated[1] ? o->accumulated[1]->as<float>() : nullptr};
        mdcuda::LaunchBinaryDelta(g, deltas, accumulated, emitted->as<float>(), threshold, candidates->as<uint8_t>(), list->as<int>(),
                                  count->as<int>(), raw->out->view, stream);
      },
      [=, &c] {
        Outputs outputs{{"out.delta.values", DownloadF32(raw->out->values, c.F32("out.delta.values"))},
                        {"out.delta.mask", DownloadMask(raw->out->mask, out_dims)},
                        {"out.emitted", DownloadF32(*emitted, c.F32("out.emitted"))}};
        for (int j = 0; j < 2; j++) {
          const std::string name = std::string("out.") + names[j] + ".acc";
          if (o->accumulated[j] != nullptr) outputs[name] = DownloadF32(*o->accumulated[j], c.F32(name));
        }
        return outputs;
      },
      std::make_shared<std::pair<std::shared_ptr<Holder>, std::shared_ptr<BinaryOperands>>>(h, ops)};
}

DeviceRun DenseCopy(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  DeviceBuffer* x = h->Upload(c.F32("in.x"));
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {},
                   [=] {
                     if (x->bytes() > 0)
                       MD_CUDA_CHECK(cudaMemcpyAsync(y->as<float>(), x->as<float>(), x->bytes(), cudaMemcpyDeviceToDevice, stream));
                   },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseTranspose(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::TransposeGeometry g = mdcases::TransposeGeometryOf(c);
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseTranspose(g, x, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseMatMul(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const int m = static_cast<int>(c.Num("m").at(0)), k = static_cast<int>(c.Num("k").at(0)), n = static_cast<int>(c.Num("n").at(0));
  auto offsets = [&](const std::string& key) {
    const std::vector<double>& v = c.Num(key);
    std::vector<int64_t> host(v.begin(), v.end());
    DeviceBuffer* b = h->Alloc(host.size() * sizeof(int64_t));
    if (!host.empty()) b->Upload(host.data());
    return b->as<int64_t>();
  };
  const int64_t* a_offsets = offsets("aOffsets");
  const int64_t* b_offsets = offsets("bOffsets");
  const int batches = static_cast<int>(c.Num("aOffsets").size());
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  const float* a = h->Upload(c.F32("in.a"))->as<float>();
  const float* b = h->Upload(c.F32("in.b"))->as<float>();
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseMatMul(a, a_offsets, b, b_offsets, batches, m, k, n, act, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseGemm(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const int m = static_cast<int>(c.Num("m").at(0)), k = static_cast<int>(c.Num("k").at(0)), n = static_cast<int>(c.Num("n").at(0));
  const int64_t a1 = static_cast<int64_t>(c.Num("a1").at(0)), b1 = static_cast<int64_t>(c.Num("b1").at(0));
  const bool trans_a = c.Num("transA").at(0) != 0, trans_b = c.Num("transB").at(0) != 0;
  const mdcuda::MatrixView a{h->Upload(c.F32("in.a"))->as<float>(), trans_a ? 1 : a1, trans_a ? a1 : 1};
  const mdcuda::MatrixView b{h->Upload(c.F32("in.b"))->as<float>(), trans_b ? 1 : b1, trans_b ? b1 : 1};
  const double alpha = c.Num("alpha").at(0), beta = c.Num("beta").at(0);
  const float* cv = c.Has("in.c") ? h->Upload(c.F32("in.c"))->as<float>() : nullptr;
  const int64_t c_row = cv != nullptr ? static_cast<int64_t>(c.Num("cStrides").at(0)) : 0;
  const int64_t c_col = cv != nullptr ? static_cast<int64_t>(c.Num("cStrides").at(1)) : 0;
  const mdcuda::Activation act = DeviceActivation(c, h.get());
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseGemm(a, b, m, k, n, alpha, cv, c_row, c_col, beta, act, y->as<float>(), stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseSoftmax(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  int64_t outer = 0, length = 0, inner = 0;
  mdcases::SoftmaxSplitOf(c, &outer, &length, &inner);
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseSoftmax(x, y->as<float>(), outer, length, inner, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseSlice(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::SliceGeometry g = mdcases::SliceGeometryOf(c);
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseSlice(g, x, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseReduce(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::ReduceGeometry g = mdcases::ReduceGeometryOf(c);
  const float* x = h->Upload(c.F32("in.x"))->as<float>();
  const Array& ya = c.F32("out.y");
  DeviceBuffer* y = h->Alloc(ya.f32.size() * 4);
  const int64_t count = ya.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseReduce(g, x, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

DeviceRun DenseDepthSpace(const CaseFile& c, cudaStream_t stream) {
  auto h = std::make_shared<Holder>();
  const mdcuda::DepthSpaceGeometry g = mdcases::DepthSpaceGeometryOf(c);
  const bool to_space = c.op == "dense.DepthToSpace";
  const Array& xa = c.F32("in.x");
  const float* x = h->Upload(xa)->as<float>();
  DeviceBuffer* y = h->Alloc(c.F32("out.y").f32.size() * 4);
  const int64_t count = xa.Size();
  return DeviceRun{[] {}, [=] { mdcuda::LaunchDenseDepthSpace(g, to_space, x, y->as<float>(), count, stream); },
                   [=, &c] {
                     return Outputs{{"out.y", DownloadF32(*y, c.F32("out.y"))}};
                   },
                   h};
}

}  // namespace

DeviceRun MakeDeviceRun(const CaseFile& c, cudaStream_t stream) {
  if (c.op == "dense.Conv2D") return DenseConv2d(c, stream);
  if (c.op == "dense.Activation") return DenseActivation(c, stream);
  if (c.op == "delta.sparsify") return Sparsify(c, stream);
  if (c.op == "delta.accumulate") return Accumulate(c, stream);
  if (c.op == "delta.linear.Conv2D") return LinearConv2d(c, false, stream);
  if (c.op == "delta.linear.ConvTranspose2D") return LinearConv2d(c, true, stream);
  if (c.op == "dense.ConvTranspose2D") return DenseConvTranspose2d(c, stream);
  if (c.op == "dense.MaxPool2D") return DensePool(c, true, stream);
  if (c.op == "dense.AvgPool2D") return DensePool(c, false, stream);
  if (c.op == "dense.GlobalAvgPool") return GlobalAvgPool(c, stream);
  if (c.op == "dense.Binary") return DenseBinary(c, stream);
  if (c.op == "delta.maxPool") return MaxPoolDelta(c, stream);
  if (c.op == "delta.linear.AvgPool2D") return LinearAvgPool(c, stream);
  if (c.op == "dense.Resize") return DenseResize(c, stream);
  if (c.op == "dense.Pad") return DensePad(c, stream);
  if (c.op == "dense.Copy") return DenseCopy(c, stream);
  if (c.op == "dense.Reduce") return DenseReduce(c, stream);
  if (c.op == "dense.DepthToSpace" || c.op == "dense.SpaceToDepth") return DenseDepthSpace(c, stream);
  if (c.op == "dense.MatMul") return DenseMatMul(c, stream);
  if (c.op == "dense.Gemm") return DenseGemm(c, stream);
  if (c.op == "dense.Softmax") return DenseSoftmax(c, stream);
  if (c.op == "dense.Slice") return DenseSlice(c, stream);
  if (c.op == "dense.Transpose") return DenseTranspose(c, stream);
  if (c.op == "delta.binary") return BinaryDelta(c, stream);
  if (c.op == "dense.BatchNorm") return DenseBatchNorm(c, stream);
  if (c.op == "delta.linear.Mul" || c.op == "delta.linear.Div" || c.op == "delta.linear.BatchNorm" || c.op == "delta.linear.Identity") {
    return LinearScale(c, stream);
  }
  if (c.op == "dense.Concat") return DenseConcat(c, stream);
  if (c.op == "delta.linear.Concat") return LinearConcat(c, stream);
  if (c.op == "delta.linear.Pad") return LinearPad(c, stream);
  if (c.op == "delta.linear.Resize") return LinearResize(c, stream);
  if (c.op == "delta.linear.GlobalAvgPool") return LinearGlobalAvgPool(c, stream);
  if (c.op == "delta.linear.Add" || c.op == "delta.linear.Sub") return LinearSum(c, stream);
  if (c.op == "delta.activation") return ActivationDelta(c, stream);
  throw Declined("op '" + c.op + "' has no CUDA kernel yet");
}

}  // namespace mddriver
