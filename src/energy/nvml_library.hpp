#pragma once
// NVML loaded at run time: dlopen by path, every entry point resolved into a table, nvmlInit_v2
// on construction and nvmlShutdown on destruction. No link-time dependency, so one binary runs
// with or without an NVIDIA driver (and tests load a fake library by path).

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "energy/nvml_api.hpp"

namespace chase {

// NVML is not there at all: the library cannot be loaded, or it reports that no NVIDIA driver
// is loaded. Other failures (a missing symbol, a failing call) are plain HardwareError.
class NvmlAbsentError : public HardwareError {
 public:
  using HardwareError::HardwareError;
};

class NvmlLibrary {
 public:
  static constexpr const char* kDefaultPath = "libnvidia-ml.so.1";

  // Throws NvmlAbsentError naming the path when the library cannot be loaded (or nvmlInit_v2
  // says NVML_ERROR_DRIVER_NOT_LOADED), HardwareError naming the symbol when one is missing or
  // with nvmlInit_v2's error string when initialisation fails (PermissionError for
  // NVML_ERROR_NO_PERMISSION).
  explicit NvmlLibrary(std::string path = kDefaultPath);
  ~NvmlLibrary();
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;

  const std::string& path() const { return path_; }
  const nvml::EntryPoints& api() const { return api_; }

  // Throws unless rc is NVML_SUCCESS: "<call> (<context>): <nvmlErrorString> (<enumerator>)".
  // NVML_ERROR_NO_PERMISSION becomes PermissionError, everything else HardwareError.
  void check(nvml::Return rc, std::string_view call, std::string_view context) const;
  std::string error_string(nvml::Return rc) const;

  unsigned device_count() const;
  // Throws PermissionError when the GPU exists but this process may not open it (cgroups).
  nvml::Device device_handle(unsigned index) const;
  std::string driver_version() const;

 private:
  std::string path_;
  void* handle_ = nullptr;
  nvml::EntryPoints api_;
};

}  // namespace chase
