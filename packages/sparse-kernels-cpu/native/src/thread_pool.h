// A persistent pool of worker threads for the kernels' outer loops.
//
// Kernels call parallel_for from a libuv worker thread (every kernel runs off the event loop);
// the calling thread takes part in the work, so `num_threads()` threads compute in total.
// One parallel_for runs at a time: concurrent callers (two sessions) queue, and a nested call from
// inside a parallel_for body runs serially on the calling thread instead of deadlocking.
#pragma once

#include <cstdint>
#include <functional>

namespace md {

// Sets the total number of computing threads (>= 1), including the caller.
void set_num_threads(int threads);

// The total number of computing threads; defaults to std::thread::hardware_concurrency().
int num_threads();

// Calls body(chunk_begin, chunk_end) over [begin, end) split into contiguous chunks of at least
// `grain` iterations, spread over the pool. Returns when every chunk is done. An exception thrown
// by a body is rethrown here (the first one) after all chunks have finished.
void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& body);

// While alive, parallel_for calls made by this thread run serially on it. Kernels small enough to
// run inline on the JS thread use it: that thread must never wait for the pool, which a kernel on
// a worker thread may be holding.
class SerialScope {
 public:
  SerialScope();
  ~SerialScope();
  SerialScope(const SerialScope&) = delete;
  SerialScope& operator=(const SerialScope&) = delete;

 private:
  bool previous_;
};

}  // namespace md
