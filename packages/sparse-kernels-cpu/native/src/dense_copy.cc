// Data-movement kernels: Concat (row copies) and Pad (a gather through per-axis index tables).
#include <napi.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "async_kernel.h"
#include "common_args.h"
#include "dense_entry_points.h"
#include "thread_pool.h"

namespace md {

// concat(inputs: Float32Array[], out, outer, chunks: Int32Array)
Napi::Value ConcatEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "concat: inputs must be an array of Float32Arrays");
  Napi::Array list = info[0].As<Napi::Array>();
  auto out = F32(info[1], "out");
  const int64_t outer = IntArg(info[2], "outer");
  auto chunks_view = I32(info[3], "chunks");
  if (outer < 0 || chunks_view.length != list.Length()) throw Napi::RangeError::New(env, "concat: one chunk size per input and outer >= 0 are required");
  std::vector<const float*> inputs;
  std::vector<int64_t> chunks;
  std::vector<Napi::Value> keep{info[1]};
  int64_t row = 0;
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value v = list.Get(i);
    auto view = F32(v, "concat input");
    const int64_t chunk = chunks_view.data[i];
    if (chunk < 0) throw Napi::RangeError::New(env, "concat: chunk sizes must be >= 0");
    ExpectLength(env, view.length, outer * chunk, "concat input");
    inputs.push_back(view.data);
    chunks.push_back(chunk);
    keep.push_back(v);
    row += chunk;
  }
  ExpectLength(env, out.length, outer * row, "out");
  return AsyncKernel::Start(env, "concat", std::move(keep), [=] {
    const int64_t grain = std::max<int64_t>(1, (16 * 1024) / std::max<int64_t>(row, 1));
    parallel_for(0, outer, grain, [&](int64_t o0, int64_t o1) {
      for (int64_t o = o0; o < o1; ++o) {
        float* dst = out.data + o * row;
        for (size_t i = 0; i < inputs.size(); ++i) {
          std::memcpy(dst, inputs[i] + o * chunks[i], sizeof(float) * chunks[i]);
          dst += chunks[i];
        }
      }
    });
  }, nullptr, RunInline(outer * row));
}

// pad(x, out, outShape, inStrides, maps, value): maps concatenates, per axis, output index ->
// input index (or -1 for the constant value).
Napi::Value PadEntry(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto x = F32(info[0], "x");
  auto out = F32(info[1], "out");
  auto shape_view = I32(info[2], "outShape");
  auto strides_view = I32(info[3], "inStrides");
  auto maps_view = I32(info[4], "maps");
  const float value = FloatArg(info[5], "value");
  const int64_t rank = static_cast<int64_t>(shape_view.length);
  if (rank < 1 || strides_view.length != shape_view.length) throw Napi::RangeError::New(env, "pad: outShape and inStrides must have the same rank >= 1");
  std::vector<int64_t> shape(shape_view.data, shape_view.data + rank);
  std::vector<int64_t> strides(strides_view.data, strides_view.data + rank);
  std::vector<int64_t> map_start(static_cast<size_t>(rank));
  int64_t size = 1, total = 0, max_offset = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (shape[d] < 0 || strides[d] < 0) throw Napi::RangeError::New(env, "pad: sizes and strides must be >= 0");
    map_start[d] = total;
    int64_t max_index = 0;
    for (int64_t i = 0; i < shape[d] && total + i < static_cast<int64_t>(maps_view.length); ++i) max_index = std::max<int64_t>(max_index, maps_view.data[total + i]);
    max_offset += max_index * strides[d];
    total += shape[d];
    size *= shape[d];
  }
  ExpectLength(env, maps_view.length, total, "maps");
  ExpectLength(env, out.length, size, "out");
  if (size > 0 && max_offset >= static_cast<int64_t>(x.length)) throw Napi::RangeError::New(env, "pad: the index tables reach past the end of x");
  std::vector<int32_t> maps(maps_view.data, maps_view.data + maps_view.length);
  return AsyncKernel::Start(env, "pad", {info[0], info[1]}, [=] {
    const int64_t last = rank - 1;
    const int64_t row = shape[last];
    const int32_t* last_map = maps.data() + map_start[last];
    const int64_t rows = row > 0 ? size / row : 0;
    parallel_for(0, rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(row, 1)), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        // Outer axes decide whether the whole row is padding or which input row it reads.
        int64_t base = 0;
        bool outside = false;
        for (int64_t d = last - 1, rest = r; d >= 0; --d) {
          const int64_t i = rest % shape[d];
          rest /= shape[d];
          const int32_t src = maps[map_start[d] + i];
          if (src < 0) {
            outside = true;
            break;
          }
          base += src * strides[d];
        }
        float* o = out.data + r * row;
        if (outside) {
          std::fill(o, o + row, value);
          continue;
        }
        const int64_t step = strides[last];
        for (int64_t i = 0; i < row; ++i) {
          const int32_t src = last_map[i];
          o[i] = src < 0 ? value : x.data[base + src * step];
        }
      }
    });
  }, nullptr, RunInline(size));
}

}  // namespace md
