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

namespace md {
namespace {

thread_local bool inside_parallel_for = false;

// How long a thread keeps polling before it sleeps on a condition variable: an idle worker
// waiting for the next parallel_for (kernels come in quick succession, a few microseconds apart
// inside a compiled program, and waking a sleeping thread costs tens of microseconds), and the
// caller waiting for a worker that is still computing a chunk.
constexpr auto kSpin = std::chrono::microseconds(100);

// While polling, a thread yields its CPU every this many polls (a few microseconds): when the
// caller and a worker share one CPU (a loaded machine, or a process pinned to fewer CPUs than it
// has threads), the thread that polls must let the other one run instead of burning the slice.
constexpr int kPollsPerYield = 256;

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Polls `ready` for up to kSpin, yielding now and then; true when it became true.
template <typename Ready>
bool SpinUntil(const Ready& ready) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (int i = 1;; ++i) {
    if (ready()) return true;
    CpuRelax();
    if ((i & 63) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      if (i % kPollsPerYield == 0) std::this_thread::yield();
    }
  }
}

// One parallel_for. Workers *join* it before taking chunks; the caller, once it has taken the
// last chunk itself, *closes* it and waits only for the workers that joined. A worker that had
// not started by then (descheduled, or still waking up) never touches the job, so the caller
// never waits for a thread that is not running.
struct Job {
  static constexpr int kClosed = 1 << 30;

  const std::function<void(int64_t, int64_t)>* body = nullptr;
  int64_t end = 0;
  int64_t chunk = 1;
  std::atomic<int64_t> next{0};
  std::atomic<int> joined{0};  // workers inside drain(), plus kClosed once the caller closed it
  std::exception_ptr error;
  std::mutex error_mutex;

  // Takes chunks until none are left; shared by the workers and the caller.
  void drain() {
    for (;;) {
      const int64_t start = next.fetch_add(chunk, std::memory_order_relaxed);
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

  // A worker's way in: false once the caller closed the job (then it must not touch it).
  bool join() {
    int state = joined.load(std::memory_order_acquire);
    while (!(state & kClosed)) {
      if (joined.compare_exchange_weak(state, state + 1, std::memory_order_acq_rel)) return true;
    }
    return false;
  }
  // True when this was the last joined worker of a closed job (the caller may be waiting).
  bool leave() { return joined.fetch_sub(1, std::memory_order_acq_rel) == (kClosed | 1); }
  // The caller's close; the number of workers still inside.
  int close() { return joined.fetch_or(kClosed, std::memory_order_acq_rel) & ~kClosed; }
  bool all_left() const { return (joined.load(std::memory_order_acquire) & ~kClosed) == 0; }
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
    job->end = end;
    job->next = begin;
    // About four chunks per thread balances uneven chunks (active tiles differ in cost).
    job->chunk = std::max(grain, (n + threads_ * 4 - 1) / (threads_ * 4));
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      generation_.fetch_add(1, std::memory_order_release);
      wake = sleepers_ > 0;
    }
    // Workers still polling see the new generation without a system call.
    if (wake) wake_.notify_all();
    inside_parallel_for = true;
    job->drain();
    inside_parallel_for = false;
    if (job->close() > 0 && !SpinUntil([&] { return job->all_left(); })) {
      std::unique_lock<std::mutex> lock(mutex_);
      ++waiting_;
      done_.wait(lock, [&] { return job->all_left(); });
      --waiting_;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (job_ == job) job_.reset();
    }
    if (job->error) std::rethrow_exception(job->error);
  }

 private:
  void work() {
    uint64_t seen = generation_.load();
    for (;;) {
      std::shared_ptr<Job> job;
      SpinUntil([&] { return stopping_flag_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (!stopping_ && generation_.load() == seen) {
          ++sleepers_;
          wake_.wait(lock, [&] { return stopping_ || generation_.load() != seen; });
          --sleepers_;
        }
        if (stopping_) return;
        seen = generation_.load();
        job = job_;
      }
      if (!job || !job->join()) continue;
      inside_parallel_for = true;
      job->drain();
      inside_parallel_for = false;
      if (job->leave()) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (waiting_ > 0) done_.notify_all();
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
  std::mutex mutex_;      // guards job_, stopping_, sleepers_, waiting_; generation_ changes under it
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  std::shared_ptr<Job> job_;
  std::atomic<uint64_t> generation_{0};  // written under mutex_, polled without it while spinning
  bool stopping_ = false;
  std::atomic<bool> stopping_flag_{false};  // stopping_, readable while spinning
  int sleepers_ = 0;                        // workers asleep on wake_
  int waiting_ = 0;                         // the caller, asleep on done_
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
