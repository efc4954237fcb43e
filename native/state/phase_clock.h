// STATE_TRIE_PROFILE=1: process CPU time (all threads) of each phase of a state-root update, and in
// parentheses the calling thread's own CPU time, one line on stderr per root, to see where a root's time goes
// (perf is not available everywhere the bench runs). Process time well above the thread's in a serial phase
// is other threads' work (V8's concurrent GC and compilers) billed to the same interval.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace native {
namespace state {

class PhaseClock {
 public:
  PhaseClock() : on_(enabled()) {
    last_ = on_ ? now_ms(CLOCK_PROCESS_CPUTIME_ID) : 0;
    last_thread_ = on_ ? now_ms(CLOCK_THREAD_CPUTIME_ID) : 0;
  }
  // Closes the phase that started at the previous mark (or construction) and names it.
  void mark(const char* phase) {
    if (!on_ || count_ == kMaxPhases) return;
    double t = now_ms(CLOCK_PROCESS_CPUTIME_ID), tt = now_ms(CLOCK_THREAD_CPUTIME_ID);
    names_[count_] = phase;
    thread_ms_[count_] = tt - last_thread_;
    ms_[count_++] = t - last_;
    last_ = t;
    last_thread_ = tt;
  }
  void report(const char* what) const {
    if (!on_) return;
    std::fprintf(stderr, "[state-trie profile] %s:", what);
    for (int i = 0; i < count_; ++i) std::fprintf(stderr, " %s %.2f (%.2f) ms", names_[i], ms_[i], thread_ms_[i]);
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
  static double now_ms(clockid_t clock) {
    timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
  }
  bool on_;
  double last_, last_thread_;
  int count_ = 0;
  const char* names_[kMaxPhases];
  double ms_[kMaxPhases], thread_ms_[kMaxPhases];
};

}  // namespace state
}  // namespace native
