#include "control/zeus_policy.hpp"

#include <fmt/format.h>

#include <limits>

#include "core/error.hpp"

namespace chase {

PolicyEntry zeus_policy_entry() {
  return {.name = "zeus",
          .description = "Zeus (NSDI '23): one limit for the whole job, the least η·Energy + (1−η)·MaxPower·Time; carbon-blind",
          .in_default_benchmark = true, .parameters = {eta_parameter()},
          .make = [](const PolicyOptions& o) { return std::make_unique<ZeusPolicy>(o.parameters.at("eta")); }};
}

ZeusPolicy::ZeusPolicy(double eta) : eta_(eta) {
  if (!(eta >= 0 && eta <= 1)) throw InputError(fmt::format("zeus: eta {} must be within [0, 1]", eta));
}

void ZeusPolicy::begin(const PolicyJob& job) {
  const OperatingPoints& points = *job.points;
  // MaxPower is the maximum power limit: it turns time into the energy that the GPU could
  // have drawn in it, so both terms are joules.
  const double max_power_w = points.max_limit().limit.watts();
  const double max_time_s = points.max_limit().time_per_unit.seconds();
  double best_cost = std::numeric_limits<double>::infinity();
  for (const OperatingPoint& p : points.all()) {
    const double time_s = p.time_per_unit.seconds();
    // (A limit exactly at the budget stays in despite the rounding of 1 + budget.)
    if (job.slowdown_budget && time_s > max_time_s * (1.0 + *job.slowdown_budget) * (1 + 1e-12)) continue;
    const double cost = eta_ * p.energy_per_unit.joules() + (1.0 - eta_) * max_power_w * time_s;
    if (cost < best_cost) {
      best_cost = cost;
      limit_ = p.limit;
    }
  }
}

}  // namespace chase
