#pragma once
// A trace around now for tests of `chase run` and what it records: 2-second steps that swing
// between clean and dirty (120, 380, 200, 90, 300, 150 g/kWh), a day of history before now and
// `seconds_ahead` after it, written as `now.csv` in `dir`.

#include <filesystem>

#include "support/temp_dir.hpp"

namespace chase::test {

std::filesystem::path write_trace_around_now(const TempDir& dir, int seconds_ahead = 3600);

}  // namespace chase::test
