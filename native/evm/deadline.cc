// The watchdog behind DeadlineArm: a map of armed deadlines and one thread sleeping until the earliest.
#include "deadline.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace native {
namespace evm {

namespace {

using Clock = std::chrono::steady_clock;

class Watchdog {
 public:
  uint64_t arm(uint8_t* flag, Clock::time_point at) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    uint64_t id = next_id_++;
    armed_.emplace(std::make_pair(at, id), flag);
    wake_.notify_one();
    return id;
  }

  void disarm(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = armed_.begin(); it != armed_.end(); ++it) {
      if (it->first.second == id) {
        armed_.erase(it);
        return;
      }
    }
  }

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (armed_.empty()) {
        wake_.wait(lock);
        continue;
      }
      auto first = armed_.begin();
      if (Clock::now() < first->first.first) {
        wake_.wait_until(lock, first->first.first);
        continue;
      }
      __atomic_store_n(first->second, (uint8_t)1, __ATOMIC_RELAXED);
      armed_.erase(first);
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  // (deadline, id) -> flag; few entries (RPC calls in flight), so a linear disarm is fine.
  std::map<std::pair<Clock::time_point, uint64_t>, uint8_t*> armed_;
  uint64_t next_id_ = 1;
  std::thread thread_;
};

// Never destroyed: the thread may still wait at process exit.
Watchdog& watchdog() {
  static Watchdog* w = new Watchdog();
  return *w;
}

}  // namespace

DeadlineArm::DeadlineArm(uint8_t* flag, Clock::time_point at) : id_(watchdog().arm(flag, at)) {}

DeadlineArm::~DeadlineArm() { watchdog().disarm(id_); }

}  // namespace evm
}  // namespace native
