#pragma once
// Chase (Yang, Meng, Chung, Chowdhury 2023): per frame, the limit minimising the carbon-aware
// cost with the forecast intensity of that frame.
//
// The cost of a frame of length Δ at limit l is η·CI·Energy + (1−η)·CI_ref·MaxPower·Time, where
// Energy = P(l)·Δ and Time is what the frame adds to the job: Δ minus the time the maximum limit
// would have needed for the frame's work, Δ·(1 − rate(l)/rate(max)). Dropping the constant, the
// frame minimises CI·P(l)·Δ − v·rate(l)·Δ: its carbon minus the value of the work it gets
// done, at v = (1−η)/η · CI_ref · Energy-per-unit(max) grams per unit of work. CI_ref is the
// mean intensity of the last day.
//
// With a slowdown budget the price of time is not a free knob: at every frame, v is set so
// that the work left fits the time left if the intensity of the rest of the job is distributed
// like a day-ahead scenario — the last day's intensity, shifted by today's departure from it,
// which fades over kAnomalyFadeS, with its departure from the current forecast shrunk to
// kDepartureShrink (the future moves away from now less than yesterday did) — and never below
// CI_ref × the least energy per unit (what the same work costs if it is left for the end of the
// job). Every price between two scenario intensities that would flip a frame plans the same,
// so v is the middle of that range, not its lower edge: with a budget of exactly one limit's
// slowdown (a peer that holds one limit all day) one actual frame a little off its scenario
// value does not flip the job to the next limit and back. The deadline is the budget's exact
// time, not rounded to the clock (PolicyJob::allowed_time), and the guard compares times. Early
// in the job the price carries a small premium: budget spent on slowing down cannot be had
// back. Feedback from the real progress corrects what the scenario gets wrong, and a guard keeps
// the job able to finish by the deadline at the fastest limit, so the budget holds whatever the
// forecast does.
//
// Closed loop (the default): the policy counts the job's work from its measured progress and
// corrects its picture of the job from every frame's measured work and energy
// (online_job_model.hpp): the rates and powers at the limits it ran, the job's current speed,
// and the deadline that moves when the whole job slows down. The guard then works on measured
// progress at the measured speed, so a profile that is too optimistic cannot make the job late.
// Open loop (`chase-open-loop`, what chase did before, and what `chase run --work-hours` still
// does without a progress file): the profile is believed exactly, and the work done is the
// profile's rate integrated over the limits set.
//
// Chase chooses among the limits on the profile's Pareto front only. A limit that another beats
// on both time and energy can still pay off (the offline oracle uses them: run it in a very
// dirty frame, do the work it skipped at the end of the job), but only as a bet on the
// intensity at the end of the job; online, over the benchmark's 144,000 runs, those bets lost
// slightly more than they won.

#include <deque>
#include <optional>
#include <vector>

#include "control/online_job_model.hpp"
#include "control/policy.hpp"

namespace chase {

class ChasePolicy final : public Policy {
 public:
  enum class Loop { kClosed, kOpen };
  explicit ChasePolicy(double eta, Loop loop = Loop::kClosed);
  std::string name() const override { return loop_ == Loop::kClosed ? "chase" : "chase-open-loop"; }
  void begin(const PolicyJob& job) override;
  void observe(UtcTime from, UtcTime until, CarbonIntensity actual) override;
  Power decide(const FrameContext& frame) override;
  void measured(const FrameMeasurement& frame) override;

  // The closed loop's picture of the job (null in the open loop, and before begin()).
  const OnlineJobModel* job_model() const override { return model_ ? &*model_ : nullptr; }

  // The price of work (grams of CO2e per unit) behind the last decision, for decision logs.
  double last_work_value_g_per_unit() const { return last_work_value_g_; }

 private:
  struct Observed {  // a run of equal intensity, epoch seconds
    double from_s;
    double until_s;
    double intensity_g_per_kwh;
  };
  struct ScenarioPoint {
    double intensity_g_per_kwh;
    double weight_s;
  };
  double reference_intensity(double fallback_g_per_kwh) const;
  void build_scenario(UtcTime now, double predicted_g_per_kwh, double horizon_s);
  double expected_rate(double work_value_g) const;
  double budget_work_value(double remaining_units, double time_left_s);
  double middle_of_step(double least_g) const;

  // When the job may end at the latest, seconds after its start; none without a budget.
  std::optional<double> deadline_after_start_s() const;
  // The closed loop's choices from its picture of the job.
  void refresh_choices();

  double eta_;
  Loop loop_;
  PolicyJob job_;
  std::optional<OnlineJobModel> model_;  // closed loop
  double modelled_done_units_ = 0;       // open loop: the profile's rate over the limits set
  std::optional<OperatingPoints> choices_;  // the job's profile, efficient limits only
  std::deque<Observed> history_;  // the last day, in time order
  std::vector<ScenarioPoint> scenario_points_;
  std::vector<double> scenario_intensity_;  // ascending
  std::vector<double> scenario_weight_below_;  // [i]: weight of scenario_intensity_[0, i)
  double last_work_value_g_ = 0;
  double last_budget_value_g_ = 0;  // where the last search for the price ended
};

PolicyEntry chase_policy_entry();
PolicyEntry chase_open_loop_policy_entry();

}  // namespace chase
