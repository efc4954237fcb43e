// Constant lookup tables readable from host and device code alike. A namespace-scope array is either a
// host variable or a __device__ one under nvcc, never both, so KERN_TABLE defines the two copies and
// KT(name) picks the one of the current compilation pass (nvcc compiles each .cu twice: host, device).
// Under a plain C++ compiler there is only the host copy.
#pragma once
#include "../common/hd.h"

#if defined(__CUDACC__)
#define KERN_TABLE(type, name, dims, ...)                     \
  static __device__ const type name##_dev dims = __VA_ARGS__; \
  static const type name##_host dims = __VA_ARGS__;
#if defined(__CUDA_ARCH__)
#define KT(name) name##_dev
#else
#define KT(name) name##_host
#endif
#else
#define KERN_TABLE(type, name, dims, ...) static const type name##_host dims = __VA_ARGS__;
#define KT(name) name##_host
#endif
