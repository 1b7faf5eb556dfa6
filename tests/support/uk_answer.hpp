#pragma once
// Answers in the UK Carbon Intensity API's format dated around the real now, for CLI tests whose
// chase runs on the system clock (a recorded answer from 2024 is too old to count as live).

#include <cstdint>
#include <string>

namespace chase::test {

// Seconds since the epoch, now; and at the start of the half hour now falls in.
std::int64_t now_s();
std::int64_t current_half_hour_s();
// A half hour that holds now with 20 minutes to spare (starts 10 minutes ago, whole minutes):
// a run that reads it sees live data whose age is 0.
std::int64_t current_window_s();
// "Wed, 01 May 2024 14:10:00 GMT", an HTTP-date (IMF-fixdate) for a Retry-After.
std::string http_date(std::int64_t epoch_s);
// "YYYY-MM-DDTHH:MMZ", the API's time format.
std::string uk_api_time(std::int64_t epoch_s);
// A /intensity answer: one half hour [from_s, from_s + 1800) at g gCO2/kWh (actual = forecast;
// times in whole minutes, as the API writes them).
std::string uk_intensity_answer(std::int64_t from_s, int g);

}  // namespace chase::test
