// The N-API entry points of compiled programs (program.h): compile a program from the form the
// TypeScript compiler encodes (src/program/encode-program.ts), run an entry of it as one
// asynchronous call, read an update mask, free it.
//
// - programCompile(spec): External. Reads the spec on the JavaScript thread (constants are
//   copied, so the program owns all its memory) and compiles it there: storage, checks, packing.
// - programRun(program, entry, inputs): Promise<{ outputs, active, ms }>. Copies the inputs into the
//   program's storage before it returns (the caller's arrays are never read afterwards), then runs
//   every step of the entry on a libuv worker thread. It resolves with fresh arrays made here: the
//   outputs, the per-step counts (Int32Array) and milliseconds (Float64Array). Nothing else holds
//   them until the promise settles, so nothing can detach them while the worker writes them, and
//   the caller gets ordinary transferable arrays.
// - programUpdateMask(program, entry, step): Uint8Array copy of a delta step's mask, or null (also
//   while a run is in flight).
// - programInfo(program): { stateBytes, frameBytes }.
// - programDispose(program): frees the storage now, or when the run in flight ends; later calls
//   with the program throw.
#include <napi.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "napi_args.h"
#include "napi_register.h"
#include "program.h"

namespace md {
namespace {

// Marks Externals made by programCompile, so no other External is ever taken for a program.
const napi_type_tag kProgramTag = {0x6d6f74696f6e6465ULL, 0x6c74615f70726f67ULL};

struct ProgramHandle {
  std::unique_ptr<NativeProgram> program;
  bool busy = false;      // a run is in flight (set and cleared on the JavaScript thread)
  bool disposed = false;  // programDispose was called
};

void FreeHandle(Napi::Env, ProgramHandle* h) { delete h; }

ProgramHandle& HandleArg(const Napi::Value& v) {
  if (!v.IsExternal() || !v.As<Napi::Object>().CheckTypeTag(&kProgramTag)) TypeFail("program must be the result of programCompile");
  return *v.As<Napi::External<ProgramHandle>>().Data();
}

// A program that can be used now: not disposed, no run in flight.
NativeProgram& Usable(ProgramHandle& h, const char* what) {
  if (h.disposed || !h.program) TypeFail(std::string(what) + ": the program was disposed");
  if (h.busy) TypeFail(std::string(what) + ": a run of this program is in flight; runs of one program must not overlap");
  return *h.program;
}

int64_t IntegerValue(double d, const std::string& what) {
  if (!(d >= -9007199254740991.0 && d <= 9007199254740991.0) || d != std::floor(d)) RangeFail(what + " must hold integers");
  return static_cast<int64_t>(d);
}

template <typename T>
std::vector<T> Copy(const Napi::Value& v, const char* what) {
  const Span<T> s = ViewOf<T>(v, what);
  return std::vector<T>(s.data, s.data + s.length);
}

std::vector<int64_t> Integers(const Napi::Value& v, const char* what) {
  const F64Span s = F64(v, what);
  std::vector<int64_t> out(s.length);
  for (size_t i = 0; i < s.length; ++i) out[i] = IntegerValue(s.data[i], what);
  return out;
}

Napi::Array ArrayField(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsArray()) TypeFail(std::string("program spec: ") + name + " must be an array");
  return v.As<Napi::Array>();
}

template <typename T>
std::vector<std::vector<T>> Tables(const Napi::Object& o, const char* name) {
  Napi::Array list = ArrayField(o, name);
  std::vector<std::vector<T>> out;
  for (uint32_t i = 0; i < list.Length(); ++i) out.push_back(Copy<T>(list.Get(i), name));
  return out;
}

StepSpec ReadStep(const Napi::Value& value) {
  if (!value.IsObject()) TypeFail("program spec: a step must be an object");
  Napi::Object o = value.As<Napi::Object>();
  StepSpec s;
  s.kind = static_cast<StepKind>(IntArg(o.Get("kind"), "step kind"));
  s.op = IntArg(o.Get("op"), "step op");
  s.node = o.Get("node").ToString().Utf8Value();
  s.operands = Copy<int32_t>(o.Get("operands"), "step operands");
  s.ints = Integers(o.Get("ints"), "step ints");
  s.floats = Copy<double>(o.Get("floats"), "step floats");
  s.f32 = Tables<float>(o, "f32");
  s.i32 = Tables<int32_t>(o, "i32");
  s.f64 = Tables<double>(o, "f64");
  const Activation act = ReadActivation(o.Get("act"));
  s.act_kind = act.kind;
  s.act_a = act.a;
  s.act_b = act.b;
  if (act.kind == ActKind::kPrelu) s.act_slope.assign(act.slope, act.slope + act.slope_len);
  CheckActivation(act, act.kind == ActKind::kPrelu ? act.slope_len : 1);
  return s;
}

ProgramSpec ReadSpec(const Napi::Value& value) {
  if (!value.IsObject()) TypeFail("program spec must be an object");
  Napi::Object o = value.As<Napi::Object>();
  ProgramSpec spec;
  const std::vector<int32_t> kinds = Copy<int32_t>(o.Get("kinds"), "kinds");
  const std::vector<int32_t> lifetimes = Copy<int32_t>(o.Get("lifetimes"), "lifetimes");
  const std::vector<int32_t> ranks = Copy<int32_t>(o.Get("ranks"), "ranks");
  const std::vector<int64_t> dims = Integers(o.Get("dims"), "dims");
  Napi::Array names = ArrayField(o, "names");
  Napi::Array constants = ArrayField(o, "constants");
  const size_t n = kinds.size();
  if (lifetimes.size() != n || ranks.size() != n || names.Length() != n || constants.Length() != n)
    RangeFail("program spec: kinds, lifetimes, ranks, names and constants must have one entry per value");
  size_t at = 0;
  for (size_t id = 0; id < n; ++id) {
    ValueSpec v;
    if (kinds[id] < 0 || kinds[id] > 1 || lifetimes[id] < 0 || lifetimes[id] > 3) RangeFail("program spec: unknown value kind or lifetime");
    v.kind = static_cast<ValueKind>(kinds[id]);
    v.lifetime = static_cast<Lifetime>(lifetimes[id]);
    if (ranks[id] < 0 || at + static_cast<size_t>(ranks[id]) > dims.size()) RangeFail("program spec: ranks do not match dims");
    v.shape.assign(dims.begin() + static_cast<std::ptrdiff_t>(at), dims.begin() + static_cast<std::ptrdiff_t>(at + ranks[id]));
    at += static_cast<size_t>(ranks[id]);
    v.name = names.Get(static_cast<uint32_t>(id)).ToString().Utf8Value();
    Napi::Value c = constants.Get(static_cast<uint32_t>(id));
    std::vector<float> data;
    if (v.lifetime == Lifetime::kConstant) data = Copy<float>(c, "constant data");
    spec.values.push_back(std::move(v));
    spec.constants.push_back(std::move(data));
  }
  if (at != dims.size()) RangeFail("program spec: ranks do not match dims");
  spec.inputs = Copy<int32_t>(o.Get("inputs"), "inputs");
  spec.outputs = Copy<int32_t>(o.Get("outputs"), "outputs");
  Napi::Array keyframe = ArrayField(o, "keyframe");
  for (uint32_t i = 0; i < keyframe.Length(); ++i) spec.entries[kKeyframeEntry].push_back(ReadStep(keyframe.Get(i)));
  Napi::Value frame = o.Get("frame");
  if (!Absent(frame)) {
    spec.has_frame_entry = true;
    Napi::Array steps = ArrayField(o, "frame");
    for (uint32_t i = 0; i < steps.Length(); ++i) spec.entries[kFrameEntry].push_back(ReadStep(steps.Get(i)));
  }
  return spec;
}

Napi::Value CompileEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto handle = std::make_unique<ProgramHandle>();
  handle->program = std::make_unique<NativeProgram>(ReadSpec(info[0]));
  auto external = Napi::External<ProgramHandle>::New(env, handle.release(), FreeHandle);
  external.TypeTag(&kProgramTag);
  return external;
}

