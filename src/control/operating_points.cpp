#include "control/operating_points.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {
namespace {

OperatingPoint to_operating_point(const ProfilePoint& p) {
  return OperatingPoint{p.limit, p.average_power(), p.throughput(), p.energy, p.time};
}

// Twice the signed area of (a, b, c) in the (power, rate) plane: > 0 when c turns left of a→b.
double cross(const OperatingPoint& a, const OperatingPoint& b, const OperatingPoint& c) {
  return (b.power.watts() - a.power.watts()) * (c.rate_per_s - a.rate_per_s) -
         (b.rate_per_s - a.rate_per_s) * (c.power.watts() - a.power.watts());
}

std::vector<OperatingPoint> upper_hull(std::vector<OperatingPoint> points) {
  // Lowest power first; at equal power only the faster point can be on the hull.
  std::sort(points.begin(), points.end(), [](const OperatingPoint& a, const OperatingPoint& b) {
    if (a.power != b.power) return a.power < b.power;
    return a.rate_per_s > b.rate_per_s;
  });
  std::vector<OperatingPoint> hull;
  for (const auto& p : points) {
    if (!hull.empty() && hull.back().power == p.power) continue;
    // A point on or under the chord of its neighbours is never the best choice for any price.
    while (hull.size() >= 2 && cross(hull[hull.size() - 2], hull.back(), p) >= 0) hull.pop_back();
    hull.push_back(p);
  }
  // Past the fastest point the hull descends: more power for less work, never worth it.
  const auto fastest = std::max_element(hull.begin(), hull.end(), [](const auto& a, const auto& b) {
    return a.rate_per_s < b.rate_per_s;
  });
  hull.erase(fastest + 1, hull.end());
  std::reverse(hull.begin(), hull.end());
  return hull;
}

}  // namespace

OperatingPoints::OperatingPoints(const PowerProfile& profile) : OperatingPoints([&] {
  std::vector<OperatingPoint> points;
  for (const auto& p : profile.points()) points.push_back(to_operating_point(p));
  return points;
}()) {}

OperatingPoints::OperatingPoints(std::vector<OperatingPoint> points) : all_(std::move(points)) {
  if (all_.empty()) throw InputError("a power profile needs at least one limit");
  std::sort(all_.begin(), all_.end(), [](const auto& a, const auto& b) { return a.limit > b.limit; });
  for (const auto& p : all_) {
    const bool dominated = std::any_of(all_.begin(), all_.end(), [&](const OperatingPoint& q) {
      const bool no_worse = q.time_per_unit <= p.time_per_unit && q.energy_per_unit <= p.energy_per_unit;
      const bool better = q.time_per_unit < p.time_per_unit || q.energy_per_unit < p.energy_per_unit;
      return no_worse && better;
    });
    if (!dominated) pareto_.push_back(p);
  }
  frontier_ = upper_hull(all_);
  for (std::size_t j = 0; j + 1 < frontier_.size(); ++j) {
    const auto& faster = frontier_[j];
    const auto& slower = frontier_[j + 1];
    marginal_energy_.push_back((faster.power.watts() - slower.power.watts()) /
                               (faster.rate_per_s - slower.rate_per_s));
  }
  most_efficient_ = static_cast<std::size_t>(
      std::min_element(all_.begin(), all_.end(),
                       [](const auto& a, const auto& b) { return a.energy_per_unit < b.energy_per_unit; }) -
      all_.begin());
}

std::size_t OperatingPoints::frontier_choice(double work_value_g, double intensity_g_per_kwh) const {
  if (!(intensity_g_per_kwh > 0)) return 0;  // clean power: nothing is gained by slowing down
  // Faster point j beats slower point j+1 when the work it adds is worth its extra carbon:
  // value × Δrate ≥ intensity/3.6e6 × Δpower, i.e. value·3.6e6/intensity ≥ marginal energy.
  const double threshold_j_per_unit = work_value_g * kJoulesPerKwh / intensity_g_per_kwh;
  for (std::size_t j = 0; j < marginal_energy_.size(); ++j) {
    if (marginal_energy_[j] <= threshold_j_per_unit) return j;
  }
  return frontier_.size() - 1;
}

double OperatingPoints::slowest_time_ratio() const {
  double slowest = 1.0;
  for (const auto& p : all_) slowest = std::max(slowest, p.time_per_unit / max_limit().time_per_unit);
  return slowest;
}

OperatingPoints OperatingPoints::efficient_only() const {
  std::vector<OperatingPoint> kept = pareto_;
  if (kept.front().limit != max_limit().limit) kept.push_back(max_limit());
  return OperatingPoints(std::move(kept));
}

OperatingPoints OperatingPoints::efficient_only(const std::function<bool(Power)>& may_dominate) const {
  std::vector<OperatingPoint> kept;
  for (const auto& p : all_) {
    const bool dominated = std::any_of(all_.begin(), all_.end(), [&](const OperatingPoint& q) {
      if (!may_dominate(q.limit)) return false;
      const bool no_worse = q.time_per_unit <= p.time_per_unit && q.energy_per_unit <= p.energy_per_unit;
      const bool better = q.time_per_unit < p.time_per_unit || q.energy_per_unit < p.energy_per_unit;
      return no_worse && better;
    });
    if (!dominated || p.limit == max_limit().limit) kept.push_back(p);
  }
  return OperatingPoints(std::move(kept));
}

const OperatingPoint& OperatingPoints::at(Power limit) const {
  for (const auto& p : all_) {
    if (std::fabs(p.limit.watts() - limit.watts()) < 1e-6) return p;
  }
  std::vector<std::string> limits;
  for (const auto& p : all_) limits.push_back(fmt::format("{}", p.limit.watts()));
  throw InputError(fmt::format("no power limit {} W in the profile (profiled: {} W)", limit.watts(),
                               fmt::join(limits, ", ")));
}

}  // namespace chase
