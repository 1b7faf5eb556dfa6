#pragma once
// Which TDP the estimated CPU device is given (utilisation × TDP): a CPU preset named by the
// user, the preset the CPU's model name names, or a default.

#include <optional>
#include <string>

#include "account/hardware_presets.hpp"

namespace chase {

// Used when nothing names the TDP and the model name names no CPU preset: a common dual-socket
// training-host CPU, 150 W (see `chase presets processors`).
inline constexpr const char* kDefaultCpuPreset = "xeon-gold-6248";

// The bundled preset `key`; throws InputError for an unknown key or one that is not a CPU
// (naming the CPU presets).
const ProcessorPreset& cpu_preset(const std::string& key);

// The bundled CPU preset whose name appears in `model_name` word for word, ignoring case,
// runs of spaces and the (R)/(TM) marks; null when none does.
// "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" names "Xeon Gold 6248".
const ProcessorPreset* cpu_preset_for_model(const std::string& model_name);

struct CpuTdp {
  Power tdp;
  std::string source;  // e.g. "xeon-gold-6248 preset, from /proc/cpuinfo"
};

// The preset's TDP, with `why` it was chosen.
CpuTdp preset_tdp(const ProcessorPreset& preset, const std::string& why);

// From the preset the CPU's model name (from /proc/cpuinfo) names, else kDefaultCpuPreset's.
CpuTdp cpu_tdp_for_model(const std::optional<std::string>& model_name);

}  // namespace chase
