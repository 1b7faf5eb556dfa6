#pragma once
// A point in time, UTC, with millisecond resolution (exact: no floating-point drift when
// stepping through a trace of 5-minute frames for a year).

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/units.hpp"

namespace chase {

class UtcTime {
 public:
  constexpr UtcTime() = default;
  static constexpr UtcTime from_epoch_ms(std::int64_t ms) { return UtcTime(ms); }
  static UtcTime from_epoch_seconds(double s);

  // ISO 8601 with a zone (Z or ±HH:MM) by core/time_stamp.hpp's rules (refused: no zone, a date alone, a time
  // outside 1970..2200). nullopt on anything else; parse_iso8601_or_throw throws InputError naming what and why:
  // `--start: time stamp "2020-13-01T00:00Z" is not a valid date`.
  static std::optional<UtcTime> parse_iso8601(std::string_view text);
  static UtcTime parse_iso8601_or_throw(std::string_view text, std::string_view what);

  constexpr std::int64_t epoch_ms() const { return ms_; }
  constexpr double epoch_seconds() const { return static_cast<double>(ms_) / 1000.0; }

  // "2020-01-01T00:30:00Z"; milliseconds only when non-zero; any year printed true (even > 32767).
  std::string iso8601() const;

  // Hour of day [0, 24) and day of week [0 = Monday, 7) in UTC, for seasonal models.
  int hour_of_day() const;
  int day_of_week() const;

  // Floors to a multiple of `step` since the epoch (frame alignment).
  UtcTime floor_to(Duration step) const;

  constexpr auto operator<=>(const UtcTime&) const = default;

  friend constexpr Duration operator-(UtcTime a, UtcTime b) {
    return Duration::milliseconds(static_cast<double>(a.ms_ - b.ms_));
  }
  friend UtcTime operator+(UtcTime t, Duration d);
  friend UtcTime operator-(UtcTime t, Duration d) { return t + (-d); }

 private:
  constexpr explicit UtcTime(std::int64_t ms) : ms_(ms) {}
  std::int64_t ms_ = 0;
};

}  // namespace chase
