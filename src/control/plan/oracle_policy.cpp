#include "control/plan/oracle_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

OraclePolicy::OraclePolicy(const IntensityTrace& future, const SpeedChanges* changes)
    : future_(&future), changes_(changes ? *changes : SpeedChanges{}), own_grid_(FrameGrid::of_trace(future)) {}

void OraclePolicy::begin(const PolicyJob& job) {
  job_ = job;
  if (job_.grid == nullptr) job_.grid = &own_grid_;
  exact_end_s_.reset();
  if (const auto allowed = job.allowed_time()) {
    // The clock counts milliseconds: the horizon is the first one at or after the true end, and
    // the frame that reaches it is only as long as the time the budget really leaves.
    horizon_ = job.start + Duration::milliseconds(std::ceil(allowed->milliseconds()));
    exact_end_s_ = allowed->seconds();
  } else {
    // No budget: any plan finishes by the time the slowest limit would take.
    horizon_ = job.start + job.work_at_max * job.points->slowest_time_ratio();
  }
  if (future_->end() < horizon_) {
    horizon_ = future_->end();
    exact_end_s_.reset();  // the trace ends first
  }
  plan_from(job.start, 0.0);
}

void OraclePolicy::plan_from(UtcTime from, double work_done_units) {
  std::vector<PlanFrame> frames;
  std::vector<UtcTime> starts;
  if (!future_->covers(from)) {
    throw InputError(fmt::format("oracle: {} is outside the trace {} ({} to {})", from.iso8601(), future_->source(),
                                 future_->start().iso8601(), future_->end().iso8601()));
  }
  const IntensityIntegral future(*future_, from, horizon_);
  for (UtcTime t = from; t < horizon_;) {
    const UtcTime until = std::min(job_.grid->next_boundary(t), horizon_);
    const Duration length = until == horizon_ && exact_end_s_
                                ? Duration::seconds(std::max(0.0, *exact_end_s_ - (t - job_.start).seconds()))
                                : until - t;
    if (changes_.none()) {
      frames.push_back({length, CarbonIntensity::g_per_kwh(future.mean(t, until))});
    } else {
      // The frame as the planner sees it: the time at the profiled rate its work is worth, at
      // the intensity that makes power × that time the carbon of its working part (a stall's
      // carbon does not depend on the limit).
      double worth_s = 0;
      double working_integral = 0;
      const double offset_s = (t - job_.start).seconds();
      for (const SpeedChanges::Piece& piece : changes_.pieces(offset_s, offset_s + length.seconds())) {
        if (piece.stalled()) continue;
        const double at_s = t.epoch_seconds() + (piece.from_s - offset_s);
        worth_s += piece.speed * (piece.until_s - piece.from_s);
        working_integral += future.integral(at_s, at_s + (piece.until_s - piece.from_s));
      }
      const double minimum_s = 1e-9;
      frames.push_back({Duration::seconds(std::max(worth_s, minimum_s)),
                        CarbonIntensity::g_per_kwh(worth_s > minimum_s ? working_integral / worth_s : 0.0)});
    }
    starts.push_back(t);
    t = until;
  }
  const double remaining = job_.work_units() - work_done_units;
  const CarbonPlan plan = plan_min_carbon(*job_.points, frames, remaining);
  plan_.clear();
  cursor_ = 0;
  if (!plan.feasible) {
    // Behind any feasible plan (or the trace ends too soon): the fastest limit loses least.
    return;
  }
  double work = work_done_units;
  for (std::size_t f = 0; f < plan.points.size(); ++f) {
    const OperatingPoint& p = job_.points->all()[plan.points[f]];
    plan_.push_back({starts[f], p.limit, work});
    work += frames[f].duration.seconds() * p.rate_per_s;
  }
}

Power OraclePolicy::decide(const FrameContext& frame) {
  while (cursor_ < plan_.size() && plan_[cursor_].from < frame.from) ++cursor_;
  const double tolerance = 1e-9 * job_.work_units();
  const bool on_plan = cursor_ < plan_.size() && plan_[cursor_].from == frame.from &&
                       std::fabs(plan_[cursor_].work_before_units - frame.work_done_units) <= tolerance;
  if (!on_plan) {
    plan_from(frame.from, frame.work_done_units);
    if (plan_.empty()) return job_.points->fastest().limit;
  }
  return plan_[cursor_].limit;
}

PolicyEntry oracle_policy_entry() {
  return {.name = "oracle", .description = "the offline optimum: reads the true intensity of the whole job and plans the "
                                           "least-carbon limits within the budget (simulation only)",
          .needs_future = true, .in_default_benchmark = true,
          .make = [](const PolicyOptions& o) { return std::make_unique<OraclePolicy>(*o.future, o.speed_changes); }};
}

}  // namespace chase
