#pragma once
// The trace-driven simulator: a training job of fixed work (the hours it takes at the maximum
// limit) on a GPU described by a measured power profile, under a policy and a recorded grid
// intensity, starting at a given time. Frame by frame: forecast → policy → run the frame at the
// chosen limit → observe the frame's true intensity. The job ends inside its last frame. Power
// × intensity is integrated on the trace's own grid. Deterministic: the same inputs give the
// same result, bit for bit.

#include <optional>
#include <string>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "control/intensity_integral.hpp"
#include "control/job_spec.hpp"
#include "control/operating_points.hpp"
#include "control/speed_changes.hpp"
#include "control/policy.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"
#include "energy/power_profile.hpp"
#include "sim/simulation_result.hpp"

namespace chase {

struct SimulationSetup {
  UtcTime start;
  JobSpec job;  // frames: none = the trace's own grid; history is clipped to the trace
  bool record_frames = true;
  // How the job's speed changes during its run, under every policy alike (none by default).
  SpeedChanges speed_changes;
};

class Simulator {
 public:
  // The trace and profiles must outlive the simulator. `profile` is how the job really runs;
  // `belief` (null: the same) is the profile the online policies are given — a single noisy
  // measurement, another GPU's, last month's. The job's work is work_at_max at the true
  // profile's maximum limit, and the `max` baseline and every figure are on the truth.
  Simulator(const IntensityTrace& trace, const PowerProfile& profile, const PowerProfile* belief = nullptr);

  const IntensityTrace& trace() const { return integral_.trace(); }
  const PowerProfile& profile() const { return *profile_; }
  const OperatingPoints& points() const { return points_; }
  // What the online policies believe: the belief's points, or the truth's without one.
  const OperatingPoints& believed_points() const { return belief_points_ ? *belief_points_ : points_; }

  // Throws InputError when the trace does not cover the job. `knows_truth`: the policy is given
  // the true profile and, with speed changes, the true baseline's length (the offline oracle).
  SimulationResult run(Policy& policy, const SimulationSetup& setup, bool knows_truth = false) const;
  // Builds the named policy with the job's policy parameters (a policy that needs the future
  // gets this trace, the job's speed changes and the truth) and runs it.
  SimulationResult run(const std::string& policy, const SimulationSetup& setup) const;

 private:
  // The latest the job can end: its deadline, or its length at the slowest limit, within the
  // trace. Bounds the frames a run may take (kMaxGridSteps).
  UtcTime latest_end(const PolicyJob& job, UtcTime start) const;

  const PowerProfile* profile_;
  OperatingPoints points_;
  std::optional<OperatingPoints> belief_points_;
  IntensityIntegral integral_;
};

// A policy's run beside the `max` baseline on the same inputs.
struct PolicyComparison {
  SimulationResult run;
  SimulationResult baseline;  // max
  double slowdown_pct = 0;    // time ÷ time under max − 1, in %
  double carbon_saved_pct = 0;
  double energy_saved_pct = 0;
};

PolicyComparison compare_with_max(SimulationResult run, SimulationResult baseline);

}  // namespace chase
