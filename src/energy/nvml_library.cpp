#include "energy/nvml_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {
namespace {

template <class Fn>
void resolve(void* handle, const std::string& path, const char* symbol, Fn& slot) {
  void* address = dlsym(handle, symbol);
  if (address == nullptr) {
    dlclose(handle);
    throw HardwareError(fmt::format("NVML library '{}' has no symbol '{}' (driver too old, or not NVML?)", path, symbol));
  }
  // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
  slot = reinterpret_cast<Fn>(address);
}

// An entry point chase can do without: left null when the library lacks it.
template <class Fn>
void resolve_optional(void* handle, const char* symbol, Fn& slot) {
  void* address = dlsym(handle, symbol);
  slot = address == nullptr ? nullptr : reinterpret_cast<Fn>(address);
}

}  // namespace

NvmlLibrary::NvmlLibrary(std::string path) : path_(std::move(path)) {
  handle_ = dlopen(path_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* reason = dlerror();
    throw NvmlAbsentError(fmt::format("cannot load NVML library '{}': {} (no NVIDIA driver? the path can be set with "
                                    "--nvml-library or CHASE_NVML_LIBRARY)",
                                    path_, reason != nullptr ? reason : "unknown reason"));
  }
  resolve(handle_, path_, nvml::kInitSymbol, api_.init);
  resolve(handle_, path_, nvml::kShutdownSymbol, api_.shutdown);
  resolve(handle_, path_, nvml::kErrorStringSymbol, api_.error_string);
  resolve(handle_, path_, nvml::kSystemGetDriverVersionSymbol, api_.system_get_driver_version);
  resolve(handle_, path_, nvml::kDeviceGetCountSymbol, api_.device_get_count);
  resolve(handle_, path_, nvml::kDeviceGetHandleByIndexSymbol, api_.device_get_handle_by_index);
  resolve(handle_, path_, nvml::kDeviceGetNameSymbol, api_.device_get_name);
  resolve(handle_, path_, nvml::kDeviceGetUuidSymbol, api_.device_get_uuid);
  // Older drivers (and GPUs before Volta) have no total-energy counter: power polls stand in.
  resolve_optional(handle_, nvml::kDeviceGetTotalEnergyConsumptionSymbol, api_.device_get_total_energy_consumption);
  resolve(handle_, path_, nvml::kDeviceGetPowerUsageSymbol, api_.device_get_power_usage);
  resolve(handle_, path_, nvml::kDeviceGetPowerManagementLimitSymbol, api_.device_get_power_management_limit);
  resolve(handle_, path_, nvml::kDeviceGetPowerManagementLimitConstraintsSymbol,
          api_.device_get_power_management_limit_constraints);
  resolve(handle_, path_, nvml::kDeviceGetPowerManagementDefaultLimitSymbol,
          api_.device_get_power_management_default_limit);
  resolve(handle_, path_, nvml::kDeviceSetPowerManagementLimitSymbol, api_.device_set_power_management_limit);
  try {
    const nvml::Return rc = api_.init();
    if (rc == nvml::kErrorDriverNotLoaded) {
      throw NvmlAbsentError(fmt::format("{} ({}): {}: no NVIDIA driver is loaded", nvml::kInitSymbol, path_,
                                        error_string(rc)));
    }
    check(rc, nvml::kInitSymbol, path_);
  } catch (...) {
    dlclose(handle_);
    throw;
  }
}

NvmlLibrary::~NvmlLibrary() {
  // Nothing useful can be done about a failing shutdown while tearing down.
  api_.shutdown();
  dlclose(handle_);
}

std::string NvmlLibrary::error_string(nvml::Return rc) const {
  const char* text = api_.error_string(rc);
  const char* name = nvml::return_code_name(rc);
  return fmt::format("{} ({})", text != nullptr ? text : "no description",
                     name != nullptr ? std::string(name) : fmt::format("NVML return code {}", rc));
}

void NvmlLibrary::check(nvml::Return rc, std::string_view call, std::string_view context) const {
  if (rc == nvml::kSuccess) return;
  const std::string message = fmt::format("{} ({}): {}", call, context, error_string(rc));
  if (rc == nvml::kErrorNoPermission) throw PermissionError(message);
  throw HardwareError(message);
}

unsigned NvmlLibrary::device_count() const {
  unsigned count = 0;
  check(api_.device_get_count(&count), nvml::kDeviceGetCountSymbol, path_);
  return count;
}

nvml::Device NvmlLibrary::device_handle(unsigned index) const {
  nvml::Device device = nullptr;
  check(api_.device_get_handle_by_index(index, &device), nvml::kDeviceGetHandleByIndexSymbol,
        fmt::format("GPU {}", index));
  return device;
}

std::string NvmlLibrary::driver_version() const {
  char buffer[nvml::kDriverVersionBufferSize] = {};
  check(api_.system_get_driver_version(buffer, sizeof buffer), nvml::kSystemGetDriverVersionSymbol, path_);
  return std::string(buffer);
}

}  // namespace chase
