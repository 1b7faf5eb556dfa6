#pragma once
// What an intensity source's figures are, in words a report can print after "which year":
// a static region's "DE 2024 (Electricity Maps yearly average)", a trace's "trace gb-2020.csv,
// 2020-01-01 to 2020-12-31", a live provider's "live data for the run's own time". Kept with
// every recorded run (store/run_records.hpp) for the paper statement.

#include <string>

#include "carbon/intensity_source.hpp"

namespace chase {

std::string intensity_basis(const IntensitySource& source);

}  // namespace chase
