// Layout ops on dense tensors: the reshape family (Reshape, Flatten, Squeeze, Unsqueeze, Identity)
// is a copy of the same row-major values; Transpose permutes axes (rank <= kMaxRank).
#pragma once

#include "binary.h"
#include "hd.h"

namespace mdcuda {

/** Transpose: output axis d is input axis perm[d]; `in_strides` are the input's row-major strides. */
struct TransposeGeometry {
  int rank;
  int64_t out_dims[kMaxRank];
  int64_t in_strides_by_out_axis[kMaxRank];  // in_strides[perm[d]]
};

/** Input offset of output element `i`. */
MD_HD int64_t TransposeSource(const TransposeGeometry& g, int64_t i) {
  int64_t offset = 0;
  for (int d = g.rank - 1; d >= 0; d--) {
    offset += (i % g.out_dims[d]) * g.in_strides_by_out_axis[d];
    i /= g.out_dims[d];
  }
  return offset;
}

}  // namespace mdcuda
