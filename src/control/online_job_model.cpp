#include "control/online_job_model.hpp"

#include <algorithm>
#include <cmath>

namespace chase {
namespace {

// Measurements within this of the profile are the profile (rounding, not departure).
constexpr double kSameRelative = 1e-9;

bool differs(double measured, double expected) {
  return std::fabs(measured - expected) > kSameRelative * std::max(std::fabs(expected), 1e-300);
}

}  // namespace

OnlineJobModel::OnlineJobModel(const OperatingPoints& profile, UtcTime start, Duration work_at_max,
                               std::optional<double> max_rate_per_s)
    : profile_(&profile), start_(start), work_at_max_(work_at_max) {
  for (const OperatingPoint& p : profile.all()) limits_.push_back({.prior_rate = p.rate_per_s, .prior_power_w = p.power.watts()});
  if (max_rate_per_s && *max_rate_per_s > 0 && std::isfinite(*max_rate_per_s)) {
    // all() is highest limit first: the maximum limit is the first.
    limits_.front().rate_stated = true;
    if (differs(*max_rate_per_s, limits_.front().prior_rate)) {
      limits_.front().prior_rate = *max_rate_per_s;
      departed_ = true;
      rebuild();
    }
  }
}

std::size_t OnlineJobModel::index_of(Power limit) const {
  const auto& all = profile_->all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].limit == limit) return i;
  }
  return all.size();
}

namespace {

// How much a profile row still weighs after `measured_s` of measurement at its limit: all of
// kPriorS at first, nothing once the limit has been measured for as long (a job must not stay
// late by a fraction of a wrong row's error forever).
double prior_weight_s(double measured_s) {
  return std::max(0.0, OnlineJobModel::kPriorS - measured_s);
}

}  // namespace

double OnlineJobModel::learned_rate(const Limit& l, double rate_scale) const {
  const double prior_s = prior_weight_s(l.rated_seconds);
  // Other rows' errors say nothing about a rate the job stated.
  const double scale = l.rate_stated ? 1.0 : rate_scale;
  return (prior_s * l.prior_rate * scale + l.nominal_units) / (prior_s + l.rated_seconds);
}

double OnlineJobModel::learned_power(const Limit& l, double power_scale) const {
  const double prior_s = prior_weight_s(l.metered_seconds);
  return (prior_s * l.prior_power_w * power_scale + l.joules) / (prior_s + l.metered_seconds);
}

void OnlineJobModel::add(const FrameMeasurement& frame) {
  const double ran_s = (frame.until - frame.from).seconds();
  const std::size_t i = index_of(frame.limit);
  if (!(ran_s > 0) || i == limits_.size()) return;
  ran_s_ = std::max(ran_s_, (frame.until - start_).seconds());
  Limit& l = limits_[i];
  if (frame.work_measured && frame.work_units >= 0 && std::isfinite(frame.work_units)) {
    // What this limit was expected to do at speed 1, before this frame.
    double rate_scale = 1;
    {
      double measured = limits_.front().prior_rate * kPriorS;
      double believed = measured;
      for (const Limit& m : limits_) {
        measured += m.nominal_units;
        believed += m.rated_seconds * m.prior_rate;
      }
      rate_scale = measured / believed;
    }
    const double expected = learned_rate(l, rate_scale) * ran_s;
    if (differs(frame.work_units, expected * speed_)) departed_ = true;
    if (departed_ && l.rated_seconds > 0) {
      // A limit doing less (or more) than it measured before is the job changing speed; the
      // first frames at a limit teach the limit (what the profile did not say) and not the speed.
      const double before = l.nominal_units / l.rated_seconds;
      const double observed_speed = frame.work_units / (before * ran_s);
      const double confidence = l.rated_seconds / (l.rated_seconds + kSpeedEvidenceS);
      const double decay = std::exp(-ran_s * std::log(2.0) / kSpeedHalfLifeS);
      const double weight = confidence * ran_s;
      speed_weight_s_ *= decay;
      if (weight > 0 && std::isfinite(observed_speed)) {
        speed_ = (speed_ * speed_weight_s_ + observed_speed * weight) / (speed_weight_s_ + weight);
        speed_weight_s_ += weight;
      }
    }
    l.nominal_units += frame.work_units / speed_;
    l.rated_seconds += ran_s;
  }
  // The baseline's progress moves with the job's speed once that differs from the start by more
  // than noise: a deadline that wanders with every stall would spend budget it does not have.
  const double baseline_speed = std::fabs(speed_ - 1.0) > kSpeedDeadBand ? speed_ : 1.0;
  nominal_seconds_ += ran_s * baseline_speed;
  if (baseline_speed != 1.0) speed_changed_ = true;
  if (frame.energy_per_gpu && std::isfinite(frame.energy_per_gpu->joules()) && frame.energy_per_gpu->joules() >= 0) {
    if (differs(frame.energy_per_gpu->joules(), l.prior_power_w * ran_s)) departed_ = true;
    l.joules += frame.energy_per_gpu->joules();
    l.metered_seconds += ran_s;
  }
  if (departed_) rebuild();
}

