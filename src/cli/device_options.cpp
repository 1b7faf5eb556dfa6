#include "cli/device_options.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "account/cpu_preset_match.hpp"
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
  tdp_opt_ = command.add_option("--cpu-tdp-w", cpu_tdp_w_, "TDP in W of the estimated CPU device")->check(positive());
  processor_opt_ = command.add_option(
      "--cpu-processor", cpu_processor_,
      fmt::format("CPU preset for that TDP (default: the preset named in /proc/cpuinfo, else {})", kDefaultCpuPreset));
  tdp_opt_->excludes(processor_opt_);
}

DiscoveryOptions DeviceOptions::resolve() const {
  DiscoveryOptions o;
  if (nvml_opt_->count() > 0) {
    o.nvml_library = nvml_library_;
  } else if (const char* env = std::getenv("CHASE_NVML_LIBRARY"); env != nullptr && *env != '\0') {
    o.nvml_library = env;
  }
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES"); visible != nullptr) o.cuda_visible_devices = visible;
  o.powercap_root = powercap_root_;
  o.proc_root = proc_root_;

  if (tdp_opt_->count() > 0) {
    o.cpu_tdp = Power::watts(cpu_tdp_w_);
    o.cpu_tdp_source = "--cpu-tdp-w";
    return o;
  }
  auto use = [&](const ProcessorPreset& p, const std::string& why) {
    o.cpu_tdp = p.tdp;
    o.cpu_tdp_source = fmt::format("{} preset, {}", p.key, why);
  };
  if (processor_opt_->count() > 0) {
    const ProcessorPreset& p = with_flag("--cpu-processor", [&]() -> const ProcessorPreset& {
      return bundled_processors().get(cpu_processor_);
    });
    if (p.kind != "cpu") {
      std::vector<std::string> cpus;
      for (const auto& q : bundled_processors().all()) {
        if (q.kind == "cpu") cpus.push_back(q.key);
      }
      throw InputError(fmt::format("--cpu-processor: '{}' is a {} preset, not a CPU (CPU presets: {})", p.key, p.kind,
                                   fmt::join(cpus, ", ")));
    }
    use(p, "--cpu-processor");
    return o;
  }
  const auto model = read_cpu_model_name(o.proc_root);
  if (model) {
    if (const ProcessorPreset* p = cpu_preset_for_model(*model)) {
      use(*p, "from /proc/cpuinfo");
      return o;
    }
  }
  use(bundled_processors().get(kDefaultCpuPreset),
      fmt::format("the default: {} matches no CPU preset", model ? "'" + *model + "'" : "no CPU model name"));
  return o;
}

}  // namespace chase::cli
