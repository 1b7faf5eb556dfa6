#include "control/chase_paper_policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace chase {
namespace {

// The widest reference intensity --ci-ref takes, g/kWh: five times a coal-only grid's ~1000.
constexpr double kMaxReferenceGPerKwh = 5000;

}  // namespace

PolicyParameter ci_ref_parameter() {
  return {.name = "ci-ref",
          .description = "chase-paper's fixed reference intensity CI_ref, g/kWh; 0: the mean of the history before "
                         "the start (the paper fixes it without saying to what)",
          .default_value = 0,
          .min = 0,
          .max = kMaxReferenceGPerKwh,
          .min_excluded = false};
}

PolicyEntry chase_paper_policy_entry() {
  return {.name = "chase-paper",
          .description = "the Chase paper's own rule (Yang et al. 2023): per frame, the limit with the least "
                         "(η·P·CI + (1−η)·P_ref·CI_ref) ÷ rate at the forecast intensity; fixed CI_ref, no budget",
          .takes_budget = false,
          .parameters = {eta_parameter(), ci_ref_parameter()},
          .make = [](const PolicyOptions& o) {
            return std::make_unique<ChasePaperPolicy>(o.parameters.at("eta"), o.parameters.at("ci-ref"));
          }};
}

ChasePaperPolicy::ChasePaperPolicy(double eta, double ci_ref_g_per_kwh)
    : eta_(eta), fixed_reference_g_per_kwh_(ci_ref_g_per_kwh) {
  if (!(eta >= 0 && eta <= 1)) throw InputError(fmt::format("chase-paper: eta {} must be within [0, 1]", eta));
  if (!(ci_ref_g_per_kwh >= 0 && ci_ref_g_per_kwh <= kMaxReferenceGPerKwh)) {
    throw InputError(fmt::format("chase-paper: ci-ref {} must be within [0, {:g}] g/kWh", ci_ref_g_per_kwh,
                                 kMaxReferenceGPerKwh));
  }
}

void ChasePaperPolicy::begin(const PolicyJob& job) {
  job_ = job;
  history_weighted_ = 0;
  history_s_ = 0;
  reference_g_per_kwh_.reset();
  if (fixed_reference_g_per_kwh_ > 0) reference_g_per_kwh_ = fixed_reference_g_per_kwh_;
}

void ChasePaperPolicy::observe(UtcTime from, UtcTime until, CarbonIntensity actual) {
  // Only the history before the start counts: the reference is frozen there.
  if (reference_g_per_kwh_ || !(from < until) || job_.start < until) return;
  const double value = actual.g_per_kwh();
  if (!std::isfinite(value)) return;
  const double s = (until - from).seconds();
  history_weighted_ += s * value;
  history_s_ += s;
}

Power ChasePaperPolicy::decide(const FrameContext& frame) {
  const OperatingPoints& points = *job_.points;
  const double predicted = frame.predicted.g_per_kwh();
  if (!reference_g_per_kwh_) reference_g_per_kwh_ = history_s_ > 0 ? history_weighted_ / history_s_ : predicted;
  if (!(job_.work_units() - frame.work_done_units > 0)) return points.most_efficient().limit;

  const double reference = *reference_g_per_kwh_;
  const double reference_power_w = points.max_limit().limit.watts();
  const OperatingPoint* best = nullptr;
  double best_cost = std::numeric_limits<double>::infinity();
  for (const OperatingPoint& p : points.all()) {
    if (!(p.rate_per_s > 0)) continue;
    // g/kWh × W: both terms in the same unit; dividing by the rate makes it per unit of work.
    const double cost =
        (eta_ * p.power.watts() * predicted + (1.0 - eta_) * reference_power_w * reference) / p.rate_per_s;
    if (cost < best_cost) {
      best_cost = cost;
      best = &p;
    }
  }
  return best ? best->limit : points.fastest().limit;
}

}  // namespace chase
