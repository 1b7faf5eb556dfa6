#pragma once
// The training runs of Patterson et al. 2021, Table 4 (data/presets/models.toml), with the
// paper's published energy and CO2e so an estimate can be shown beside them.

#include <optional>
#include <string>
#include <string_view>

#include "account/patterson.hpp"
#include "core/preset_table.hpp"

namespace chase {

struct ModelPreset {
  std::string key;
  std::string name;
  std::optional<double> parameters_billion;
  std::optional<double> activated_per_token_pct;
  std::string developer;
  std::string datacenter;
  std::string when;
  std::string processor;
  std::optional<Power> processor_tdp;
  std::optional<double> measured_tflops_per_s;
  std::optional<double> total_flops;
  TrainingJob job;
  GridFactors grid;
  Energy published_energy;
  std::optional<Mass> published_co2e_gross;
  Mass published_co2e_net;
  std::string source;
  std::string notes;
};

using ModelTable = PresetTable<ModelPreset>;

ModelTable parse_model_table(std::string_view toml_text, const std::string& source);
const ModelTable& bundled_models();

}  // namespace chase
