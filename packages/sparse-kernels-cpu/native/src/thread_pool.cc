#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

extern "C" void openblas_set_num_threads(int num_threads);

namespace md {
namespace {

thread_local bool inside_parallel_for = false;

// How long an idle thread keeps polling before it sleeps on a condition variable. Kernels come
// in quick succession (several per frame, a few microseconds of JavaScript between them); a
// sleeping thread needs a wake-up that can cost tens of microseconds, or a whole scheduler slice
// on a busy machine, and the last chunk of every parallel_for waits for the slowest thread.
constexpr auto kSpin = std::chrono::microseconds(100);

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Polls `ready` for up to kSpin; true when it became true.
template <typename Ready>
bool SpinUntil(const Ready& ready) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (int i = 0;; ++i) {
    if (ready()) return true;
    CpuRelax();
    if ((i & 63) == 63 && std::chrono::steady_clock::now() >= deadline) return false;
  }
}

struct Job {
  const std::function<void(int64_t, int64_t)>* body = nullptr;
  int64_t begin = 0;
  int64_t end = 0;
  int64_t chunk = 1;
  std::atomic<int64_t> next{0};
  std::atomic<int> pending_workers{0};
  std::exception_ptr error;
  std::mutex error_mutex;

  // Takes chunks until none are left; shared by the workers and the caller.
  void drain() {
    for (;;) {
      const int64_t start = next.fetch_add(chunk);
      if (start >= end) return;
      const int64_t stop = std::min(end, start + chunk);
      try {
        (*body)(start, stop);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  }
};

class Pool {
 public:
  Pool() { resize(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))); }
  ~Pool() { stop_workers(); }

  void resize(int threads) {
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    stop_workers();
    threads_ = std::max(1, threads);
    stopping_ = false;
    stopping_flag_ = false;
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { work(); });
    openblas_set_num_threads(threads_);
  }

  int threads() const { return threads_; }

  void run(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
    if (end <= begin) return;
    const int64_t n = end - begin;
    grain = std::max<int64_t>(1, grain);
    if (inside_parallel_for || threads_ == 1 || n <= grain) {
      body(begin, end);
      return;
    }
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    auto job = std::make_shared<Job>();
    job->body = &body;
    job->begin = begin;
    job->end = end;
    job->next = begin;
    // About four chunks per thread balances uneven chunks (active tiles differ in cost).
    job->chunk = std::max(grain, (n + threads_ * 4 - 1) / (threads_ * 4));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      job->pending_workers = static_cast<int>(workers_.size());
      ++generation_;
    }
    wake_.notify_all();
    inside_parallel_for = true;
    job->drain();
    inside_parallel_for = false;
    SpinUntil([&] { return job->pending_workers.load(std::memory_order_acquire) == 0; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return job->pending_workers.load() == 0; });
      job_.reset();
    }
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void work() {
    uint64_t seen = 0;
    for (;;) {
      std::shared_ptr<Job> job;
      SpinUntil([&] { return stopping_flag_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        job = job_;
      }
      if (!job) continue;
      inside_parallel_for = true;
      job->drain();
      inside_parallel_for = false;
      if (job->pending_workers.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_all();
      }
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      stopping_flag_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

  std::mutex run_mutex_;  // one parallel_for at a time
  std::mutex mutex_;      // guards job_, generation_, stopping_
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  std::shared_ptr<Job> job_;
  std::atomic<uint64_t> generation_{0};  // written under mutex_, polled without it while spinning
  bool stopping_ = false;
  std::atomic<bool> stopping_flag_{false};  // stopping_, readable while spinning
  int threads_ = 1;
};

Pool& pool() {
  // Never destroyed: joining threads during static destruction at process exit can hang.
  static Pool* instance = new Pool();
  return *instance;
}

}  // namespace

SerialScope::SerialScope() : previous_(inside_parallel_for) { inside_parallel_for = true; }
SerialScope::~SerialScope() { inside_parallel_for = previous_; }

void set_num_threads(int threads) { pool().resize(threads); }
int num_threads() { return pool().threads(); }
void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  pool().run(begin, end, grain, body);
}

}  // namespace md
