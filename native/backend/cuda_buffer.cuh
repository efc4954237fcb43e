// Checked CUDA calls and owned device buffers, for every .cu launch file.
#pragma once
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace native {

inline void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string("CUDA ") + what + ": " + cudaGetErrorString(err));
}

struct DevBuf {
  void* p = nullptr;
  explicit DevBuf(size_t n) { check(cudaMalloc(&p, n ? n : 1), "cudaMalloc"); }
  ~DevBuf() { cudaFree(p); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  template <typename T> T* as() const { return static_cast<T*>(p); }
};

template <typename T> void up(DevBuf& d, const T* src, size_t count) {
  if (count) check(cudaMemcpy(d.p, src, count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
}

template <typename T> void down(T* dst, const DevBuf& d, size_t count) {
  if (count) check(cudaMemcpy(dst, d.p, count * sizeof(T), cudaMemcpyDeviceToHost), "copy from device");
}

}  // namespace native
