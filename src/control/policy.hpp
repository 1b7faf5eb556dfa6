#pragma once
// A power-limit policy: at every frame boundary it picks the limit for the frame. One interface
// for the live controller and the simulator (both run the frame loop, frame_loop.hpp); one
// file per policy, registered with one line in policy_registry.cpp. No policy pauses the job:
// every frame runs at some profiled limit.
//
// Slowdown is measured against the `max` baseline on the same inputs: a job of work that takes
// work_at_max at the maximum limit must finish by start + work_at_max × (1 + budget).

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "control/frame_grid.hpp"
#include "control/operating_points.hpp"
#include "control/speed_changes.hpp"
#include "core/registry.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

class OnlineJobModel;

// What a policy knows about the job when it starts. The pointed-to objects outlive the run.
struct PolicyJob {
  const OperatingPoints* points = nullptr;
  const FrameGrid* grid = nullptr;        // null: frames follow the intensity feed's own steps
  UtcTime start;
  Duration work_at_max;                   // how long the job takes at the maximum limit
  std::optional<double> slowdown_budget;  // fraction (0.025 = +2.5 %); none: the policy's own trade-off
  // The job's work in measured units (the steps a progress file or the training loop counts,
  // the unit of `points`' rates); none: work_at_max at the profile's rate at the maximum limit.
  std::optional<double> total_work_units;

  // The policy-facing view of a job spec on a profile and grid, starting at `start`.
  static PolicyJob of(const struct JobSpec& spec, const OperatingPoints& points, const FrameGrid* grid, UtcTime start);
  double work_units() const { return total_work_units ? *total_work_units : modelled_work_units(); }
  // The job's work as the profile alone sees it: work_at_max at the profile's rate at the maximum
  // limit (what a policy that believes the profile counts towards).
  double modelled_work_units() const { return work_at_max.seconds() * points->max_limit().rate_per_s; }
  std::optional<UtcTime> deadline() const;
  // How long the job may take, work_at_max × (1 + budget), not rounded to the clock: a budget that
  // is exactly one limit's slowdown leaves exactly that limit's time. None without a budget.
  std::optional<Duration> allowed_time() const;
};

// What a policy sees at a frame boundary.
struct FrameContext {
  UtcTime from;
  UtcTime until;                 // the next boundary (the job may finish before it)
  CarbonIntensity predicted;     // the forecaster's mean intensity for [from, until)
  double work_done_units = 0;
};

// What was measured over one frame the job ran (warm-up frames are not measured): the limit it
// ran at, the work done in it — from the job's own progress where it reports some, else the
// profile's model of it (`work_measured` false) — and the energy drawn per controlled GPU, where
// the plant meters it.
struct FrameMeasurement {
  UtcTime from;
  UtcTime until;
  Power limit;
  double work_units = 0;
  bool work_measured = true;
  std::optional<Energy> energy_per_gpu = std::nullopt;
};

// A number a policy takes, declared by its registry entry (e.g. Zeus's and Chase's η). The CLI
// offers one flag per declared name (--eta) and checks values against the widest range any
// policy declares for it; make_policy checks the chosen policy's own range, so the one range a
// message states is the one that is checked.
struct PolicyParameter {
  std::string name;         // the flag without "--"
  std::string description;  // one line, with the source of the default
  double default_value = 0;
  double min = 0;
  double max = 1;
  bool min_excluded = false;  // (min, max] rather than [min, max]

  bool accepts(double value) const { return (min_excluded ? value > min : value >= min) && value <= max; }
  // "[0, 1]" or "(0, 1]".
  std::string range() const;
};

// η, the weight of energy against time in η·Energy + (1−η)·MaxPower·Time (Zeus, NSDI '23;
// Chase uses the same cost with intensity); 0.5 is the default of both papers' evaluations.
PolicyParameter eta_parameter();
// The same η for a policy that divides by it (Chase: (1 − η)/η): within (0, 1].
PolicyParameter positive_eta_parameter();

