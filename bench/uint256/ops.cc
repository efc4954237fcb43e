// CPU nanoseconds per DIV/MOD, MULMOD and MUL of kernels/evm/uint256.h at the operand widths EVM programs
// divide with (AMM math: 120-200-bit products over 60-128-bit reserves), one JSON object on stdout. Built
// and run by ops.ts against this tree's header and, optionally, another revision's.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "evm/uint256.h"

using namespace kern::evm;

static double thread_cpu_ns() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t next64() {  // splitmix64: the same operands for every header
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
// A random value of exactly `bits` bits.
static u256 of_bits(int bits) {
  u256 r;
  for (int i = 0; i < 4; ++i) {
    int lo = 64 * i;
    uint64_t v = next64();
    if (bits <= lo) v = 0;
    else if (bits < lo + 64) v = (v >> (64 - (bits - lo))) | (1ULL << (bits - lo - 1));
    r.w[i] = v;
  }
  return r;
}

enum { N = 4096 };
static u256 A[N], B[N];

int main(int argc, char** argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 100;
  const int shapes[][2] = {{60, 40}, {120, 60}, {190, 60}, {128, 90}, {200, 100}, {256, 128}, {256, 200}};
  uint64_t sink = 0;
  printf("{");
  for (unsigned k = 0; k < sizeof shapes / sizeof shapes[0]; ++k) {
    int na = shapes[k][0], nb = shapes[k][1];
    for (int i = 0; i < N; ++i) {
      A[i] = of_bits(na);
      B[i] = of_bits(nb);
    }
    double t0 = thread_cpu_ns();
    for (int r = 0; r < reps; ++r)
      for (int i = 0; i < N; ++i) {
        u256 q, rem;
        divmod(A[i], B[i], &q, &rem);
        sink += q.w[0] ^ rem.w[0];
      }
    double t1 = thread_cpu_ns();
    for (int r = 0; r < reps; ++r)
      for (int i = 0; i < N; ++i) sink += mulmod(A[i], A[(i + 1) % N], B[i]).w[0];
    double t2 = thread_cpu_ns();
    for (int r = 0; r < reps; ++r)
      for (int i = 0; i < N; ++i) sink += mul(B[i], B[(i + 1) % N]).w[1];
    double t3 = thread_cpu_ns();
    double per = (double)reps * N;
    printf("%s\"%dby%d\":{\"divmodNs\":%.2f,\"mulmodNs\":%.2f,\"mulNs\":%.2f}", k ? "," : "", na, nb, (t1 - t0) / per,
           (t2 - t1) / per, (t3 - t2) / per);
  }
  printf(",\"sink\":%llu}\n", (unsigned long long)(sink & 1));  // keeps the loops from being optimized away
  return 0;
}
