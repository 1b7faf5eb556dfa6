#include "support/uk_answer.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace chase::test {

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::int64_t current_half_hour_s() { return now_s() - now_s() % 1800; }

std::int64_t current_window_s() {
  const std::int64_t start = now_s() - 600;
  return start - start % 60;
}

std::string http_date(std::int64_t epoch_s) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string uk_api_time(std::int64_t epoch_s) {
  const std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", &tm);
  return buf;
}

std::string uk_intensity_answer(std::int64_t from_s, int g) {
  // Appended piece by piece: one long concatenation trips GCC 12's false -Wrestrict at -O3.
  std::string body = "{\"data\": [{\"from\": \"";
  body += uk_api_time(from_s);
  body += "\", \"to\": \"";
  body += uk_api_time(from_s + 1800);
  body += "\", \"intensity\": {\"forecast\": ";
  body += std::to_string(g);
  body += ", \"actual\": ";
  body += std::to_string(g);
  body += ", \"index\": \"moderate\"}}]}";
  return body;
}

}  // namespace chase::test