void OnlineJobModel::rebuild() {
  double measured_units = limits_.front().prior_rate * kPriorS;
  double believed_units = measured_units;
  double measured_j = limits_.front().prior_power_w * kPriorS;
  double believed_j = measured_j;
  for (const Limit& m : limits_) {
    measured_units += m.nominal_units;
    believed_units += m.rated_seconds * m.prior_rate;
    measured_j += m.joules;
    believed_j += m.metered_seconds * m.prior_power_w;
  }
  const double rate_scale = measured_units / believed_units;
  const double power_scale = measured_j / believed_j;
  std::vector<OperatingPoint> points;
  const auto& all = profile_->all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const double rate = std::max(learned_rate(limits_[i], rate_scale) * speed_, 1e-12);
    const Power power = Power::watts(std::max(learned_power(limits_[i], power_scale), 1e-9));
    points.push_back({all[i].limit, power, rate, power * Duration::seconds(1.0 / rate), Duration::seconds(1.0 / rate)});
  }
  now_.emplace(std::move(points));
}

const OperatingPoint& OnlineJobModel::fastest_known() const {
  // Nothing measured has contradicted the profile: it is as good as measured.
  if (!departed_) return profile_->fastest();
  const auto& points = points_now().all();  // the profile's order: limits_[i] is points[i]
  std::size_t best = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (limits_[i].rated_seconds >= kPriorS && points[i].rate_per_s > points[best].rate_per_s) best = i;
  }
  return points[best];
}

bool OnlineJobModel::known(Power limit) const {
  if (!departed_) return true;
  const std::size_t i = index_of(limit);
  return i == 0 || (i < limits_.size() && limits_[i].rated_seconds >= kPriorS);
}

double OnlineJobModel::unknown_rate_share() const { return kUnknownRateShare; }

PowerProfile OnlineJobModel::learned_profile(const std::string& source) const {
  std::vector<ProfilePoint> rows;
  const OperatingPoints& now = points_now();
  for (const OperatingPoint& p : now.all()) {
    // At speed 1: the job's rate without the change it is going through now.
    const double rate = p.rate_per_s / (departed_ ? speed_ : 1.0);
    rows.push_back({p.limit, Duration::seconds(1.0 / rate), p.power * Duration::seconds(1.0 / rate)});
  }
  return PowerProfile(source, std::move(rows));
}

double OnlineJobModel::largest_rate_departure(Duration min_measured) const {
  double largest = 0;
  const auto& all = profile_->all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Limit& l = limits_[i];
    if (l.rated_seconds < min_measured.seconds() || l.rated_seconds <= 0) continue;
    const double measured = l.nominal_units / l.rated_seconds;
    largest = std::max(largest, std::fabs(measured / all[i].rate_per_s - 1.0));
  }
  return largest;
}

UtcTime OnlineJobModel::baseline_end() const {
  if (!speed_changed_) return start_ + work_at_max_;
  const double stated_s = work_at_max_.seconds();
  const double speed = std::fabs(speed_ - 1.0) > kSpeedDeadBand ? std::max(speed_, 1e-3) : 1.0;
  const double baseline_s = nominal_seconds_ < stated_s ? ran_s_ + (stated_s - nominal_seconds_) / speed
                                                        : std::max(0.0, ran_s_ - (nominal_seconds_ - stated_s) / speed);
  return start_ + Duration::seconds(baseline_s);
}

}  // namespace chase
