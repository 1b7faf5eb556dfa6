#include "core/time_stamp.hpp"

#include <fmt/format.h>

#include <chrono>

#include "core/error.hpp"
#include "core/number_parse.hpp"
#include "core/text_file.hpp"

namespace chase {
namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
const std::string kExample = "2020-01-01T00:00:00Z";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A run of digits at text[pos]; advances pos. Stops after `max` digits.
std::string_view digit_run(std::string_view text, std::size_t& pos, std::size_t max = 32) {
  const std::size_t from = pos;
  while (pos < text.size() && pos - from < max && is_digit(text[pos])) ++pos;
  return text.substr(from, pos - from);
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool take(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<std::int64_t> days_of(int year, int month, int day) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd}.time_since_epoch().count();
}

// Days since 1970-01-01 of a valid proleptic Gregorian date (H. Hinnant's days_from_civil),
// constexpr so the range below needs no run-time initialisation.
constexpr std::int64_t civil_days(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// [1970-01-01T00:00:00Z, 2201-01-01T00:00:00Z) in epoch milliseconds.
constexpr std::int64_t kFirstMs = civil_days(kFirstPlausibleYear, 1, 1) * kMsPerDay;
constexpr std::int64_t kEndMs = civil_days(kLastPlausibleYear + 1, 1, 1) * kMsPerDay;
static_assert(kFirstMs == 0);

std::string range_problem() {
  return fmt::format("is outside the plausible range (years {} to {}, UTC)", kFirstPlausibleYear, kLastPlausibleYear);
}

TimeStampReading refuse(std::string problem) {
  TimeStampReading r;
  r.problem = std::move(problem);
  return r;
}

TimeStampReading accept(std::int64_t ms, TimeStampForm form) {
  if (ms < kFirstMs || ms >= kEndMs) return refuse(range_problem());
  TimeStampReading r;
  r.time = UtcTime::from_epoch_ms(ms);
  r.form = form;
  return r;
}

// A plain number (sign, digits, at most one '.', an exponent): the shape of the epoch forms.
bool looks_numeric(std::string_view t) {
  std::size_t pos = 0;
  if (!take(t, pos, '+')) take(t, pos, '-');
  const auto whole = digit_run(t, pos);
  std::string_view fraction;
  if (take(t, pos, '.')) fraction = digit_run(t, pos);
  if (whole.empty() && fraction.empty()) return false;
  if (take(t, pos, 'e') || take(t, pos, 'E')) {
    if (!take(t, pos, '+')) take(t, pos, '-');
    if (digit_run(t, pos).empty()) return false;
  }
  return pos == t.size();
}

TimeStampReading read_epoch(std::string_view t) {
  if (t.find_first_of("eE") != std::string_view::npos) {
    return refuse("is in scientific notation, which rounds epoch times: format the column as a whole number "
                  "or as ISO 8601");
  }
  if (t.front() == '-') return refuse(range_problem());
  if (t.front() == '+') t.remove_prefix(1);
  std::size_t pos = 0;
  const std::string_view whole = digit_run(t, pos);
  std::string_view fraction;
  if (take(t, pos, '.')) fraction = digit_run(t, pos);
  if (whole.empty() || pos != t.size() || (pos > 0 && t[pos - 1] == '.')) {
    return refuse(fmt::format("is not a number of epoch seconds nor ISO 8601 (expected e.g. {})", kExample));
  }
  const bool seconds = whole.size() == 9 || whole.size() == 10;
  const bool millis = whole.size() == 12 || whole.size() == 13;
  if (!seconds && !millis) {
    return refuse(fmt::format("has {} digit{}: epoch seconds have 9 or 10 (1973 to 2286), epoch milliseconds 12 "
                              "or 13; other numbers are not time stamps",
                              whole.size(), whole.size() == 1 ? "" : "s"));
  }
  std::int64_t ms = 0;
  for (char c : whole) ms = ms * 10 + (c - '0');
  if (seconds) {
    std::int64_t frac_ms = 0;
    for (std::size_t i = 0; i < 3; ++i) frac_ms = frac_ms * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    ms = ms * 1000 + frac_ms;
  }
  return accept(ms, seconds ? TimeStampForm::epoch_seconds : TimeStampForm::epoch_milliseconds);
}

// "HH:MM[:SS]" (H may be one digit) at the start of a date's remainder, for a suggestion.
std::optional<std::string> clock_of(std::string_view rest) {
  rest = trim(rest);
  if (rest.empty()) return "00:00:00";
  std::size_t pos = 0;
  const auto h = digit_run(rest, pos, 2);
  if (h.empty() || !take(rest, pos, ':')) return std::nullopt;
  const auto m = digit_run(rest, pos, 2);
  if (m.size() != 2) return std::nullopt;
  std::string_view s = "00";
  if (take(rest, pos, ':')) s = digit_run(rest, pos, 2);
  if (s.size() != 2 || pos != rest.size() || to_int(h) > 23 || to_int(m) > 59 || to_int(s) > 59) return std::nullopt;
  return fmt::format("{:02}:{}:{}", to_int(h), m, s);
}

// D/M/Y, M/D/Y, Y/M/D with '/' or '.': what a spreadsheet writes in its locale.
std::optional<TimeStampReading> read_locale_date(std::string_view t) {
  std::size_t pos = 0;
  const auto a = digit_run(t, pos, 4);
  if (a.empty() || pos >= t.size() || (t[pos] != '/' && t[pos] != '.')) return std::nullopt;
  const char sep = t[pos++];
  const auto b = digit_run(t, pos, 2);
  if (b.empty() || !take(t, pos, sep)) return std::nullopt;
  const auto c = digit_run(t, pos, 4);
  if (c.empty() || (pos < t.size() && t[pos] != ' ' && t[pos] != 'T')) return std::nullopt;
  const auto clock = clock_of(t.substr(pos < t.size() && t[pos] == 'T' ? pos + 1 : pos));
  auto iso = [&](int y, int m, int d) {
    // A time of day it cannot read (AM/PM, seconds with a fraction) is left for the user to fill in.
    return fmt::format("{:04}-{:02}-{:02}T{}Z", y, m, d, clock ? *clock : "HH:MM:SS");
  };
  const std::string advice = "write ISO 8601 with its zone, e.g.";
  if (a.size() == 4) {
    const int y = to_int(a), m = to_int(b), d = to_int(c);
    if (c.size() > 2 || !days_of(y, m, d)) return refuse("is not a valid date");
    return refuse(fmt::format("is not ISO 8601 and has no time zone: {} {} if it is UTC", advice, iso(y, m, d)));
  }
  if (c.size() != 4) return refuse(fmt::format("is not ISO 8601 (expected e.g. {})", kExample));
  const int x = to_int(a), y = to_int(b), year = to_int(c);
  const bool dm = static_cast<bool>(days_of(year, y, x));  // day/month/year
  const bool md = static_cast<bool>(days_of(year, x, y));  // month/day/year
  if (!dm && !md) return refuse("is not a valid date");
  if (dm && md && x != y) {
    return refuse(fmt::format("is ambiguous: day/month/year gives {}, month/day/year gives {}; {} one of them",
                              iso(year, y, x), iso(year, x, y), advice));
  }
  const bool day_first = dm;
  return refuse(fmt::format("is not ISO 8601 and has no time zone: it reads as {} only; {} {} if it is UTC",
                            x == y ? "one date" : (day_first ? "day/month/year" : "month/day/year"), advice,
                            day_first ? iso(year, y, x) : iso(year, x, y)));
}

TimeStampReading read_iso(std::string_view t) {
  const std::string not_iso = fmt::format("is not ISO 8601 (expected e.g. {})", kExample);
  std::size_t pos = 0;
  const auto year = digit_run(t, pos);
  if (year.size() > 4 && pos < t.size() && t[pos] == '-') return refuse(range_problem());
  if (year.size() != 4 || !take(t, pos, '-')) return refuse(not_iso);
  const auto month = digit_run(t, pos, 2);
  if (month.size() != 2 || !take(t, pos, '-')) return refuse(not_iso);
  const auto day = digit_run(t, pos, 2);
  if (day.size() != 2 || (pos < t.size() && is_digit(t[pos]))) return refuse(not_iso);
  const auto days = days_of(to_int(year), to_int(month), to_int(day));
  if (!days) return refuse("is not a valid date");
  if (pos == t.size()) {
    return refuse(fmt::format("is a date without a time of day and zone (write e.g. {}T00:00:00Z)", t));
  }
  if (!take(t, pos, 'T') && !take(t, pos, 't') && !take(t, pos, ' ')) return refuse(not_iso);
  const auto hour = digit_run(t, pos, 2);
  if (hour.size() != 2 || !take(t, pos, ':')) return refuse(not_iso);
  const auto minute = digit_run(t, pos, 2);
  if (minute.size() != 2) return refuse(not_iso);
  int second = 0;
  int millis = 0;
  if (take(t, pos, ':')) {
    const auto s = digit_run(t, pos, 2);
    if (s.size() != 2) return refuse(not_iso);
    second = to_int(s);
    if (take(t, pos, '.') || take(t, pos, ',')) {
      const auto fraction = digit_run(t, pos);
      if (fraction.empty()) return refuse(not_iso);
      for (std::size_t i = 0; i < 3; ++i) millis = millis * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
    }
  }
  if (to_int(hour) > 23 || to_int(minute) > 59 || second > 59) return refuse("is not a valid time of day");

  int offset_minutes = 0;
  const std::size_t zone_at = pos;
  take(t, pos, ' ');
  const std::string_view zone = t.substr(pos);
  if (zone == "Z" || zone == "z" || zone == "UTC") {
    pos = t.size();
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    const int sign = t[pos] == '-' ? -1 : 1;
    ++pos;
    const auto oh = digit_run(t, pos, 2);
    if (oh.size() != 2) return refuse(not_iso);
    std::string_view om = "00";
    if (pos < t.size()) {
      take(t, pos, ':');
      om = digit_run(t, pos, 2);
    }
    if (om.size() != 2 || pos != t.size()) return refuse(not_iso);
    offset_minutes = sign * (to_int(oh) * 60 + to_int(om));
    if (to_int(om) > 59 || offset_minutes < -12 * 60 || offset_minutes > 14 * 60) {
      return refuse("has a UTC offset outside -12:00..+14:00, the offsets real zones use");
    }
  } else if (zone_at == t.size()) {
    return refuse("has no time zone (UTC or local time?): add Z for UTC, or its offset such as +01:00");
  } else {
    return refuse(not_iso);
  }
  const std::int64_t ms = *days * kMsPerDay +
                          ((to_int(hour) * 60LL + to_int(minute) - offset_minutes) * 60LL + second) * 1000LL + millis;
  return accept(ms, TimeStampForm::iso8601);
}

}  // namespace

TimeStampReading read_time_stamp(std::string_view text, EpochNumbers epoch) {
  const std::string_view t = trim(text);
  if (t.empty()) return refuse("is empty");
  if (looks_numeric(t)) {
    if (epoch == EpochNumbers::refused) {
      return refuse(fmt::format("is a number, not a date and time (expected ISO 8601 such as {})", kExample));
    }
    return read_epoch(t);
  }
  if (auto locale = read_locale_date(t)) return *locale;
  return read_iso(t);
}

std::string time_stamp_problem(std::string_view text, const std::string& problem) {
  return fmt::format("time stamp {} {}", quoted_excerpt(trim(text)), problem);
}

UtcTime checked_time(UtcTime t, std::string_view what) {
  const std::string range = fmt::format("chase keeps times within the years {} to {}, UTC", kFirstPlausibleYear,
                                        kLastPlausibleYear);
  if (t.epoch_ms() > kEndMs) {
    throw InputError(fmt::format("{} would end at {}, past the end of {} ({})", what, t.iso8601(), kLastPlausibleYear, range));
  }
  if (t.epoch_ms() < kFirstMs) {
    throw InputError(fmt::format("{} would start at {}, before {} ({})", what, t.iso8601(), kFirstPlausibleYear, range));
  }
  return t;
}

std::string_view form_name(TimeStampForm form) {
  switch (form) {
    case TimeStampForm::iso8601: return "ISO 8601";
    case TimeStampForm::epoch_seconds: return "epoch seconds";
    case TimeStampForm::epoch_milliseconds: return "epoch milliseconds";
  }
  return "ISO 8601";
}

}  // namespace chase
