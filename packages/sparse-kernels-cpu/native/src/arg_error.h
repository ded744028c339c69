// Arguments a kernel refuses, as plain C++ exceptions.
//
// The checks that guard every kernel (dense_checks.cc, delta_checks.cc) throw ArgError; the N-API
// entries turn it into a JavaScript TypeError or RangeError with the same message, and the fuzz
// harnesses (native/fuzz) catch it as "input refused". Keeping the checks free of N-API is what
// lets the harnesses run exactly the code the addon runs.
#pragma once

#include <stdexcept>
#include <string>

namespace md {

class ArgError : public std::invalid_argument {
 public:
  // kType: a value of the wrong kind (a detached buffer, an unknown code); kRange: a size,
  // geometry or index outside what the kernel accepts.
  enum class Kind { kType, kRange };

  ArgError(Kind kind, const std::string& message) : std::invalid_argument(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

[[noreturn]] inline void RangeFail(const std::string& message) { throw ArgError(ArgError::Kind::kRange, message); }
[[noreturn]] inline void TypeFail(const std::string& message) { throw ArgError(ArgError::Kind::kType, message); }

}  // namespace md
