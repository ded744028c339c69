// Elementwise Add/Sub/Mul/Div/Max/Min with numpy broadcasting of any rank up to kMaxRank, as the
// reference computes them (in double, rounded once; Max/Min propagate NaN as Math.max does).
#pragma once

#include "hd.h"

namespace mdcuda {

constexpr int kMaxRank = 8;

/** Binary op codes (case files and, later, the addon). */
enum class BinaryOp : int { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3, kMax = 4, kMin = 5 };

/** Output dims and each operand's strides over them (0 along a broadcast axis). */
struct BroadcastGeometry {
  int rank;
  int64_t out_dims[kMaxRank];
  int64_t a_strides[kMaxRank];
  int64_t b_strides[kMaxRank];
};

/** The offsets into a and b of output element `i`. */
MD_HD void BroadcastOffsets(const BroadcastGeometry& g, int64_t i, int64_t* a, int64_t* b) {
  int64_t oa = 0, ob = 0;
  for (int d = g.rank - 1; d >= 0; d--) {
    const int64_t size = g.out_dims[d];
    const int64_t k = i % size;
    i /= size;
    oa += k * g.a_strides[d];
    ob += k * g.b_strides[d];
  }
  *a = oa;
  *b = ob;
}

MD_HD float CombineBinary(BinaryOp op, float x, float y) {
  const double a = x, b = y;
  switch (op) {
    case BinaryOp::kAdd:
      return static_cast<float>(a + b);
    case BinaryOp::kSub:
      return static_cast<float>(a - b);
    case BinaryOp::kMul:
      return static_cast<float>(a * b);
    case BinaryOp::kDiv:
      return static_cast<float>(a / b);
    case BinaryOp::kMax:
      return (a != a || b != b) ? static_cast<float>(a + b) : (a > b || (a == b && b == 0 && !(1 / a < 0)) ? x : y);
    case BinaryOp::kMin:
      return (a != a || b != b) ? static_cast<float>(a + b) : (a < b || (a == b && a == 0 && 1 / a < 0) ? x : y);
  }
  return 0.0f;
}

}  // namespace mdcuda
