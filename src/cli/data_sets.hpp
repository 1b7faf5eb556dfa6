#pragma once
// Sets of traces or profiles named on the command line: a directory of CSV files, a
// comma-separated list of files or bundled names, or "bundled" for everything shipped.

#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "energy/power_profile.hpp"

namespace chase::cli {

// A short name for outputs: "bundled:traces/gb-2020.csv" and "/data/gb-2020.csv" are "gb-2020".
std::string data_name(std::string_view source);

// Throw InputError naming the flag when nothing loads.
std::vector<IntensityTrace> load_traces(const std::string& spec, const std::string& flag);
std::vector<PowerProfile> load_profiles(const std::string& spec, const std::string& flag);

}  // namespace chase::cli
