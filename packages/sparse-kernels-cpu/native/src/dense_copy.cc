// Data-movement kernels: Concat (row copies) and Pad (a gather through per-axis index tables).
#include <algorithm>
#include <cstring>
#include <vector>

#include "dense_ops.h"
#include "thread_pool.h"

namespace md {

void RunConcat(const ConcatArgs& a) {
  if (a.out.length == 0) return;  // (every chunk empty: `outer` rows of nothing)
  int64_t row = 0;
  for (int64_t chunk : a.chunks) row += chunk;
  const int64_t grain = std::max<int64_t>(1, (16 * 1024) / std::max<int64_t>(row, 1));
  parallel_for(0, a.outer, grain, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      float* dst = a.out.data + o * row;
      for (size_t i = 0; i < a.inputs.size(); ++i) {
        const int64_t chunk = a.chunks[i];
        if (chunk > 0) std::memcpy(dst, a.inputs[i].data + o * chunk, sizeof(float) * chunk);
        dst += chunk;
      }
    }
  });
}

void RunPad(const PadArgs& a) {
  if (a.out.length == 0) return;
  const int64_t rank = static_cast<int64_t>(a.shape.size());
  const std::vector<int64_t>& shape = a.shape;
  const std::vector<int64_t>& strides = a.strides;
  const std::vector<int32_t>& maps = a.maps;
  std::vector<int64_t> map_start(static_cast<size_t>(rank));
  int64_t size = 1;
  for (int64_t d = 0, total = 0; d < rank; ++d) {
    map_start[d] = total;
    total += shape[d];
    size *= shape[d];
  }
  const int64_t last = rank - 1;
  const int64_t row = shape[last];
  const int32_t* last_map = maps.data() + map_start[last];
  const int64_t rows = row > 0 ? size / row : 0;
  const float value = a.value;
  const float* x = a.x.data;
  float* out = a.out.data;
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
      float* o = out + r * row;
      if (outside) {
        std::fill(o, o + row, value);
        continue;
      }
      const int64_t step = strides[last];
      for (int64_t i = 0; i < row; ++i) {
        const int32_t src = last_map[i];
        o[i] = src < 0 ? value : x[base + src * step];
      }
    }
  });
}

}  // namespace md
