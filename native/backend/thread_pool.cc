#include "thread_pool.h"

#include <pthread.h>
#include <time.h>

namespace native {

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

double ThreadPool::workers_cpu_ms() {
  double ms = 0;
  for (std::thread& t : workers_) {
    clockid_t clock;
    timespec ts;
    if (pthread_getcpuclockid(t.native_handle(), &clock) == 0 && clock_gettime(clock, &ts) == 0)
      ms += (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
  }
  return ms;
}

void ThreadPool::run_items() {
  for (;;) {
    size_t i;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (job_ == nullptr || next_ >= job_size_) return;
      i = next_++;
    }
    (*job_)(i);
    std::lock_guard<std::mutex> lock(mu_);
    if (++finished_ == job_size_) done_.notify_all();
  }
}

void ThreadPool::worker_loop() {
  unsigned seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    run_items();
  }
}

void ThreadPool::parallel_for(size_t n, const std::function<void(size_t)>& fn) {
  if (n == 0) return;
  std::lock_guard<std::mutex> job_lock(job_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    job_size_ = n;
    next_ = 0;
    finished_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  run_items();
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return finished_ == job_size_; });
  job_ = nullptr;
}

}  // namespace native
