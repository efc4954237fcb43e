// One source for host and device: every kernel function is marked HD, which is
// `__host__ __device__` under nvcc and nothing under a plain C++ compiler.
#pragma once
#include <stddef.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define HD __host__ __device__
#define HD_INLINE __host__ __device__ __forceinline__
#define HD_FORCE_INLINE __host__ __device__ __forceinline__
#define HD_UNROLL _Pragma("unroll")
#else
#define HD
#define HD_INLINE inline
// Inlined on the host too, where `inline` is only a hint: for the interpreter loop's smallest helpers, which
// GCC otherwise leaves as calls in so large a function.
#define HD_FORCE_INLINE inline __attribute__((always_inline))
#define HD_UNROLL _Pragma("GCC unroll 32")
#endif
