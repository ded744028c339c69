// Linear Add/Sub of deltas (same shape): the output is active where either operand is, with an
// inactive (or constant) operand counting as 0; a constant operand cancels in a difference, so
// with one varying operand the delta passes through, negated for `constant - x`.
#pragma once

#include "hd.h"

namespace mdcuda {

/** out = sa * a + sb * b over one pixel's channels, each term present only when its operand is active there. */
MD_HD void LinearSumPixel(const float* a, bool a_on, float sa, const float* b, bool b_on, float sb, float* out, int channels) {
  for (int c = 0; c < channels; c++) {
    float v = a_on ? sa * a[c] : 0.0f;
    if (b_on) v += sb * b[c];
    out[c] = v;
  }
}

}  // namespace mdcuda
