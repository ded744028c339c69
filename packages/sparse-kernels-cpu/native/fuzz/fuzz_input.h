// What every harness builds from its fuzz input: arrays each in a heap block of exactly its
// length (AddressSanitizer then reports the first element read or written past either end),
// small dimensions with occasional wild ones, and values with occasional NaN and infinities.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "arg_error.h"
#include "delta_buffer.h"
#include "spans.h"
#include "thread_pool.h"

namespace md::fuzz {

// Two computing threads, as the tests use: chunked parallel_for paths run, with their chunk
// boundaries.
inline void InitOnce() {
  static const bool done = [] {
    set_num_threads(2);
    return true;
  }();
  (void)done;
}

class Input {
 public:
  Input(const uint8_t* data, size_t size) : p_(data, size), state_(p_.ConsumeIntegral<uint32_t>() | 1u), specials_(p_.ConsumeBool()) {}

  FuzzedDataProvider& p() { return p_; }
  bool Bool() { return p_.ConsumeBool(); }
  template <typename T>
  T In(T lo, T hi) {
    return p_.ConsumeIntegralInRange<T>(lo, hi);
  }
  // One chance in `n` (the fuzzer can make it any outcome it likes; random bytes make it rare).
  bool OneIn(int n) { return p_.ConsumeIntegralInRange<int>(0, n - 1) == 0; }

  // A small dimension from [lo, hi], now and then a wild one (0, huge, negative).
  int64_t Dim(int64_t lo, int64_t hi) {
    if (!OneIn(16)) return In<int64_t>(lo, hi);
    static const int64_t kWild[] = {0, -1, 1, 2, 255, 256, 65536, (1 << 30), INT32_MAX, -INT32_MAX - 1};
    return kWild[In<size_t>(0, sizeof(kWild) / sizeof(kWild[0]) - 1)];
  }
  // `correct`, or now and then a value off by a little or a lot.
  int64_t Maybe(int64_t correct) {
    if (!OneIn(12)) return correct;
    switch (In<int>(0, 3)) {
      case 0:
        return correct == INT64_MAX ? correct : correct + 1;
      case 1:
        return correct == INT64_MIN ? correct : correct - 1;
      case 2:
        return 0;
      default:
        return Dim(0, 8);
    }
  }
  // The length an array should have, or (rarely) another one; never more than kMaxArray.
  size_t Length(int64_t correct) {
    const int64_t n = Maybe(correct);
    if (n < 0 || n > kMaxArray) return static_cast<size_t>(In<int64_t>(0, 16));
    return static_cast<size_t>(n);
  }

  // A new array of `n` elements owned by this input.
  template <typename T>
  Span<T> Array(size_t n) {
    T* block = new T[n]();
    owned_.emplace_back(block, [](void* q) { delete[] static_cast<T*>(q); });
    return {block, n};
  }
  F32Span Floats(size_t n) {
    F32Span s = Array<float>(n);
    for (size_t i = 0; i < n; ++i) s.data[i] = NextFloat();
    return s;
  }
  F64Span Doubles(size_t n) {
    F64Span s = Array<double>(n);
    for (size_t i = 0; i < n; ++i) s.data[i] = NextFloat();
    return s;
  }
  I32Span Ints(size_t n, int32_t lo, int32_t hi) {
    I32Span s = Array<int32_t>(n);
    for (size_t i = 0; i < n; ++i) s.data[i] = lo + static_cast<int32_t>(Next() % (static_cast<uint64_t>(hi) - lo + 1));
    return s;
  }
  uint32_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

  // A DeltaBuffer of `shape` whose arrays are sized for it (or, rarely, not), listing a fraction
  // of its pixels; sometimes corrupted the ways a careless caller could: a listed pixel outside
  // the shape, duplicates, a mask that disagrees with the list, a count beyond the pixels.
  DeltaView Delta(int64_t n, int64_t h, int64_t w, int64_t c) {
    DeltaView d;
    d.n = Maybe(n), d.h = Maybe(h), d.w = Maybe(w), d.c = Maybe(c);
    const bool sane = n >= 0 && h >= 0 && w >= 0 && c >= 0 && n <= kMaxArray && h <= kMaxArray && w <= kMaxArray && c <= kMaxArray &&
                      n * h * w <= kMaxArray && n * h * w * c <= kMaxArray;
    const int64_t pixels = sane ? n * h * w : 0;
    const F32Span values = Floats(Length(sane ? pixels * c : 0));
    const U8Span mask = Array<uint8_t>(Length(pixels));
    const I32Span active = Array<int32_t>(Length(pixels));
    d.values = values.data, d.values_length = values.length;
    d.mask = mask.data, d.mask_length = mask.length;
    d.active = active.data, d.active_length = active.length;
    const int64_t listable = std::min<int64_t>({pixels, static_cast<int64_t>(mask.length), static_cast<int64_t>(active.length)});
    const int pattern = In<int>(0, 3);  // none, a few, about half, all
    int64_t count = 0;
    for (int64_t p = 0; p < listable; ++p) {
      const bool on = pattern == 3 || (pattern == 2 && (Next() & 1)) || (pattern == 1 && Next() % 7 == 0);
      if (!on) continue;
      mask.data[p] = 1;
      active.data[count++] = static_cast<int32_t>(p);
    }
    // The list in a scrambled order: kernels may not assume it is sorted.
    for (int64_t i = count - 1; i > 0; --i) std::swap(active.data[i], active.data[Next() % (i + 1)]);
    d.count = count;
    if (OneIn(8) && active.length > 0) {
      switch (In<int>(0, 4)) {
        case 0:
          active.data[Next() % active.length] = static_cast<int32_t>(Dim(-2, pixels + 2));
          d.count = std::max<int64_t>(d.count, 1);
          break;
        case 1:
          if (count > 1) active.data[count - 1] = active.data[0];
          break;  // a duplicate
        case 2:
          if (mask.length > 0) mask.data[Next() % mask.length] ^= 1;
          break;  // mask disagrees
        case 3:
          d.count = Dim(-1, pixels + 2);
          break;
        default:
          if (mask.length > 0) mask.data[Next() % mask.length] = 7;
          break;  // not 0 or 1
      }
    }
    return d;
  }

  // Any array length the harnesses make stays below this (a few KiB), so a run stays fast.
  static constexpr int64_t kMaxArray = 4096;

 private:
  float NextFloat() {
    if (specials_ && Next() % 16 == 0) {
      static const float kSpecial[] = {std::numeric_limits<float>::quiet_NaN(),
                                       std::numeric_limits<float>::infinity(),
                                       -std::numeric_limits<float>::infinity(),
                                       3.0e38f,
                                       -3.0e38f,
                                       1e-45f,
                                       0.f,
                                       -0.f};
      return kSpecial[Next() % 8];
    }
    return static_cast<float>(static_cast<int32_t>(Next() % 4001) - 2000) / 1000.f;
  }

  FuzzedDataProvider p_;
  uint32_t state_;
  bool specials_;
  std::vector<std::shared_ptr<void>> owned_;
};

// Runs check then kernel, as the addon does; a refused input (ArgError) ends the case. Any other
// exception is a finding (the addon would turn it into a rejected promise, but the checks are
// supposed to refuse everything a kernel cannot handle).
template <typename Check, typename Run>
void CheckThenRun(Check check, Run run) {
  try {
    check();
  } catch (const ArgError&) {
    return;
  }
  run();
}

}  // namespace md::fuzz
