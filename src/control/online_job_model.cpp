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
  // A rate the job stated defines its length (and the speed 1 its changes are measured from):
  // it is not relearned, and other rows' errors say nothing about it.
  if (l.rate_stated) return l.prior_rate;
  const double scale = rate_scale;
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
    work_measured_ = true;
    // What this limit was expected to do at speed 1, before this frame.
    const double expected = learned_rate(l, rate_scale()) * ran_s;
    if (differs(frame.work_units, expected * speed_)) departed_ = true;
    // What this frame says about the job's speed. A frame far below what its limit does stalled
    // (a data-loader wait, a checkpoint): it counts towards the share of time the job stalls,
    // whatever the limit, and teaches neither the limit nor the job's running speed. Otherwise a
    // limit doing less (or more) than it measured before is the job running at another speed;
    // the first frames at a limit teach the limit (what the profile did not say), not the speed.
    // A rate the job stated (the maximum limit's) is known without measuring it: a frame there
    // that does less is the job slowing down, from the first frame on.
    const double limit_rate = l.rate_stated ? l.prior_rate
                              : l.rated_seconds > 0 ? l.nominal_units / l.rated_seconds
                                                    : expected / ran_s;
    const double observed = limit_rate > 0 ? frame.work_units / (limit_rate * ran_s) : running_;
    const auto blend = [ran_s](double& value, double& weight_s, double half_life_s, double sample, double weight) {
      weight_s *= std::exp(-ran_s * std::log(2.0) / half_life_s);
      if (!(weight > 0)) return;
      value = (value * weight_s + sample * weight) / (weight_s + weight);
      weight_s += weight;
    };
    double frame_speed = running_ * (1 - stall_share_);
    if (std::isfinite(observed)) {
      const bool stalled = observed < kStallShare * running_;
      const double stalled_share = stalled ? std::clamp(1 - observed / running_, 0.0, 1.0) : 0.0;
      blend(stall_share_, stall_weight_s_, kTrendHalfLifeS, stalled_share, ran_s);
      if (stalled) {
        frame_speed = observed;
        stalled_run_s_ += ran_s * stalled_share;
        longest_stall_s_ = std::max(longest_stall_s_, stalled_run_s_);
      } else {
        stalled_run_s_ = 0;
        const double confidence = l.rate_stated ? 1.0 : l.rated_seconds / (l.rated_seconds + kSpeedEvidenceS);
        // What the frame says, for the limit's own learning and the baseline's progress.
        const double running_now = confidence * observed + (1 - confidence) * running_;
        // The estimates move by the evidence: as fast as a well-known limit says (a guard that
        // believes a slowed job is still fast makes it late).
        // (Frames that ran as profiled carry no weight: the first change moves the estimate at
        // once instead of fighting hours of "as before".)
        const double evidence = departed_ ? confidence * ran_s : 0.0;
        blend(running_, running_weight_s_, kSpeedHalfLifeS, observed, evidence);
        l.nominal_units += frame.work_units / running_now;
        l.rated_seconds += ran_s;
        frame_speed = running_now;
      }
    }
    speed_ = running_ * (1 - stall_share_);
    nominal_seconds_ += ran_s * frame_speed;
  } else {
    nominal_seconds_ += ran_s * speed_;
  }
  // The baseline moves once the job's lasting speed differs from the start by more than noise.
  if (std::fabs(speed_ - 1.0) > kSpeedDeadBand) speed_changed_ = true;
  if (frame.energy_per_gpu && std::isfinite(frame.energy_per_gpu->joules()) && frame.energy_per_gpu->joules() >= 0) {
    if (differs(frame.energy_per_gpu->joules(), l.prior_power_w * ran_s)) departed_ = true;
    l.joules += frame.energy_per_gpu->joules();
    l.metered_seconds += ran_s;
  }
  if (departed_) rebuild();
}

