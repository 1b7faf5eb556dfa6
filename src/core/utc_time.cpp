#include "core/utc_time.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "core/error.hpp"

namespace chase {
namespace {

constexpr std::int64_t kMsPerSecond = 1000;
constexpr std::int64_t kMsPerDay = 86'400'000;

// Reads exactly `width` digits at text[pos]; advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

UtcTime UtcTime::from_epoch_seconds(double s) {
  return UtcTime(static_cast<std::int64_t>(std::llround(s * 1000.0)));
}

std::optional<UtcTime> UtcTime::parse_iso8601(std::string_view text) {
  using namespace std::chrono;
  std::size_t pos = 0;
  auto year = read_digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  auto month = read_digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  auto day = read_digits(text, pos, 2);
  if (!day) return std::nullopt;
  if (!expect(text, pos, 'T') && !expect(text, pos, ' ')) return std::nullopt;
  auto hour = read_digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  auto minute = read_digits(text, pos, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  int millis = 0;
  if (expect(text, pos, ':')) {
    auto s = read_digits(text, pos, 2);
    if (!s) return std::nullopt;
    second = *s;
    if (expect(text, pos, '.')) {
      // Any number of fractional digits; keep milliseconds.
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 3) millis = millis * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int d = digits; d < 3; ++d) millis *= 10;
    }
  }
  int offset_minutes = 0;
  if (expect(text, pos, 'Z')) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = read_digits(text, pos, 2);
    if (!oh) return std::nullopt;
    expect(text, pos, ':');
    auto om = read_digits(text, pos, 2);
    if (!om || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;

  const year_month_day ymd{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                           std::chrono::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t ms = days * kMsPerDay +
                          ((*hour * 60LL + *minute - offset_minutes) * 60LL + second) * kMsPerSecond +
                          millis;
  return UtcTime(ms);
}

UtcTime UtcTime::parse_iso8601_or_throw(std::string_view text, std::string_view what) {
  if (auto t = parse_iso8601(text)) return *t;
  throw InputError(fmt::format("{}: '{}' is not an ISO 8601 UTC time (expected e.g. 2020-01-01T00:00:00Z)",
                               what, text));
}

std::string UtcTime::iso8601() const {
  using namespace std::chrono;
  const std::int64_t days = floor_div(ms_, kMsPerDay);
  const std::int64_t ms_of_day = ms_ - days * kMsPerDay;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  const auto hh = ms_of_day / 3'600'000;
  const auto mm = (ms_of_day / 60'000) % 60;
  const auto ss = (ms_of_day / 1000) % 60;
  const auto frac = ms_of_day % 1000;
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hh, mm,
                                ss);
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
