#include "sim/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "carbon/forecast/forecaster.hpp"
#include "control/frame_grid.hpp"
#include "core/error.hpp"
#include "core/time_grid.hpp"
#include "sim/profiled_job_plant.hpp"

namespace chase {

Simulator::Simulator(const IntensityTrace& trace, const PowerProfile& profile, const PowerProfile* belief)
    : profile_(&profile), points_(profile), integral_(trace) {
  if (belief != nullptr) {
    if (belief->limits() != profile.limits()) {
      throw InputError(fmt::format("the believed profile {} and the actual profile {} must have the same limits",
                                   belief->source(), profile.source()));
    }
    belief_points_.emplace(*belief);
  }
}

SimulationResult Simulator::run(const std::string& policy_name, const SimulationSetup& setup) const {
  PolicyOptions options = setup.job.policy_options();
  options.future = &trace();
  if (!setup.speed_changes.none()) options.speed_changes = &setup.speed_changes;
  const auto policy = make_policy(policy_name, options);
  return run(*policy, setup, is_offline_optimum(policy_name));
}

UtcTime Simulator::latest_end(const PolicyJob& job, UtcTime start) const {
  // The job ends by its deadline, else at worst at the slowest limit, and never past the trace.
  double slowest_rate = points_.max_limit().rate_per_s;
  for (const OperatingPoint& p : points_.all()) slowest_rate = std::min(slowest_rate, p.rate_per_s);
  const double longest_s = job.work_units() / slowest_rate;
  UtcTime end = integral_.trace().end();
  if (const auto deadline = job.deadline()) return std::min(end, *deadline);
  if (std::isfinite(longest_s) && longest_s < (end - start).seconds()) end = start + Duration::seconds(longest_s);
  return end;
}

SimulationResult Simulator::run(Policy& policy, const SimulationSetup& setup, bool knows_truth) const {
  const IntensityTrace& trace = integral_.trace();
  const JobSpec& spec = setup.job;
  if (!(spec.work_at_max.seconds() > 0)) throw InputError("the job's work must be positive");
  if (!trace.covers(setup.start)) {
    throw InputError(fmt::format("{}: the start {} is outside the trace ({} to {})", trace.source(),
                                 setup.start.iso8601(), trace.start().iso8601(), trace.end().iso8601()));
  }
  const FrameGrid grid = spec.frame_length ? FrameGrid::fixed(*spec.frame_length) : FrameGrid::of_trace(trace);
  setup.speed_changes.check();
  PolicyJob job = PolicyJob::of(spec, knows_truth ? points_ : believed_points(), &grid, setup.start);
  // The job's work is fixed by the truth; a policy learns it in those units (its steps).
  const double work_units = spec.work_at_max.seconds() * points_.max_limit().rate_per_s;
  if (belief_points_ || !setup.speed_changes.none()) job.total_work_units = work_units;
  // The oracle knows how long the baseline really takes; the others only what was stated.
  if (knows_truth && !setup.speed_changes.none()) {
    job.work_at_max = Duration::seconds(setup.speed_changes.time_to_work(0, spec.work_at_max.seconds()));
  }
  // No frame runs past the trace's end (reaching it is an error below), nor past 2200 with it.
  if (spec.frame_length) {
    checked_grid_steps(setup.start, std::min(latest_end(job, setup.start), trace.end()), *spec.frame_length, kFrameGrid);
  }
  // The policies see the next frame's forecast only (predict(1) below).
  const auto forecaster = make_forecaster(spec.forecaster, grid.nominal_length(), 1);

  SimulationResult result;
  result.policy = policy.name();
  SpeedChanges changes = setup.speed_changes;
  if (changes.stall_every && !changes.stall_power) {
    Power lowest = points_.max_limit().power;
    for (const OperatingPoint& p : points_.all()) lowest = std::min(lowest, p.power);
    changes.stall_power = lowest;
  }
  ProfiledJobPlant plant(integral_, points_, grid, setup.start, work_units, setup.record_frames, result, changes);
  FrameLoopSettings loop;
  loop.history = spec.history;
  run_frame_loop(plant, *forecaster, policy, job, loop);
  result.work_units = plant.work_done_units();
  return result;
}

PolicyComparison compare_with_max(SimulationResult run, SimulationResult baseline) {
  PolicyComparison c;
  c.slowdown_pct = (run.time / baseline.time - 1.0) * 100.0;
  c.carbon_saved_pct = (1.0 - run.carbon / baseline.carbon) * 100.0;
  c.energy_saved_pct = (1.0 - run.energy / baseline.energy) * 100.0;
  c.run = std::move(run);
  c.baseline = std::move(baseline);
  return c;
}

}  // namespace chase
