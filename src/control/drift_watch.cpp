#include "control/drift_watch.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

std::string ProfileDrift::describe(const std::string& unit) const {
  const double change_pct = profile_rate_per_s > 0 ? (measured_rate_per_s / profile_rate_per_s - 1) * 100 : 0;
  return fmt::format("limit {:g} W: profile {:.4g} {}/s, measured {:.4g} {}/s ({:+.0f} %)", limit.watts(),
                     profile_rate_per_s, unit, measured_rate_per_s, unit, change_pct);
}

DriftWatch::DriftWatch(Policy& inner, DriftSettings settings, Listener on_drift)
    : inner_(&inner), settings_(settings), on_drift_(std::move(on_drift)) {
  if (!(settings_.threshold > 0 && settings_.threshold <= 10)) {
    throw InputError(fmt::format("drift threshold {} is not a fraction in (0, 10] (0.1 = 10 %)", settings_.threshold));
  }
  if (settings_.min_frames < 1) throw InputError(fmt::format("drift: {} frames is not at least one", settings_.min_frames));
}

void DriftWatch::begin(const PolicyJob& job) {
  inner_->begin(job);
  job_ = job;
  recent_.clear();
  own_.reset();
  drift_.reset();
  longest_frame_ = Duration();
  if (inner_->job_model() == nullptr) {
    // The same model a closed-loop chase keeps (chase_policy.cpp), fed the same frames.
    std::optional<double> max_rate;
    if (job.total_work_units && job.work_at_max.seconds() > 0) max_rate = *job.total_work_units / job.work_at_max.seconds();
    own_.emplace(*job.points, job.start, job.work_at_max, max_rate);
  }
}

const OnlineJobModel* DriftWatch::job_model() const {
  if (const OnlineJobModel* model = inner_->job_model()) return model;
  return own_ ? &*own_ : nullptr;
}

void DriftWatch::measured(const FrameMeasurement& frame) {
  inner_->measured(frame);
  if (own_) own_->add(frame);
  const Duration length = frame.until - frame.from;
  longest_frame_ = std::max(longest_frame_, length);
  if (drift_ || !frame.work_measured || job_.points == nullptr || !(length.seconds() > 0)) return;
  // The latest frames at this limit that cover the window (and no more than needed).
  const double window_s = longest_frame_.seconds() * static_cast<double>(settings_.min_frames);
  std::deque<Measured>& at = recent_[frame.limit.watts()];
  at.push_back({length.seconds(), frame.work_units});
  double seconds = 0;
  double units = 0;
  for (const Measured& m : at) {
    seconds += m.seconds;
    units += m.units;
  }
  while (at.size() > 1 && seconds - at.front().seconds >= window_s) {
    seconds -= at.front().seconds;
    units -= at.front().units;
    at.pop_front();
  }
  // A frame cut short (the job's end, a stop) may fall a hair short of the window: 1 % slack.
  if (seconds < 0.99 * window_s) return;
  const double profile_rate = job_.points->at(frame.limit).rate_per_s;
  const double rate = units / seconds;
  if (!(profile_rate > 0) || !std::isfinite(rate) || !(std::fabs(rate / profile_rate - 1) > settings_.threshold)) return;
  drift_ = ProfileDrift{frame.limit, profile_rate, rate, frame.until};
  if (on_drift_) on_drift_(*drift_);
}

std::optional<PowerProfile> DriftWatch::corrected_profile(const std::string& source) const {
  const OnlineJobModel* model = job_model();
  if (!drift_ || model == nullptr) return std::nullopt;
  return model->learned_profile(source);
}

}  // namespace chase
