#pragma once
// Sets of traces or profiles, as a command line names them: a directory of CSV files, a
// comma-separated list of files or bundled names, or "bundled" for everything shipped.

#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "energy/power_profile.hpp"

namespace chase {

// A short name for outputs: "bundled:traces/gb-2020.csv" and "/data/gb-2020.csv" are "gb-2020".
std::string data_name(std::string_view source);

// In the order named (a directory's files sorted by name). Throw InputError when the
// directory holds no .csv file, when nothing is named, or when one of them does not load.
std::vector<IntensityTrace> load_traces(const std::string& spec);
std::vector<PowerProfile> load_profiles(const std::string& spec);

}  // namespace chase
