#pragma once
// A peer at equal slowdown (`chase bench policies --at-slowdown-of <peer>`): for each trace ×
// profile × start, the peer policy runs without a budget, its realised slowdown against `max`
// is measured, and `chase` and the offline oracle then run on the same inputs with exactly that
// slowdown as their budget. The comparison a reactive rule with a fixed trade-off (the Chase
// paper's own, chase-paper) asks for: at the time it took, how much more carbon could chase,
// and could anything, have saved?
//
// Savings are % of `max`'s carbon on the same inputs; differences between policies are
// percentage points of that. A run whose `max` emitted nothing has no saving: it is counted,
// not averaged.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "control/job_spec.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"
#include "energy/power_profile.hpp"

namespace chase {

// chase within this many percentage points of the peer (chase ≥ peer − it) counts as matching
// it: finer than any figure the reports print (two decimals), coarser than the rounding of a
// budget honoured to the millisecond.
inline constexpr double kMatchesPeerPp = 0.05;

struct EqualSlowdownConfig {
  std::string peer = "chase-paper";  // runs without a budget; must not need the future
  std::string policy = "chase";      // runs at the peer's slowdown
  std::string oracle = "oracle";     // the offline optimum at the same slowdown
  // The job (its slowdown budget is ignored: the peer has none, the others get the peer's).
  // Its frame length must be fixed (default 5 minutes).
  JobSpec job = five_minute_job();
  Duration start_every = Duration::hours(6);
  unsigned threads = 1;

  static JobSpec five_minute_job() {
    JobSpec job;
    job.frame_length = Duration::minutes(5);
    return job;
  }
};

struct EqualSlowdownRun {
  std::size_t trace = 0;    // index into the traces given
  std::size_t profile = 0;  // index into the profiles given
  UtcTime start;
  // The peer's slowdown against max, %, and the budget the others got from it: the same, as a
  // fraction. Negative when the peer ran faster than max (a noisy profile whose fastest limit is
  // below its maximum): the others must then be as fast, not merely as fast as max.
  double peer_slowdown_pct = 0;
  double budget = 0;
  Mass max_carbon;
  Mass peer_carbon;
  Mass policy_carbon;
  Mass oracle_carbon;
  double policy_slowdown_pct = 0;
  double oracle_slowdown_pct = 0;
  // % of max's carbon; none when max emitted nothing.
  std::optional<double> peer_saved_pct;
  std::optional<double> policy_saved_pct;
  std::optional<double> oracle_saved_pct;
  // policy − peer, percentage points; none without savings.
  std::optional<double> policy_minus_peer_pp() const;
  // The policy and the oracle finished within the peer's time (to the benchmark's tolerance).
  bool policy_within = false;
  bool oracle_within = false;
};

// One line of the summary: one profile's runs, or all of them (profile "all").
struct EqualSlowdownSummary {
  std::string profile;
  std::size_t runs = 0;
  std::size_t runs_without_saving = 0;  // max emitted nothing: left out of the means below
  double mean_peer_slowdown_pct = 0;
  double mean_peer_saved_pct = 0;
  double mean_policy_saved_pct = 0;
  double mean_oracle_saved_pct = 0;
  double mean_policy_minus_peer_pp = 0;
  // Share of runs where the policy saved at least the peer's saving − kMatchesPeerPp, %.
  double policy_matches_peer_pct = 0;
  // The policy's worst run against the peer (most negative policy − peer), pp; 0 without runs.
  double worst_policy_minus_peer_pp = 0;
  std::size_t policy_over_budget = 0;  // runs where the policy took longer than the peer
  // Runs where the oracle emitted more than the policy at the same budget beyond 1e-9 of its
  // carbon (its plan is proven optimal only within effort caps), and by how much at most, %.
  std::size_t oracle_above_policy = 0;
  double most_oracle_above_policy_pct = 0;
  // Runs where the oracle, at the peer's own slowdown, emitted more than the peer (same
  // tolerance): the oracle bounds what an online policy can do only as far as its plan is optimal.
  std::size_t oracle_above_peer = 0;
};

// Throws InputError with one line: an unknown peer, a peer that needs the future (it must run
// like a live policy), a policy or oracle that is unknown, a job without a fixed frame length,
// a start interval that is not positive, a trace too short for a single start.
void check_equal_slowdown(const EqualSlowdownConfig& config);
std::vector<EqualSlowdownRun> run_equal_slowdown(const std::vector<IntensityTrace>& traces,
                                                 const std::vector<PowerProfile>& profiles,
                                                 const EqualSlowdownConfig& config);

// Per profile (named by profile_names, in order), then "all".
std::vector<EqualSlowdownSummary> summarize_equal_slowdown(const std::vector<EqualSlowdownRun>& runs,
                                                           const std::vector<std::string>& profile_names);

// The whole benchmark as one call, with the data sets named as the outputs show them (their
// data_name) and its wall-clock time, s (of the runs, not the summary).
struct EqualSlowdownOutcome {
  std::vector<std::string> trace_names;
  std::vector<std::string> profile_names;
  std::vector<EqualSlowdownRun> runs;
  std::vector<EqualSlowdownSummary> summary;
  double elapsed_s = 0;
};
EqualSlowdownOutcome equal_slowdown_benchmark(const std::vector<IntensityTrace>& traces,
                                              const std::vector<PowerProfile>& profiles,
                                              const EqualSlowdownConfig& config);

}  // namespace chase
