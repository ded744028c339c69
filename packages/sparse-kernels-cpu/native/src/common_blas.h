// OpenBLAS access for kernels that run GEMMs inside md::parallel_for.
//
// Each chunk of a parallel_for computes its own block with a single-threaded sgemm (the block's
// im2col rows stay in cache between being written and being multiplied). OpenBLAS's own threads
// must then stay out of the way: BlasSingleThread switches OpenBLAS to one thread for its
// lifetime; nested or concurrent guards are counted, and the last one restores md::num_threads().
#pragma once

#include <cblas.h>

#include <mutex>

#include "thread_pool.h"

extern "C" void openblas_set_num_threads(int num_threads);

namespace md {

class BlasSingleThread {
 public:
  BlasSingleThread() {
    std::lock_guard<std::mutex> lock(mutex());
    if (depth()++ == 0) openblas_set_num_threads(1);
  }
  ~BlasSingleThread() {
    std::lock_guard<std::mutex> lock(mutex());
    if (--depth() == 0) openblas_set_num_threads(num_threads());
  }
  BlasSingleThread(const BlasSingleThread&) = delete;
  BlasSingleThread& operator=(const BlasSingleThread&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& depth() {
    static int d = 0;
    return d;
  }
};

}  // namespace md
