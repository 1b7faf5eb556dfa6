#include "energy/power_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "core/csv.hpp"
#include "core/data_file.hpp"
#include "core/error.hpp"
#include "core/text_file.hpp"
#include "energy/profile_bounds.hpp"

namespace chase {
namespace {

// Why a row of positive values cannot be a GPU's (energy/profile_bounds.hpp), or nothing.
std::optional<std::string> implausible(const ProfilePoint& p) {
  if (!(p.limit.watts() <= kMaxProfilePowerW)) {
    return fmt::format("power limit {:g} W is above {:g} W, more than any GPU draws (a limit in mW?)", p.limit.watts(),
                       kMaxProfilePowerW);
  }
  if (!(p.time.seconds() <= kLongestProfileTimeS)) {
    return fmt::format("time {:g} s is longer than ten years", p.time.seconds());
  }
  if (!(p.average_power().watts() <= kMaxProfilePowerW)) {
    return fmt::format("average power {:g} J / {:g} s = {:g} W is above {:g} W, more than any GPU draws (energy in mJ?)",
                       p.energy.joules(), p.time.seconds(), p.average_power().watts(), kMaxProfilePowerW);
  }
  return std::nullopt;
}

}  // namespace

PowerProfile::PowerProfile(std::string source, std::vector<ProfilePoint> points)
    : source_(std::move(source)), points_(std::move(points)) {
  if (points_.empty()) throw InputError(fmt::format("{}: power profile has no rows", source_));
  std::sort(points_.begin(), points_.end(), [](const auto& a, const auto& b) { return a.limit > b.limit; });
  for (std::size_t i = 0; i < points_.size(); ++i) {
    const auto& p = points_[i];
    if (!(p.limit.watts() > 0) || !(p.time.seconds() > 0) || !(p.energy.joules() > 0)) {
      throw InputError(fmt::format("{}: row for {} W: limit, time and energy must all be positive", source_,
                                   p.limit.watts()));
    }
    if (const auto why = implausible(p)) throw InputError(fmt::format("{}: row for {} W: {}", source_, p.limit.watts(), *why));
    if (i > 0 && p.limit == points_[i - 1].limit) {
      throw InputError(fmt::format("{}: power limit {} W appears twice", source_, p.limit.watts()));
    }
  }
}

PowerProfile PowerProfile::parse_csv(std::string_view text, std::string source) {
  const CsvTable table = CsvTable::parse(text, std::move(source));
  const std::size_t limit_col = table.column("power_limit_w");
  const std::size_t time_col = table.column("time_s");
  const std::size_t energy_col = table.column("energy_j");
  std::vector<ProfilePoint> points;
  std::vector<std::size_t> lines;  // of each point, for a repeated limit
  for (const CsvRow& row : table.rows()) {
    ProfilePoint p{Power::watts(table.number(row, limit_col)), Duration::seconds(table.number(row, time_col)),
                   Energy::joules(table.number(row, energy_col))};
    for (const auto& [col, value] : {std::pair{limit_col, p.limit.watts()}, std::pair{time_col, p.time.seconds()},
                                     std::pair{energy_col, p.energy.joules()}}) {
      if (value <= 0) {
        table.fail(row, fmt::format("column '{}': {} must be positive", table.header()[col],
                                    quoted_excerpt(row.fields[col])));
      }
    }
    if (const auto why = implausible(p)) table.fail(row, *why);
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (points[i].limit == p.limit) {
        table.fail(row, fmt::format("column 'power_limit_w': {} W appears twice (line {} has it too)",
                                    quoted_excerpt(row.fields[limit_col]), lines[i]));
      }
    }
    points.push_back(p);
    lines.push_back(row.line);
  }
  if (points.empty()) throw ParseError(table.source(), "no data rows after the header");
  return PowerProfile(table.source(), std::move(points));
}

PowerProfile PowerProfile::load(std::string_view path_or_bundled_name) {
  LoadedText text = load_data_argument(path_or_bundled_name, "gpu-profiles", ".csv");
  return parse_csv(text.content, std::move(text.source));
}

std::string PowerProfile::to_csv() const {
  std::string out = "power_limit_w,time_s,energy_j\n";
  for (const ProfilePoint& p : points_) {
    out += fmt::format("{},{},{}\n", p.limit.watts(), p.time.seconds(), p.energy.joules());
  }
  return out;
}

std::vector<Power> PowerProfile::limits() const {
  std::vector<Power> out;
  out.reserve(points_.size());
  for (const ProfilePoint& p : points_) out.push_back(p.limit);
  return out;
}

const ProfilePoint& PowerProfile::at_limit(Power limit) const {
  for (const auto& p : points_) {
    if (std::fabs(p.limit.watts() - limit.watts()) < 1e-6) return p;
  }
  std::vector<std::string> limits;
  for (const auto& p : points_) limits.push_back(fmt::format("{}", p.limit.watts()));
  throw InputError(fmt::format("{}: no power limit {} W (profiled: {} W)", source_, limit.watts(), fmt::join(limits, ", ")));
}

std::vector<ProfilePoint> PowerProfile::pareto_front() const {
  std::vector<ProfilePoint> front;
  for (const auto& p : points_) {
    const bool dominated = std::any_of(points_.begin(), points_.end(), [&](const ProfilePoint& q) {
      const bool no_worse = q.time <= p.time && q.energy <= p.energy;
      const bool better = q.time < p.time || q.energy < p.energy;
      return no_worse && better;
    });
    if (!dominated) front.push_back(p);
  }
  return front;
}

}  // namespace chase