double OnlineJobModel::measured_over_believed(double Limit::*measured_total, double Limit::*measured_seconds,
                                              double Limit::*prior_per_s) const {
  // The maximum limit's row at prior weight keeps the ratio at 1 before anything is measured.
  double measured = limits_.front().*prior_per_s * kPriorS;
  double believed = measured;
  for (const Limit& m : limits_) {
    measured += m.*measured_total;
    believed += m.*measured_seconds * m.*prior_per_s;
  }
  return measured / believed;
}

double OnlineJobModel::rate_scale() const {
  return measured_over_believed(&Limit::nominal_units, &Limit::rated_seconds, &Limit::prior_rate);
}

double OnlineJobModel::power_scale() const {
  return measured_over_believed(&Limit::joules, &Limit::metered_seconds, &Limit::prior_power_w);
}

void OnlineJobModel::rebuild() {
  const double rates = rate_scale();
  const double powers = power_scale();
  // How wrong the rows measured so far were (energy per unit, relative): a limit not run yet is
  // given the benefit of that doubt, so that a row that noise made look dominated is tried once
  // rather than never (the guard counts on only part of an unknown limit's work).
  double doubt = 0;
  for (std::size_t i = 0; i < limits_.size(); ++i) {
    const Limit& m = limits_[i];
    if (m.rated_seconds <= 0 || m.metered_seconds <= 0 || m.rate_stated) continue;
    const double measured_epu = (m.joules / m.metered_seconds) / (m.nominal_units / m.rated_seconds);
    const double believed_epu = m.prior_power_w / m.prior_rate;
    doubt = std::max(doubt, std::fabs(measured_epu / believed_epu - 1.0));
  }
  doubt = std::min(doubt, kMostDoubt);
  std::vector<OperatingPoint> points;
  const auto& all = profile_->all();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const bool untried = limits_[i].rated_seconds <= 0 && !limits_[i].rate_stated;
    const double rate = std::max(learned_rate(limits_[i], rates) * speed_, 1e-12);
    const Power power =
        Power::watts(std::max(learned_power(limits_[i], powers), 1e-9) * (untried ? 1.0 - doubt : 1.0));
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
  // Without measured work the rates are the profile's, which is also what counts the work —
  // unless the job stated its length in measured units (its rate at the maximum limit): then
  // its work will be measured, and a row nobody ran is a promise from the first frame on.
  if (!departed_ || (!work_measured_ && !limits_.front().rate_stated)) return true;
  const std::size_t i = index_of(limit);
  return i == 0 || (i < limits_.size() && limits_[i].rated_seconds >= kPriorS);
}

bool OnlineJobModel::tried(Power limit) const {
  const std::size_t i = index_of(limit);
  return i < limits_.size() && (limits_[i].rated_seconds > 0 || limits_[i].rate_stated);
}

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

UtcTime OnlineJobModel::baseline_end() const {
  if (!speed_changed_) return start_ + work_at_max_;
  const double stated_s = work_at_max_.seconds();
  // The rest at the lasting speed, not at the last hour's (a stall just now says little about
  // the next ten hours). Of the time future stalls add, only part is counted on: whether the
  // baseline's end falls just before a stall or just after one is not knowable from their share.
  const double running = std::max(running_, 1e-3);
  const double stalls = std::clamp(stall_share_, 0.0, 0.99);
  const auto future_s = [&](double nominal_s) {
    const double unstalled_s = nominal_s / running;
    return unstalled_s + kCountedStallTime * (unstalled_s / (1 - stalls) - unstalled_s);
  };
  const double speed = std::max(speed_, 1e-3);
  const double counted_s = nominal_seconds_ < stated_s ? ran_s_ + future_s(stated_s - nominal_seconds_)
                                                       : std::max(0.0, ran_s_ - (nominal_seconds_ - stated_s) / speed);
  return start_ + Duration::seconds(counted_s);
}

}  // namespace chase
