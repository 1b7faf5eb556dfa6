#pragma once
// The policy benchmark: every trace × profile × start time (every few hours of the trace) ×
// slowdown budget, each policy simulated on the same inputs and compared with `max`. Runs are
// independent, so they are spread over threads; results land in a fixed order, so the output
// does not depend on the thread count.

#include <string>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "core/units.hpp"
#include "energy/power_profile.hpp"
#include "control/job_spec.hpp"
#include "sim/simulator.hpp"

namespace chase {

struct BenchmarkConfig {
  std::vector<double> budgets{0.0, 0.025, 0.05, 0.10};
  std::vector<std::string> policies = default_benchmark_policies();
  // The job every run simulates. Its frame length must be fixed (default 5 minutes); its
  // slowdown budget is ignored: the benchmark sweeps `budgets`.
  JobSpec job = five_minute_job();
  Duration start_every = Duration::hours(6);
  unsigned threads = 1;
  // Beliefs: with a profile error F > 0, the online policies of every run believe the true
  // profile with independent errors up to ±F on each row's time and energy (profile_error.hpp),
  // one belief per seed (1 … seeds); `max` and the oracle run on the truth. 0: they believe
  // the truth (seeds is then 1).
  double profile_error = 0;
  unsigned seeds = 1;
  // How the job's speed changes during each run, under every policy alike.
  SpeedChanges speed_changes;

  // The fixed frame length; throws InputError when the job has none.
  Duration frame_length() const;
  static JobSpec five_minute_job() {
    JobSpec job;
    job.frame_length = Duration::minutes(5);
    return job;
  }
};

struct BenchmarkRun {
  std::size_t trace = 0;    // index into the traces given
  std::size_t profile = 0;  // index into the profiles given
  unsigned seed = 0;        // the belief's seed (1 … seeds); 0: the policies believed the truth
  UtcTime start;
  double budget = 0;
  std::string policy;
  Duration time;
  Energy energy;
  Mass carbon;
  double slowdown_pct = 0;
  double carbon_saved_pct = 0;
  double energy_saved_pct = 0;
  bool within_budget = false;
};

// Throws InputError for an unknown policy or a list without the baseline (everything is
// compared with it).
void check_benchmark_policies(const std::vector<std::string>& policies);

// Start times: from the trace's first sample, every start_every, while the slowest allowed job
// (with its speed changes, and one more frame) still fits in the trace. `slowest_time_ratio` > 1:
// some policy may break its budget (one that believes a wrong profile, or not a job that slows
// down), up to the job at its slowest limit, this many times its time at the maximum: that much
// must fit too, or such a run would end past the trace.
std::vector<UtcTime> benchmark_starts(const IntensityTrace& trace, const BenchmarkConfig& config,
                                      double slowest_time_ratio = 1.0);

// The belief of profile `index` for `seed`: the profile perturbed by config.profile_error from
// SplitMix64 seeded with seed × 1,000,003 + index.
PowerProfile believed_profile(const PowerProfile& truth, std::size_t index, unsigned seed, const BenchmarkConfig& config);

// Throws InputError when a trace is too short for a single start.
std::vector<BenchmarkRun> run_policy_benchmark(const std::vector<IntensityTrace>& traces,
                                               const std::vector<PowerProfile>& profiles,
                                               const BenchmarkConfig& config);

// One line of the summary: a policy on one profile at one budget (profile = all when none).
struct BenchmarkSummary {
  std::string profile;  // a profile's source name, or "all"
  double budget = 0;
  std::string policy;
  std::size_t runs = 0;
  double mean_saved_pct = 0;  // over the runs with a saving
  double median_saved_pct = 0;
  double mean_slowdown_pct = 0;
  double median_slowdown_pct = 0;
  double within_budget_pct = 0;
  double gap_to_oracle_pp = 0;  // oracle's mean saving − this policy's (0 without an oracle)
  // Runs where this policy emitted less than the oracle on the same inputs (the oracle's plan
  // is proven optimal only within effort caps), and by how much at most, % of the oracle's.
  std::size_t runs_below_oracle = 0;
  double most_below_oracle_pct = 0;
  // Runs where max emitted nothing (a grid at 0 g/kWh for the whole job): a saving of nothing is
  // undefined, so they are counted here and left out of the saving's mean and median (`runs`
  // counts them; the slowdown and the budget share are over all runs).
  std::size_t runs_without_saving = 0;
};

// Per profile and budget, then over all profiles per budget.
std::vector<BenchmarkSummary> summarize(const std::vector<BenchmarkRun>& runs,
                                        const std::vector<PowerProfile>& profiles,
                                        const BenchmarkConfig& config);

}  // namespace chase
