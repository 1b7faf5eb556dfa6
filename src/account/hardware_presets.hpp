#pragma once
// Processor and datacenter presets for the estimator and the what-if comparison
// (data/presets/processors.toml, datacenters.toml).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/preset_table.hpp"
#include "core/units.hpp"

namespace chase {

// A published measurement: this processor did a job `factor` times faster than `over` did.
struct ProcessorSpeedup {
  std::string over;   // another processor preset's key
  double factor = 1;
  std::string source;
};

struct ProcessorPreset {
  std::string key;
  std::string name;
  std::string kind;                     // gpu, accelerator, cpu
  Power tdp;
  std::optional<Power> measured_avg;    // average system power per processor during training
  std::string source;
  std::vector<ProcessorSpeedup> speedups;  // where a source measured one (data/presets/processors.toml)

  // What the estimator uses when the user gives no power: the measured average where one was
  // published, else the TDP (an upper bound for TPUs, close to the average for GPUs).
  Power estimation_power() const { return measured_avg.value_or(tdp); }
};

struct DatacenterPreset {
  std::string key;
  std::string name;
  double pue = 1.0;
  std::string source;
};

using ProcessorTable = PresetTable<ProcessorPreset>;
using DatacenterTable = PresetTable<DatacenterPreset>;

ProcessorTable parse_processor_table(std::string_view toml_text, const std::string& source);
DatacenterTable parse_datacenter_table(std::string_view toml_text, const std::string& source);
const ProcessorTable& bundled_processors();
const DatacenterTable& bundled_datacenters();

}  // namespace chase