// What a policy is built from: values of the parameters it declares (a missing one takes its
// default), and, for a policy that needs the future, the true intensity.
struct PolicyOptions {
  std::map<std::string, double, std::less<>> parameters;
  // The true intensity, past and future: only a policy whose entry needs_future may use it.
  const IntensityTrace* future = nullptr;
  // How the job's speed will change (simulation only; null: it will not): what an offline
  // optimum knows in advance and an online policy does not.
  const SpeedChanges* speed_changes = nullptr;

  // Shorthand for the common case: Zeus's and Chase's η.
  static PolicyOptions with_eta(double eta) {
    PolicyOptions o;
    o.parameters["eta"] = eta;
    return o;
  }
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string name() const = 0;
  // Called once before the first frame; a policy may be reused for another job after begin().
  virtual void begin(const PolicyJob& job) = 0;
  // The measured mean intensity of a frame that has ended (also frames before the job's start,
  // when the caller has that history), in time order.
  virtual void observe(UtcTime /*from*/, UtcTime /*until*/, CarbonIntensity /*actual*/) {}
  // The limit for the frame: one of the profile's limits.
  virtual Power decide(const FrameContext& frame) = 0;
  // What the frame just decided did, after it ran and before observe() of its intensity. A
  // closed-loop policy corrects its picture of the job from these.
  virtual void measured(const FrameMeasurement& /*frame*/) {}
  // A closed-loop policy's picture of the job as measured so far (online_job_model.hpp), owned by
  // the policy and valid until its next begin(); null for a policy that keeps none.
  virtual const OnlineJobModel* job_model() const { return nullptr; }
};

// One registered policy: its name, what it does, what it needs and declares, its factory.
struct PolicyEntry {
  std::string name;
  std::string description;
  // The baseline that slowdown and savings are measured against (max): exactly one entry.
  bool baseline = false;
  // Reads the true intensity of the whole job (the offline oracle): simulation only, and the
  // reference the benchmark measures its gap to.
  bool needs_future = false;
  // The policy the commands use unless told otherwise (chase): exactly one entry.
  bool is_default = false;
  // Part of the policy benchmark's default list (the four built-ins, whose figures
  // BENCHMARKS.md records); a new policy joins it on purpose, not by being registered.
  bool in_default_benchmark = false;
  // Honours --slowdown-budget. False for a rule with its own fixed trade-off and no budget
  // (chase-paper): its slowdown is reported, never judged against a budget it did not take.
  bool takes_budget = true;
  std::vector<PolicyParameter> parameters = {};
  // Gets every declared parameter in `parameters` (defaults filled in, ranges checked) and
  // `future` when it needs it.
  std::function<std::unique_ptr<Policy>(const PolicyOptions&)> make = {};
};

// The registry of policies (policy_registry.cpp registers the built-in ones, one line each).
// Mutable so that a plugin or a test can add one; add before any run starts.
Registry<PolicyEntry>& policy_registry();

// Throws InputError naming the known policies for an unknown name, a parameter out of its
// range, or what a policy lacks (one that needs the future without a future trace).
std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyOptions& options = {});
std::vector<std::string> policy_names();
// The policies the benchmark runs unless told otherwise (in_default_benchmark), in order.
std::vector<std::string> default_benchmark_policies();
// The baseline's name ("max") and the default policy's ("chase").
const std::string& baseline_policy_name();
const std::string& default_policy_name();
// Whether a policy is an offline optimum (it needs the future): the benchmark's reference.
bool is_offline_optimum(std::string_view name);
// Whether a policy honours a slowdown budget (PolicyEntry::takes_budget).
bool takes_budget(std::string_view name);
// Checks a policy for a live run (chase run): known, and not one that needs the future.
void check_live_policy(std::string_view name);
// Every parameter any policy declares, once each by name (for the CLI's flags).
std::vector<PolicyParameter> policy_parameters();

}  // namespace chase
