#include "control/plan/plan_sweep.hpp"

#include <algorithm>

namespace chase {

bool is_better(const PlanEvaluation& a, const PlanEvaluation& b) {
  if (!a.feasible) return false;
  if (!b.feasible) return true;
  if (a.carbon_g != b.carbon_g) return a.carbon_g < b.carbon_g;
  return a.time_s < b.time_s;
}

PlanSweep::PlanSweep(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units)
    : points_(&points), frames_(frames), work_units_(work_units), sums_(frames.size()),
      frontier_step_(frames.size(), 0), point_(frames.size(), 0), frame_start_s_(frames.size() + 1, 0.0) {
  for (const auto& f : points.frontier()) frontier_in_all_.push_back(index_in_all(f.limit));
  for (std::size_t f = 0; f < frames.size(); ++f) {
    frame_start_s_[f + 1] = frame_start_s_[f] + frames[f].duration.seconds();
    point_[f] = frontier_in_all_[0];
    sums_.add(f, work(f, point_[f]), carbon(f, point_[f]));
  }
}

double PlanSweep::work(std::size_t f, std::size_t p) const {
  return frames_[f].duration.seconds() * points_->all()[p].rate_per_s;
}

double PlanSweep::carbon(std::size_t f, std::size_t p) const {
  return frames_[f].duration.seconds() * points_->all()[p].power.watts() * frames_[f].intensity.g_per_kwh() /
         kJoulesPerKwh;
}

void PlanSweep::set(std::size_t f, std::size_t p) {
  const std::size_t old = point_[f];
  sums_.add(f, work(f, p) - work(f, old), carbon(f, p) - carbon(f, old));
  point_[f] = p;
}

void PlanSweep::apply(const FrontierMove& m) {
  frontier_step_[m.frame] = m.step + 1;
  set(m.frame, frontier_in_all_[m.step + 1]);
}

// The frame where the work runs out may run any limit that finishes the rest within it (the
// least energy per unit is cheapest at the frame's intensity). So the job may also end one
// frame earlier than the frames' own limits say, if a faster limit there finishes it.
PlanEvaluation PlanSweep::evaluate() const {
  double work_before = 0;
  double carbon_before = 0;
  const std::size_t k = sums_.count_below(work_units_, work_before, carbon_before);
  PlanEvaluation best;
  if (k < frames_.size()) consider_last(k, work_before, carbon_before, best);
  if (k > 0) {
    const std::size_t f = k - 1;
    consider_last(f, work_before - work(f, point_[f]), carbon_before - carbon(f, point_[f]), best);
  }
  return best;
}

std::size_t PlanSweep::index_in_all(Power limit) const {
  const auto& all = points_->all();
  for (std::size_t p = 0; p < all.size(); ++p) {
    if (all[p].limit == limit) return p;
  }
  return 0;
}

// The job ends in `last` after `work_before` units in the frames before it: the limit there
// is the one with the least energy per unit (the fastest among equals) that finishes in time.
void PlanSweep::consider_last(std::size_t last, double work_before, double carbon_before, PlanEvaluation& best) const {
  const double remaining = std::max(0.0, work_units_ - work_before);
  const PlanFrame& frame = frames_[last];
  const auto& all = points_->all();
  std::size_t chosen = all.size();
  for (std::size_t p = 0; p < all.size(); ++p) {
    if (remaining > all[p].rate_per_s * frame.duration.seconds() + kPlanWorkTolerance * work_units_) continue;
    if (chosen == all.size() || all[p].energy_per_unit < all[chosen].energy_per_unit ||
        (all[p].energy_per_unit == all[chosen].energy_per_unit && all[p].rate_per_s > all[chosen].rate_per_s)) {
      chosen = p;
    }
  }
  if (chosen == all.size()) return;
  PlanEvaluation e;
  e.feasible = true;
  e.last_frame = last;
  e.last_point = chosen;
  e.last_units = remaining;
  e.carbon_g = carbon_before +
               remaining * all[chosen].energy_per_unit.joules() * frame.intensity.g_per_kwh() / kJoulesPerKwh;
  e.time_s = frame_start_s_[last] + remaining / all[chosen].rate_per_s;
  if (is_better(e, best)) best = e;
}

}  // namespace chase
