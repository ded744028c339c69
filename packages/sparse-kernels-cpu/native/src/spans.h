// A typed array's memory as native code sees it: a pointer and an element count.
//
// The N-API layer (napi_args.h) makes spans from typed arrays; the fuzz harnesses make them from
// their own buffers. Checks compare lengths against geometry before any kernel reads a span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "arg_error.h"

namespace md {

template <typename T>
struct Span {
  T* data = nullptr;
  size_t length = 0;
};

using F32Span = Span<float>;
using F64Span = Span<double>;
using U8Span = Span<uint8_t>;
using I32Span = Span<int32_t>;

// Throws unless `length` equals `expected`, naming the argument.
inline void ExpectLength(size_t length, int64_t expected, const char* what) {
  if (expected < 0 || static_cast<uint64_t>(length) != static_cast<uint64_t>(expected)) {
    RangeFail(std::string(what) + " has " + std::to_string(length) + " values; expected " + std::to_string(expected));
  }
}

}  // namespace md
