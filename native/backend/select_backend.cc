#include <cstdlib>
#include <mutex>

#include "backend.h"

namespace native {

#ifndef EVM_WITH_CUDA
std::unique_ptr<Backend> make_cuda_backend(std::string& why_not) {
  why_not = "addon built without CUDA (node-gyp CPU build)";
  return nullptr;
}
#endif

Backend& active_backend() {
  static std::unique_ptr<Backend> backend;
  static std::once_flag once;
  std::call_once(once, [] {
    const char* forced = std::getenv("EVM_BACKEND");
    std::string why_not;
    if (forced != nullptr && std::string(forced) == "cpu") {
      why_not = "EVM_BACKEND=cpu";
    } else {
      backend = make_cuda_backend(why_not);
    }
    if (!backend) {
      const char* t = std::getenv("EVM_THREADS");
      backend = make_cpu_backend(t ? (unsigned)std::strtoul(t, nullptr, 10) : 0, why_not);
    }
  });
  return *backend;
}

}  // namespace native
