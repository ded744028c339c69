// Module entry of the CUDA addon. deviceStatus() reports the build, the driver and the devices;
// a CUDA failure reaches JavaScript as an Error with code 'CUDA_ERROR' and the CUDA error's name,
// number, file and line (src/load-cuda-addon.ts turns it into CudaRuntimeError there, in the
// caller's stack).
#include <napi.h>

#include "device_status.h"
#if defined(MD_WITH_CUDA)
#include "mdcuda/cuda_check.h"
#endif

namespace mdcuda {
namespace {

Napi::Object StatusObject(Napi::Env env, const DeviceStatus& s) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("builtWithCuda", s.built_with_cuda);
  result.Set("runtimeVersion", s.runtime_version);
  result.Set("driverVersion", s.driver_version);
  Napi::Array devices = Napi::Array::New(env, s.devices.size());
  for (size_t i = 0; i < s.devices.size(); i++) {
    const DeviceInfo& d = s.devices[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", d.name);
    o.Set("computeCapability", std::to_string(d.major) + "." + std::to_string(d.minor));
    o.Set("memoryBytes", d.memory_bytes);
    o.Set("multiprocessors", d.multiprocessors);
    devices.Set(static_cast<uint32_t>(i), o);
  }
  result.Set("devices", devices);
  if (!s.unavailable.empty()) result.Set("unavailable", s.unavailable);
  return result;
}

#if defined(MD_WITH_CUDA)
// Runs `body`, turning a CudaError into a JavaScript Error with code 'CUDA_ERROR' and the CUDA
// error's number, name, file and line.
template <typename Body>
Napi::Value WithCudaErrors(Napi::Env env, Body body) {
  try {
    return body();
  } catch (const CudaError& e) {
    Napi::Error error = Napi::Error::New(env, e.what());
    error.Set("code", "CUDA_ERROR");
    error.Set("cudaError", Napi::Number::New(env, static_cast<int>(e.code())));
    error.Set("cudaErrorName", cudaGetErrorName(e.code()));
    error.Set("file", e.file());
    error.Set("line", Napi::Number::New(env, e.line()));
    throw error;
  }
}

// raiseCudaError(code): fails as a CUDA call returning `code` fails, through MD_CUDA_CHECK, so
// the error path to JavaScript can be checked on machines without a GPU.
Napi::Value RaiseCudaErrorEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "raiseCudaError(code): code must be a cudaError_t number");
  const int code = info[0].As<Napi::Number>().Int32Value();
  return WithCudaErrors(env, [&]() -> Napi::Value {
    MD_CUDA_CHECK(static_cast<cudaError_t>(code));
    return env.Undefined();
  });
}
#endif

Napi::Value DeviceStatusEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
#if defined(MD_WITH_CUDA)
  return WithCudaErrors(env, [&] { return StatusObject(env, ProbeDevices()); });
#else
  return StatusObject(env, ProbeDevices());
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("deviceStatus", Napi::Function::New(env, DeviceStatusEntry, "deviceStatus"));
#if defined(MD_WITH_CUDA)
  exports.Set("raiseCudaError", Napi::Function::New(env, RaiseCudaErrorEntry, "raiseCudaError"));
#endif
  return exports;
}

}  // namespace
}  // namespace mdcuda

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return mdcuda::Init(env, exports); }

NODE_API_MODULE(motiondelta_cuda, InitModule)
