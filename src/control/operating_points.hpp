#pragma once
// A power profile as the policies use it: for each supported limit, the power it draws and
// the rate at which it does work. One "unit" of work is what the profile measured (the same
// work at every limit), so a job of H hours at the maximum limit is H·3600·rate(max) units.
//
// Two subsets matter. The Pareto front in (time, energy) per unit of work is what a job that
// only trades time for energy looks at. The frontier in (power, rate) is what a carbon-aware
// plan looks at: inside one frame of fixed wall-clock length, a limit costs its power × the
// frame's intensity and earns its rate of work, so the useful limits are the upper concave hull
// of (power, rate); a limit under that hull is beaten by alternating its two neighbours across
// frames. Real profiles are noisy and not monotone, so nothing here assumes a smooth curve.

#include <functional>
#include <vector>

#include "core/units.hpp"
#include "energy/power_profile.hpp"

namespace chase {

struct OperatingPoint {
  Power limit;
  Power power;            // average power drawn at this limit
  double rate_per_s = 0;  // units of work per second
  Energy energy_per_unit;
  Duration time_per_unit;
};

class OperatingPoints {
 public:
  explicit OperatingPoints(const PowerProfile& profile);
  explicit OperatingPoints(std::vector<OperatingPoint> points);

  // Every profiled limit, highest limit first.
  const std::vector<OperatingPoint>& all() const { return all_; }
  // The highest limit: the `max` baseline.
  const OperatingPoint& max_limit() const { return all_.front(); }
  // The highest rate of work (a noisy profile may have it below the maximum limit).
  const OperatingPoint& fastest() const { return frontier_.front(); }
  // How many times longer than at the maximum limit a unit of work takes at the slowest limit
  // (at least 1): the longest a job of this profile can take, as a multiple of its length.
  double slowest_time_ratio() const;
  // The lowest energy per unit of work.
  const OperatingPoint& most_efficient() const { return all_[most_efficient_]; }
  // Not dominated in (time per unit, energy per unit); highest limit first.
  const std::vector<OperatingPoint>& pareto() const { return pareto_; }
  // Upper concave hull of (power, rate) from the fastest point down to the lowest power;
  // highest power first.
  const std::vector<OperatingPoint>& frontier() const { return frontier_; }
  // marginal_energy()[j]: the extra energy per extra unit of work of frontier()[j] over
  // frontier()[j + 1] (J per unit), decreasing in j because the frontier is concave.
  const std::vector<double>& marginal_energy_j_per_unit() const { return marginal_energy_; }

  // Index into frontier() that a frame with intensity `intensity_g_per_kwh` chooses when a
  // unit of work is worth `work_value_g` grams of CO2e: the point maximising
  // value × rate − intensity × power. Low intensity or high value → faster points.
  std::size_t frontier_choice(double work_value_g, double intensity_g_per_kwh) const;

  // The same profile without the limits that another one beats on both time and energy per
  // unit (the maximum limit stays: it is the baseline). What an online policy should choose
  // from: a dominated limit only pays off as a bet on the intensity at the end of the job.
  OperatingPoints efficient_only() const;
  // The same, where only the limits `may_dominate` accepts can rule another out: a point that is
  // a promise (a profile row never measured) must not push a measured one out of the choice.
  OperatingPoints efficient_only(const std::function<bool(Power)>& may_dominate) const;

  // The point with this limit; throws InputError naming the profiled limits.
  const OperatingPoint& at(Power limit) const;

 private:
  std::vector<OperatingPoint> all_;
  std::vector<OperatingPoint> pareto_;
  std::vector<OperatingPoint> frontier_;
  std::vector<double> marginal_energy_;
  std::size_t most_efficient_ = 0;
};

// Grams of CO2e per (watt × second) at an intensity in g/kWh: J × g/kWh = g / 3.6e6.
constexpr double kJoulesPerKwh = Energy::kJoulesPerKwh;

}  // namespace chase
