#pragma once
// What a closed-loop policy believes about the job while it runs: the power profile it started
// with, corrected by what every frame measured (the work done, from the job's progress, and the
// energy drawn), and how fast the job runs now compared with when it started.
//
// The model. At limit l and time t the job does work at rate(l) × speed(t) and draws power(l):
//  - rate(l) and power(l) are the job's own, learned per limit: the profile's value is a prior
//    worth kPriorS seconds of measurement less the seconds measured, so a frame or two at a
//    limit replaces a wrong row, and after kPriorS only what was measured counts.
//    A limit not run yet takes its profile row scaled by how far the measured limits were from
//    theirs (a profile 10 % too fast at the limits seen is likely 10 % too fast at the others).
//  - speed(t) = running speed × (1 − stall share). The running speed is 1 at the start (the
//    speed at which the job's length was stated) and follows what repeated limits show: a
//    limit that now does less work than it did before means the whole job slowed (an
//    evaluation phase, a slower dataset), not that the limit is slower; a time-weighted mean
//    with a half-life of kSpeedHalfLifeS, fed only once the job has departed from its profile
//    (so the first change moves it at once). A frame doing less than kStallShare of what its
//    limit does stalled (a data-loader wait, a checkpoint): it feeds the stall share (half-life
//    kTrendHalfLifeS) and the longest stall seen, and teaches neither the limit nor the running
//    speed.
//  A frame at a limit that has little history mostly teaches that limit; one at a well-known
//  limit mostly teaches the speed. The maximum limit's rate, when the job states it (a length
//  in hours and a count of units), is not relearned: it defines speed 1.
//
// From the speed history it estimates when the `max` baseline — the same job at the maximum
// limit, with the same speed changes — would finish, which moves the deadline of a slowdown
// budget with the job: a job that slows down for everyone keeps its budget. The rest of the
// baseline runs at the current speed. Constants were chosen on the policy benchmark
// (BENCHMARKS.md, "Closed loop"): gb-2020 and fr-2020 first, checked on ercot-2022 and bpa-2022.
//
// While every measurement matches the profile (to 1e-9), the model is exactly the profile and
// the deadline exactly the stated one, so a job that runs as profiled is decided as before.
// Cheap: O(limits) per frame.

#include <optional>
#include <vector>

#include "control/operating_points.hpp"
#include "control/policy.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"
#include "energy/power_profile.hpp"

namespace chase {

class OnlineJobModel {
 public:
  // How much a profile row weighs against measurement (seconds of measuring at that limit).
  static constexpr double kPriorS = 300;
  // How fast the speed estimate forgets (seconds of the job's time).
  static constexpr double kSpeedHalfLifeS = 3600;
  // How fast the lasting speed (what the rest of the job is expected to run at) forgets.
  static constexpr double kTrendHalfLifeS = 6 * 3600;
  // A frame that does less than this share of what its limit does at the current speed stalled
  // (a data-loader wait, a checkpoint): it teaches the job's speed, never the limit's rate.
  static constexpr double kStallShare = 0.5;
  // The share of the time future stalls are expected to add to the baseline that moves the
  // deadline.
  static constexpr double kCountedStallTime = 1.0;
  // How much of its own history a limit needs before it says anything about the speed.
  static constexpr double kSpeedEvidenceS = 600;
  // Speeds within this of 1 do not move the baseline: measurement noise, not a slower job.
  static constexpr double kSpeedDeadBand = 0.02;

  // The job's profile (borrowed, must outlive the model), start, and length at the maximum limit
  // at speed 1. `max_rate_per_s`: the job's measured rate at the maximum limit when it is known
  // better than the profile's row (the unit count of a stated job length); none: the row's.
  OnlineJobModel(const OperatingPoints& profile, UtcTime start, Duration work_at_max,
                 std::optional<double> max_rate_per_s = std::nullopt);

  // One measured frame of the job. A frame whose work is modelled (not measured) teaches power
  // only; one without an energy reading teaches rate and speed only.
  void add(const FrameMeasurement& frame);

