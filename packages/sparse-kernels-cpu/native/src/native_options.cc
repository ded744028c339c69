#include "native_options.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "arg_error.h"

namespace md {
namespace {

// A JavaScript number as JavaScript would print it (1000000, 2.5, NaN), for messages.
std::string FormatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

int CheckThreadCount(double value) {
  if (!std::isfinite(value) || value != std::floor(value) || value < 1 || value > kMaxThreads) {
    RangeFail("threads must be an integer from 1 to " + std::to_string(kMaxThreads) + ", got " + FormatNumber(value));
  }
  return static_cast<int>(value);
}

int64_t CheckInlineWork(double value) {
  if (!std::isfinite(value) || value != std::floor(value) || value < 0 || value > static_cast<double>(kMaxInlineWork)) {
    RangeFail("setInlineWork expects an integer from 0 to 2^53 - 1, got " + FormatNumber(value));
  }
  return static_cast<int64_t>(value);
}

namespace {

bool Unset(const char* v) { return v == nullptr || *v == '\0'; }

}  // namespace

ConvOptions ParseConvOptions(const char* gemm, const char* implicit, const char* block_floats) {
  ConvOptions o;
  if (!Unset(gemm)) {
    if (std::strcmp(gemm, "blas") == 0) {
      o.force_blas = true;
    } else if (std::strcmp(gemm, "auto") != 0) {
      RangeFail(std::string("MD_CONV_GEMM=") + gemm +
                " is not accepted; use \"blas\" (im2col and a general GEMM for every convolution), \"auto\" or leave it unset");
    }
  }
  if (!Unset(implicit)) {
    if (std::strcmp(implicit, "0") == 0) {
      o.implicit = false;
    } else if (std::strcmp(implicit, "1") != 0) {
      RangeFail(std::string("MD_CONV_IMPLICIT=") + implicit +
                " is not accepted; use 0 (im2col + GEMM), 1 or leave it unset (implicit GEMM)");
    }
  }
  if (!Unset(block_floats)) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(block_floats, &end, 10);
    if (errno != 0 || end == block_floats || *end != '\0' || v < kMinBlockFloats || v > kMaxBlockFloats) {
      RangeFail(std::string("MD_CONV_BLOCK_FLOATS=") + block_floats + " is not accepted; use an integer from " +
                std::to_string(kMinBlockFloats) + " to " + std::to_string(kMaxBlockFloats) + " or leave it unset");
    }
    o.block_floats = v;
  }
  return o;
}

ConvOptions ConvOptionsFromEnv() {
  return ParseConvOptions(std::getenv("MD_CONV_GEMM"), std::getenv("MD_CONV_IMPLICIT"), std::getenv("MD_CONV_BLOCK_FLOATS"));
}

}  // namespace md
