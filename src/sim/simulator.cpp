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

Simulator::Simulator(const IntensityTrace& trace, const PowerProfile& profile)
    : profile_(&profile), points_(profile), integral_(trace) {}

SimulationResult Simulator::run(const std::string& policy_name, const SimulationSetup& setup) const {
  PolicyOptions options = setup.job.policy_options();
  options.future = &trace();
  const auto policy = make_policy(policy_name, options);
  return run(*policy, setup);
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

SimulationResult Simulator::run(Policy& policy, const SimulationSetup& setup) const {
  const IntensityTrace& trace = integral_.trace();
  const JobSpec& spec = setup.job;
  if (!(spec.work_at_max.seconds() > 0)) throw InputError("the job's work must be positive");
  if (!trace.covers(setup.start)) {
    throw InputError(fmt::format("{}: the start {} is outside the trace ({} to {})", trace.source(),
                                 setup.start.iso8601(), trace.start().iso8601(), trace.end().iso8601()));
  }
  const FrameGrid grid = spec.frame_length ? FrameGrid::fixed(*spec.frame_length) : FrameGrid::of_trace(trace);
  const PolicyJob job = PolicyJob::of(spec, points_, &grid, setup.start);
  // No frame runs past the trace's end (reaching it is an error below), nor past 2200 with it.
  if (spec.frame_length) {
    checked_grid_steps(setup.start, std::min(latest_end(job, setup.start), trace.end()), *spec.frame_length, kFrameGrid);
  }
  // The policies see the next frame's forecast only (predict(1) below).
  const auto forecaster = make_forecaster(spec.forecaster, grid.nominal_length(), 1);

  SimulationResult result;
  result.policy = policy.name();
  ProfiledJobPlant plant(integral_, points_, grid, setup.start, job.work_units(), setup.record_frames, result);
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