int EntryArg(const Napi::Value& v, const NativeProgram& p) {
  const int entry = IntArg(v, "entry");
  if (!p.HasEntry(entry)) RangeFail("entry " + std::to_string(entry) + " is not an entry of this program (0: keyframe, 1: frame)");
  return entry;
}

// Runs an entry on a worker thread; clears `busy` (and frees a program disposed meanwhile) when
// it settles, on the JavaScript thread.
class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, ProgramHandle& h, Napi::Value program, int entry)
      : Napi::AsyncWorker(env, "programRun"), deferred_(Napi::Promise::Deferred::New(env)), handle_(h), entry_(entry) {
    program_ = Napi::Persistent(program);
    const NativeProgram& p = *h.program;
    Napi::Array outputs = Napi::Array::New(env, p.Outputs());
    for (size_t i = 0; i < p.Outputs(); ++i) {
      Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(p.OutputSize(i)));
      outputs.Set(static_cast<uint32_t>(i), out);
      out_data_.push_back(out.Data());
    }
    Napi::Int32Array active = Napi::Int32Array::New(env, p.Steps(entry));
    Napi::Float64Array ms = Napi::Float64Array::New(env, p.Steps(entry));
    active_ = active.Data();
    ms_ = ms.Data();
    Napi::Object result = Napi::Object::New(env);
    result.Set("outputs", outputs);
    result.Set("active", active);
    result.Set("ms", ms);
    result_ = Napi::Persistent(result);
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      handle_.program->Run(entry_, active_, ms_, out_data_.data());
    } catch (const std::exception& e) {
      SetError(std::string("programRun: ") + e.what());
    } catch (...) {
      SetError("programRun: unknown native error");
    }
  }
  void OnOK() override {
    Settle();
    deferred_.Resolve(result_.Value());
  }
  void OnError(const Napi::Error& error) override {
    Settle();
    deferred_.Reject(error.Value());
  }

 private:
  void Settle() {
    handle_.busy = false;
    if (handle_.disposed) handle_.program.reset();
  }

  Napi::Promise::Deferred deferred_;
  ProgramHandle& handle_;
  int entry_;
  Napi::Reference<Napi::Value> program_;
  Napi::ObjectReference result_;
  std::vector<float*> out_data_;
  int32_t* active_ = nullptr;
  double* ms_ = nullptr;
};

