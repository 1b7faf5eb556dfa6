#pragma once
// Patterson et al.'s (2021) what-ifs applied to one recorded run's measured energy: the same run
// in other grid zones (the cleanest and dirtiest of the bundled regions), in datacenters of other
// PUEs, and on another processor where the presets give its power and a sourced speedup.
//
// The baseline is the run as measured: its devices' energy over its wall time (one "processor"
// drawing the run's average power, PUE 1.0: device energy only), at the run's own intensity
// (its carbon / energy). An unpriced run has no baseline CO2e: its factors are undefined.

#include <optional>
#include <string>
#include <vector>

#include "account/what_if.hpp"
#include "store/run_records.hpp"

namespace chase {

// A processor swap a source measured: `to` does the work of `from` `speedup` times faster.
struct ProcessorSwap {
  std::string from_key;  // processor preset key, matched in the run's device names ("p100")
  std::string to_key;    // the preset it is swapped for ("tpu-v2")
  double speedup = 1;
  std::string source;
};

// The swaps the processor presets give a sourced speedup for (ProcessorPreset::speedups).
std::vector<ProcessorSwap> sourced_processor_swaps();

struct RunWhatIfs {
  bool priced = false;           // the run has a CO2e to compare against
  std::optional<WhatIfReport> locations;
  std::optional<WhatIfReport> datacenters;
  std::optional<WhatIfReport> processor;
  std::string note;              // why a group is missing
};

// `zones_each_end` of the cleanest and as many of the dirtiest bundled regions.
RunWhatIfs run_what_ifs(const StoredRun& run, std::size_t zones_each_end = 3);

}  // namespace chase
