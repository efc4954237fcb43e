// A fixed pool of worker threads for data-parallel loops (the CPU backend's "one EVM per thread").
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace native {

class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return (unsigned)workers_.size() + 1; }
  // CPU time its worker threads have used so far (not the callers'): what a pool's work costs, apart from
  // whatever else the process runs at the same time.
  double workers_cpu_ms();

  // Runs fn(i) for i in [0, n) across the pool and the calling thread; returns when all are done.
  // Items are handed out one at a time from a shared counter, so uneven items balance themselves.
  void parallel_for(size_t n, const std::function<void(size_t)>& fn);

 private:
  void worker_loop();
  void run_items();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::mutex job_mu_;  // one parallel_for at a time
  std::condition_variable wake_, done_;
  const std::function<void(size_t)>* job_ = nullptr;
  size_t job_size_ = 0;
  size_t next_ = 0;
  size_t finished_ = 0;
  unsigned generation_ = 0;
  bool stop_ = false;
};

}  // namespace native
