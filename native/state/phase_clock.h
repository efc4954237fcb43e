// STATE_TRIE_PROFILE=1: process CPU time (all threads) of each phase of a state-root update, one line on
// stderr per root, to see where a root's time goes (perf is not available everywhere the bench runs).
#pragma once
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace native {
namespace state {

class PhaseClock {
 public:
  PhaseClock() : on_(enabled()) { last_ = on_ ? now_ms() : 0; }
  // Closes the phase that started at the previous mark (or construction) and names it.
  void mark(const char* phase) {
    if (!on_ || count_ == kMaxPhases) return;
    double t = now_ms();
    names_[count_] = phase;
    ms_[count_++] = t - last_;
    last_ = t;
  }
  void report(const char* what) const {
    if (!on_) return;
    std::fprintf(stderr, "[state-trie profile] %s:", what);
    for (int i = 0; i < count_; ++i) std::fprintf(stderr, " %s %.2f ms", names_[i], ms_[i]);
    std::fprintf(stderr, "\n");
  }

 private:
  static constexpr int kMaxPhases = 12;
  static bool enabled() {
    static const bool on = [] {
      const char* v = std::getenv("STATE_TRIE_PROFILE");
      return v != nullptr && v[0] == '1';
    }();
    return on;
  }
  static double now_ms() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
  }
  bool on_;
  double last_;
  int count_ = 0;
  const char* names_[kMaxPhases];
  double ms_[kMaxPhases];
};

}  // namespace state
}  // namespace native
