#include "core/utc_time.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/time_stamp.hpp"

namespace chase {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// H. Hinnant's civil_from_days in 64 bits: std::chrono::year holds only -32767..32767, and an
// instant past that once printed as a negative year. Parsers refuse such instants; arithmetic
// can still reach them, and they must print as what they are.
CivilDate civil_date(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

}  // namespace

UtcTime UtcTime::from_epoch_seconds(double s) {
  return UtcTime(static_cast<std::int64_t>(std::llround(s * 1000.0)));
}

std::optional<UtcTime> UtcTime::parse_iso8601(std::string_view text) { return read_time_stamp(text).time; }

UtcTime UtcTime::parse_iso8601_or_throw(std::string_view text, std::string_view what) {
  const TimeStampReading reading = read_time_stamp(text);
  if (reading.time) return *reading.time;
  throw InputError(fmt::format("{}: {}", what, time_stamp_problem(text, reading.problem)));
}

std::string UtcTime::iso8601() const {
  const std::int64_t days = floor_div(ms_, kMsPerDay);
  const std::int64_t ms_of_day = ms_ - days * kMsPerDay;
  const CivilDate date = civil_date(days);
  const auto hh = ms_of_day / 3'600'000;
  const auto mm = (ms_of_day / 60'000) % 60;
  const auto ss = (ms_of_day / 1000) % 60;
  const auto frac = ms_of_day % 1000;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", date.year, date.month, date.day, hh, mm, ss);
  if (frac != 0) out += fmt::format(".{:03}", frac);
  out += 'Z';
  return out;
}

int UtcTime::hour_of_day() const {
  const std::int64_t ms_of_day = ms_ - floor_div(ms_, kMsPerDay) * kMsPerDay;
  return static_cast<int>(ms_of_day / 3'600'000);
}

int UtcTime::day_of_week() const {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  const std::int64_t days = floor_div(ms_, kMsPerDay);
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

UtcTime UtcTime::floor_to(Duration step) const {
  const auto step_ms = static_cast<std::int64_t>(std::llround(step.milliseconds()));
  if (step_ms <= 0) return *this;
  return UtcTime(floor_div(ms_, step_ms) * step_ms);
}

UtcTime operator+(UtcTime t, Duration d) {
  return UtcTime(t.ms_ + static_cast<std::int64_t>(std::llround(d.milliseconds())));
}

}  // namespace chase
