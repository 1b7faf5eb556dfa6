#pragma once
// Watches a live run for a job that does not run as its profile says: a policy wrapper that
// passes every call through to the policy it wraps and, after each measured frame, compares the
// rate measured at that frame's limit over its latest `min_frames` frames' time (the longest frame
// seen so far, times min_frames) with the profile's row. Once one departs by more than
// `threshold`, the run has drifted: the listener is told once, and the corrected profile is what
// `--save-profile` writes at the end of the run.
//
// The corrected profile is the job model's (OnlineJobModel::learned_profile: the policy's own
// model, Policy::job_model(), or one the watch keeps for a policy without one): the rate and
// power learned at each limit, at the job's starting speed, which is where the job's next run
// starts. The model weighs a profile row as kPriorS (10 minutes) of measurement, so a limit run
// for less than that is corrected only part of the way; and a job that slows down as a whole (an
// evaluation phase, a slower dataset; at the maximum limit, whose rate the job's stated length
// fixes, any slowdown) is reported as drift all the same but learned as the job's speed, so its
// rows change little.
//
// Only measured work shows drift: with work modelled from the profile (no progress reported) the
// rates always match it.

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "control/online_job_model.hpp"
#include "control/policy.hpp"
#include "energy/power_profile.hpp"

namespace chase {

struct DriftSettings {
  double threshold = 0.10;  // relative departure of a limit's measured rate from its profile row
  int min_frames = 3;       // the rate at a limit is taken over this many (longest) frames' time
};

// How the job departed from its profile where it was first seen: the limit and the rates
// (iterations, or the profile's unit of work, per second; the measured one over the latest
// min_frames frames' time at the limit).
struct ProfileDrift {
  Power limit;
  double profile_rate_per_s = 0;
  double measured_rate_per_s = 0;
  UtcTime seen_at;  // the end of the frame that showed it

  // "limit 200 W: profile 10.5 iterations/s, measured 6.2 iterations/s (-41 %)"
  std::string describe(const std::string& unit = "iterations") const;
};

class DriftWatch final : public Policy {
 public:
  using Listener = std::function<void(const ProfileDrift&)>;
  // `inner` is borrowed and must outlive the watch. Throws InputError for a threshold that is not
  // in (0, 10] or min_frames < 1.
  DriftWatch(Policy& inner, DriftSettings settings, Listener on_drift = {});

  std::string name() const override { return inner_->name(); }
  void begin(const PolicyJob& job) override;
  void observe(UtcTime from, UtcTime until, CarbonIntensity actual) override { inner_->observe(from, until, actual); }
  Power decide(const FrameContext& frame) override { return inner_->decide(frame); }
  void measured(const FrameMeasurement& frame) override;
  const OnlineJobModel* job_model() const override;

  // The first drift seen since begin(); nullopt while the job runs as profiled.
  const std::optional<ProfileDrift>& drift() const { return drift_; }
  // The profile as learned from the run (time and energy per unit of work at each limit, at the
  // job's starting speed), once it drifted; nullopt before (or without begin()).
  std::optional<PowerProfile> corrected_profile(const std::string& source) const;

 private:
  struct Measured {  // one measured frame at a limit
    double seconds;
    double units;
  };
  Policy* inner_;
  DriftSettings settings_;
  Listener on_drift_;
  PolicyJob job_;
  std::map<double, std::deque<Measured>> recent_;  // by limit (W): the latest frames, oldest first
  std::optional<OnlineJobModel> own_;  // for a policy without a job model of its own
  Duration longest_frame_;
  std::optional<ProfileDrift> drift_;
};

}  // namespace chase