  // Whether any measurement so far departed from the profile.
  bool departed() const { return departed_; }
  // Whether any frame's work was measured (a progress count) rather than modelled.
  bool measures_work() const { return work_measured_; }
  // The job's speed now (1: as at the start).
  double speed() const { return speed_; }
  // The job as it runs now: every profiled limit at its learned power and its learned rate ×
  // the current speed. The profile itself until a measurement departs from it.
  const OperatingPoints& points_now() const { return departed_ ? *now_ : *profile_; }
  // The fastest limit whose rate is known rather than believed: the maximum limit (its rate is
  // the job's stated one) or one measured for at least kPriorS. What a budget guard may count
  // on to catch up; a profile row nobody measured may promise a speed the job does not have.
  const OperatingPoint& fastest_known() const;
  // Whether the rate at this limit is known (measured for kPriorS, or nothing has contradicted
  // the profile) rather than a profile row's promise.
  bool known(Power limit) const;
  // Whether the job has run at this limit at all (the maximum limit's rate is stated: tried).
  bool tried(Power limit) const;
  // How much of an unknown limit's promised work a guard should count on: the rows measured so
  // far say little about the error of the next one (on the benchmark, scaling by the errors seen
  // still let a row 6 % too fast make the job late).
  static constexpr double kUnknownRateShare = 0.5;
  // The most benefit of the doubt an untried limit gets (a fraction off its power).
  static constexpr double kMostDoubt = 0.25;
  // Learned at speed 1, as a power profile (time and energy per unit of work at each limit):
  // what `--save-profile` writes once the job has drifted from its profile.
  PowerProfile learned_profile(const std::string& source) const;
  // The longest stall seen (seconds of consecutive stalled frames): what a guard keeps in
  // reserve, since the next stall may come just before the deadline.
  Duration stall_reserve() const { return Duration::seconds(longest_stall_s_); }
  // When the `max` baseline would finish: the stated length while the speed never changed; else
  // from the speed seen so far and, for the rest, the speed now. `now` is the end of the last
  // measured frame.
  UtcTime baseline_end() const;

 private:
  struct Limit {
    double seconds = 0;        // measured at this limit
    double nominal_units = 0;  // work done here ÷ the speed at the time
    double rated_seconds = 0;  // seconds of it with measured work
    double metered_seconds = 0;
    double joules = 0;
    double prior_rate = 0;     // the profile's row (the max limit: max_rate_per_s)
    double prior_power_w = 0;
    bool rate_stated = false;  // the prior rate is the job's stated one, not a profile row's
  };
  std::size_t index_of(Power limit) const;
  double learned_rate(const Limit& l, double rate_scale) const;
  double learned_power(const Limit& l, double power_scale) const;
  // Measured over believed, rate and power, over the limits measured: what an untried limit's
  // row is scaled by.
  double rate_scale() const;
  double power_scale() const;
  // Σ measured_total over Σ measured_seconds × prior_per_s, the maximum limit's prior worth kPriorS.
  double measured_over_believed(double Limit::*measured_total, double Limit::*measured_seconds,
                                double Limit::*prior_per_s) const;
  void rebuild();

  const OperatingPoints* profile_;
  UtcTime start_;
  Duration work_at_max_;
  std::vector<Limit> limits_;  // in profile_->all() order
  // speed = running speed × (1 − the share of time stalled)
  double running_ = 1;  // how fast the job runs when it is not stalled, over kSpeedHalfLifeS
  double running_weight_s_ = kPriorS;
  double stall_share_ = 0;  // over kTrendHalfLifeS
  double stalled_run_s_ = 0;    // the stall going on (consecutive stalled frames)
  double longest_stall_s_ = 0;
  double stall_weight_s_ = kPriorS;
  double speed_ = 1;
  double nominal_seconds_ = 0;       // ∫ speed dt: the baseline's progress, in seconds at speed 1
  double ran_s_ = 0;                 // the job's time up to the last measured frame
  bool departed_ = false;
  bool work_measured_ = false;
  bool speed_changed_ = false;
  std::optional<OperatingPoints> now_;
};

}  // namespace chase
