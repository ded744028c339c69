// Sizes derived from caller-supplied geometry, computed without signed overflow.
//
// Geometry arrives as 32-bit integers, but products of four of them (batch * H * W * C) or sums
// of strided offsets do not fit 64 bits in general; a wrapped product could then equal a small
// array's length and pass a size check. Every such product in the checks goes through these.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "arg_error.h"

namespace md {

inline int64_t CheckedMul(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) RangeFail(std::string(what) + " is too large (it overflows 64-bit arithmetic)");
  return r;
}

inline int64_t CheckedAdd(int64_t a, int64_t b, const char* what) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) RangeFail(std::string(what) + " is too large (it overflows 64-bit arithmetic)");
  return r;
}

inline int64_t CheckedProduct(std::initializer_list<int64_t> values, const char* what) {
  int64_t r = 1;
  for (int64_t v : values) r = CheckedMul(r, v, what);
  return r;
}

}  // namespace md

namespace md {

// a * b for work estimates (which only choose inline vs worker thread): saturates instead of
// overflowing, for operands >= 0.
inline int64_t SaturatingMul(int64_t a, int64_t b) {
  int64_t r;
  return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

}  // namespace md
