#pragma once
// Answers in the UK Carbon Intensity API's format dated around the real now, for CLI tests whose
// chase runs on the system clock (a recorded answer from 2024 is too old to count as live).

#include <cstdint>
#include <string>

namespace chase::test {

// Seconds since the epoch at the start of the half hour now falls in.
std::int64_t current_half_hour_s();
// "YYYY-MM-DDTHH:MMZ", the API's time format.
std::string uk_api_time(std::int64_t epoch_s);
// A /intensity answer: one half hour [from_s, from_s + 1800) at g gCO2/kWh (actual = forecast).
std::string uk_intensity_answer(std::int64_t from_s, int g);

}  // namespace chase::test
