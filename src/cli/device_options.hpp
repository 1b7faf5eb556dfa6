#pragma once
// The flags that say where `chase devices` and `chase measure` look for hardware, and the TDP
// of the estimated CPU device: --nvml-library (or CHASE_NVML_LIBRARY), --powercap-root,
// --proc-root, --cpu-tdp-w | --cpu-processor. CUDA_VISIBLE_DEVICES is read from the
// environment, as CUDA reads it.

#include <CLI/CLI.hpp>

#include <string>

#include "energy/device_discovery.hpp"

namespace chase::cli {

class DeviceOptions {
 public:
  void add_to(CLI::App& command);
  // Throws InputError naming the flag for an unknown or non-CPU preset.
  DiscoveryOptions resolve() const;

 private:
  std::string nvml_library_;
  std::string powercap_root_ = "/sys/class/powercap";
  std::string proc_root_ = "/proc";
  double cpu_tdp_w_ = 0;
  std::string cpu_processor_;
  CLI::Option* nvml_opt_ = nullptr;
  CLI::Option* tdp_opt_ = nullptr;
  CLI::Option* processor_opt_ = nullptr;
};

}  // namespace chase::cli
