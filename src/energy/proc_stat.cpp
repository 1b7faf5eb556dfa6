#include "energy/proc_stat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase {

CpuTimes parse_proc_stat(std::string_view text, const std::string& source) {
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.rfind("cpu ", 0) != 0) continue;
    std::vector<std::uint64_t> fields;
    std::string_view rest = line.substr(4);
    while (!(rest = trim(rest)).empty()) {
      const std::size_t space = rest.find(' ');
      const std::string_view field = rest.substr(0, space);
      const auto value = parse_int(field);
      if (!value || *value < 0) {
        throw ParseError(source, line_number, fmt::format("'{}' is not a jiffy count", field));
      }
      fields.push_back(static_cast<std::uint64_t>(*value));
      rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space);
    }
    if (fields.size() < 4) {
      throw ParseError(source, line_number, fmt::format("the cpu line has {} fields, at least 4 expected", fields.size()));
    }
    auto field = [&](std::size_t i) { return i < fields.size() ? fields[i] : 0; };
    CpuTimes t;
    t.busy_jiffies = field(0) + field(1) + field(2) + field(5) + field(6);
    t.total_jiffies = t.busy_jiffies + field(3) + field(4) + field(7);
    return t;
  }
  throw ParseError(source, "no aggregate 'cpu' line");
}

double utilisation_between(const CpuTimes& earlier, const CpuTimes& later) {
  if (later.total_jiffies <= earlier.total_jiffies || later.busy_jiffies < earlier.busy_jiffies) return 0.0;
  const double busy = static_cast<double>(later.busy_jiffies - earlier.busy_jiffies);
  const double total = static_cast<double>(later.total_jiffies - earlier.total_jiffies);
  return std::min(1.0, busy / total);
}

}  // namespace chase
