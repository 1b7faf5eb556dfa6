#include "cli/device_options.hpp"

#include <fmt/format.h>

#include "account/cpu_tdp.hpp"
#include "cli/flag_checks.hpp"
#include "energy/cpu_model.hpp"

namespace chase::cli {

void DeviceOptions::add_to(CLI::App& command) {
  nvml_opt_ = command.add_option("--nvml-library", nvml_library_,
                                 "NVML library to load (default: $CHASE_NVML_LIBRARY, else libnvidia-ml.so.1)");
  command.add_option("--powercap-root", powercap_root_, "Where the RAPL powercap tree is")
      ->capture_default_str();
  command.add_option("--proc-root", proc_root_, "Where /proc is (stat, cpuinfo) for the estimated CPU")
      ->capture_default_str();
  tdp_opt_ = command.add_option("--cpu-tdp-w", cpu_tdp_w_, "TDP in W of the estimated CPU device")
                 ->check(positive())
                 ->check(at_most(5000, "ten times the largest server CPU's TDP"));
  processor_opt_ = command.add_option(
      "--cpu-processor", cpu_processor_,
      fmt::format("CPU preset for that TDP (default: the preset named in /proc/cpuinfo, else {})", kDefaultCpuPreset));
  tdp_opt_->excludes(processor_opt_);
}

DiscoveryOptions DeviceOptions::resolve() const {
  DiscoveryOptions o = discovery_options(nvml_opt_->count() > 0 ? std::optional<std::string>(nvml_library_) : std::nullopt);
  o.powercap_root = powercap_root_;
  o.proc_root = proc_root_;

  if (tdp_opt_->count() > 0) {
    o.cpu_tdp = Power::watts(cpu_tdp_w_);
    o.cpu_tdp_source = "--cpu-tdp-w";
    return o;
  }
  const CpuTdp tdp =
      processor_opt_->count() > 0
          ? preset_tdp(with_flag("--cpu-processor", [&]() -> const ProcessorPreset& { return cpu_preset(cpu_processor_); }),
                       "--cpu-processor")
          : cpu_tdp_for_model(read_cpu_model_name(o.proc_root));
  o.cpu_tdp = tdp.tdp;
  o.cpu_tdp_source = tdp.source;
  return o;
}

}  // namespace chase::cli
