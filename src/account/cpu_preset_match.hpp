#pragma once
// Which CPU preset a CPU's model name (as /proc/cpuinfo gives it) names.

#include <string>

#include "account/hardware_presets.hpp"

namespace chase {

// The bundled CPU preset whose name appears in `model_name` word for word, ignoring case,
// runs of spaces and the (R)/(TM) marks; null when none does.
// "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" names "Xeon Gold 6248".
const ProcessorPreset* cpu_preset_for_model(const std::string& model_name);

}  // namespace chase
