#include "carbon/http/retry_after.hpp"

#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "core/number_parse.hpp"

namespace chase {
namespace {

// Words of the date, split at spaces, commas and dashes (so the three forms tokenize alike).
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-' || text[i] == '\t') {
      if (i > start) out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::optional<int> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Day, month name, year (2 or 4 digits) and "HH:MM:SS" into a UTC time; the ISO parser checks
// the ranges of each field.
std::optional<UtcTime> date_of(std::string_view day, std::string_view month, std::string_view year,
                               std::string_view clock) {
  const auto m = month_number(month);
  if (!m || !all_digits(day) || day.size() > 2 || !all_digits(year) || clock.size() != 8) return std::nullopt;
  auto y = parse_int(year);
  const auto d = parse_int(day);
  if (!y || !d) return std::nullopt;
  if (year.size() == 2) {
    *y += *y >= 70 ? 1900 : 2000;
  } else if (year.size() != 4) {
    return std::nullopt;
  }
  // A date past the last year chase keeps (2200, core/time_stamp.hpp) is a server saying "not
  // for a very long time": hold until then rather than ignore it and ask again at once.
  if (*y > 2200) return UtcTime::parse_iso8601("2200-12-31T23:59:59Z");
  return UtcTime::parse_iso8601(fmt::format("{:04}-{:02}-{:02}T{}Z", *y, *m, *d, clock));
}

// The time named by a Retry-After value, or nullopt where it names none.
std::optional<UtcTime> named_time(std::string_view text, UtcTime now) {
  if (all_digits(text)) {
    // A delay beyond 999,999,999 s (~31 years) means "not for a very long time" too: hold for
    // that long (more would overflow the millisecond clock), rather than ignore it.
    if (text.size() > 9) return now + Duration::seconds(999'999'999);
    return now + Duration::seconds(static_cast<double>(*parse_int(text)));
  }
  const std::vector<std::string_view> w = words(text);
  if (w.size() == 6 && w[5] == "GMT") return date_of(w[1], w[2], w[3], w[4]);  // IMF-fixdate, RFC 850
  if (w.size() == 5) return date_of(w[2], w[1], w[4], w[3]);                   // asctime
  return std::nullopt;
}

}  // namespace

std::optional<UtcTime> retry_after_time(std::string_view value, UtcTime now) {
  const std::optional<UtcTime> named = named_time(trim(value), now);
  if (!named || *named <= now) return std::nullopt;  // no time, or now or past: no hold
  return named;
}

}  // namespace chase