Napi::Value RunEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProgramHandle& h = HandleArg(info[0]);
  NativeProgram& p = Usable(h, "programRun");
  const int entry = EntryArg(info[1], p);
  if (!info[2].IsArray()) TypeFail("programRun: inputs must be an array of Float32Arrays");
  Napi::Array inputs = info[2].As<Napi::Array>();
  if (inputs.Length() != p.Inputs()) RangeFail("programRun: expected " + std::to_string(p.Inputs()) + " inputs");
  std::vector<F32Span> in_spans;
  for (uint32_t i = 0; i < inputs.Length(); ++i) {
    const F32Span s = F32(inputs.Get(i), "input");
    ExpectLength(s.length, p.InputSize(i), "input");
    in_spans.push_back(s);
  }
  // Every argument accepted: copy the inputs in; nothing reads the caller's arrays afterwards.
  for (size_t i = 0; i < in_spans.size(); ++i) {
    if (in_spans[i].length > 0) std::memcpy(p.InputData(i), in_spans[i].data, in_spans[i].length * sizeof(float));
  }
  auto* worker = new RunWorker(env, h, info[0], entry);
  Napi::Promise promise = worker->Promise();
  h.busy = true;
  worker->Queue();
  return promise;
}

Napi::Value UpdateMaskEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProgramHandle& h = HandleArg(info[0]);
  // While a run is in flight its masks are being rewritten: there is no last run's mask to give.
  if (h.busy && !h.disposed) return env.Null();
  NativeProgram& p = Usable(h, "programUpdateMask");
  const int entry = IntArg(info[1], "entry");
  const int64_t index = IntegerArg(info[2], "step", 0, kMaxExtent);
  std::vector<uint8_t> mask;
  if (!p.UpdateMask(entry, static_cast<size_t>(index), mask)) return env.Null();
  Napi::Uint8Array out = Napi::Uint8Array::New(env, mask.size());
  if (!mask.empty()) std::memcpy(out.Data(), mask.data(), mask.size());
  return out;
}

Napi::Value InfoEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ProgramHandle& h = HandleArg(info[0]);
  if (h.disposed || !h.program) TypeFail("programInfo: the program was disposed");
  Napi::Object result = Napi::Object::New(env);
  result.Set("stateBytes", static_cast<double>(h.program->StateBytes()));
  result.Set("frameBytes", static_cast<double>(h.program->FrameBytes()));
  return result;
}

Napi::Value DisposeEntry(const Napi::CallbackInfo& info) {
  ProgramHandle& h = HandleArg(info[0]);
  h.disposed = true;
  if (!h.busy) h.program.reset();
  return info.Env().Undefined();
}

}  // namespace

void RegisterProgramEntries(Napi::Env env, Napi::Object exports) {
  exports.Set("programCompile", Napi::Function::New(env, Guarded<CompileEntry>, "programCompile"));
  exports.Set("programRun", Napi::Function::New(env, Guarded<RunEntry>, "programRun"));
  exports.Set("programUpdateMask", Napi::Function::New(env, Guarded<UpdateMaskEntry>, "programUpdateMask"));
  exports.Set("programInfo", Napi::Function::New(env, Guarded<InfoEntry>, "programInfo"));
  exports.Set("programDispose", Napi::Function::New(env, Guarded<DisposeEntry>, "programDispose"));
}

}  // namespace md
