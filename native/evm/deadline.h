// Deadlines for native EVM runs (RPC calls): one watchdog thread raises a run's cancel flag when its time is
// up; the interpreter polls the flag (kernels/evm/context.h, abort_requested) and unwinds. Sequencer
// batches have no deadline and no flag.
#pragma once
#include <chrono>
#include <cstdint>

namespace native {
namespace evm {

// Raises *flag (with a relaxed atomic store) at `at` unless disarmed first. The flag must outlive the arming.
class DeadlineArm {
 public:
  DeadlineArm(uint8_t* flag, std::chrono::steady_clock::time_point at);
  ~DeadlineArm();  // disarms: after it returns the watchdog no longer touches the flag
  DeadlineArm(const DeadlineArm&) = delete;
  DeadlineArm& operator=(const DeadlineArm&) = delete;

 private:
  uint64_t id_;
};

}  // namespace evm
}  // namespace native
