#include "sim/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "carbon/forecast/forecaster.hpp"
#include "control/frame_grid.hpp"
#include "core/error.hpp"

namespace chase {

Simulator::Simulator(const IntensityTrace& trace, const PowerProfile& profile)
    : profile_(&profile), points_(profile), integral_(trace) {}

SimulationResult Simulator::run(const std::string& policy_name, const SimulationSetup& setup, double eta) const {
  PolicyOptions options;
  options.eta = eta;
  options.future = &trace();
  const auto policy = make_policy(policy_name, options);
  return run(*policy, setup);
}

SimulationResult Simulator::run(Policy& policy, const SimulationSetup& setup) const {
  const IntensityTrace& trace = integral_.trace();
  if (!(setup.work_at_max.seconds() > 0)) throw InputError("the job's work must be positive");
  if (!trace.covers(setup.start)) {
    throw InputError(fmt::format("{}: the start {} is outside the trace ({} to {})", trace.source(),
                                 setup.start.iso8601(), trace.start().iso8601(), trace.end().iso8601()));
  }
  const FrameGrid grid = setup.frame_length ? FrameGrid::fixed(*setup.frame_length) : FrameGrid::of_trace(trace);
  // The policies see the next frame's forecast only (predict(1) below).
  const auto forecaster = make_forecaster(setup.forecaster, grid.nominal_length(), 1);

  PolicyJob job;
  job.points = &points_;
  job.grid = &grid;
  job.start = setup.start;
  job.time_at_max = setup.work_at_max;
  job.slowdown_budget = setup.slowdown_budget;
  policy.begin(job);

  // What a controller would have seen before the job started: whole frames only.
  bool forecaster_ready = false;
  const UtcTime history_from = std::max(trace.start(), setup.start - setup.history);
  for (UtcTime t = grid.next_boundary(history_from - Duration::milliseconds(1)); t < setup.start;) {
    const UtcTime until = grid.next_boundary(t);
    if (until > setup.start) break;
    const double actual = integral_.mean(t, until);
    forecaster->observe({t, CarbonIntensity::g_per_kwh(actual)});
    policy.observe(t, until, CarbonIntensity::g_per_kwh(actual));
    forecaster_ready = true;
    t = until;
  }

  SimulationResult result;
  result.policy = policy.name();
  const double work_units = job.work_units();
  double work_done = 0;
  UtcTime from = setup.start;
  while (true) {
    const UtcTime until = std::min(grid.next_boundary(from), trace.end());
    if (from >= trace.end()) {
      throw InputError(fmt::format("{}: the trace ends at {}, before the job under '{}' finished ({:.1f} % done); "
                                   "start earlier or use a longer trace",
                                   trace.source(), trace.end().iso8601(), policy.name(),
                                   100.0 * work_done / work_units));
    }
    // With no history yet, the current published value is the best forecast there is.
    const double predicted =
        forecaster_ready ? forecaster->predict(1).front().g_per_kwh() : trace.at(from).g_per_kwh();
    const Power limit = policy.decide({from, until, CarbonIntensity::g_per_kwh(predicted), work_done});
    const OperatingPoint& point = points_.at(limit);

    const double frame_s = (until - from).seconds();
    const double left = work_units - work_done;
    // (What is left after the last whole frame of a plan may exceed the frame by rounding.)
    const bool finishes = point.rate_per_s * frame_s >= left - 1e-10 * work_units;
    const double run_s = finishes ? left / point.rate_per_s : frame_s;
    const double from_s = from.epoch_seconds();
    const double intensity_integral = integral_.integral(from_s, from_s + run_s);
    const double energy_j = point.power.watts() * run_s;
    const double carbon_g = point.power.watts() * intensity_integral / kJoulesPerKwh;
    result.energy_j += energy_j;
    result.carbon_g += carbon_g;
    result.time_s = (from - setup.start).seconds() + run_s;
    ++result.frame_count;
    if (setup.record_frames) {
      result.frames.push_back({from, run_s, frame_s, limit, predicted, intensity_integral / run_s, energy_j, carbon_g});
    }
    if (finishes) {
      work_done = work_units;
      break;
    }
    work_done += point.rate_per_s * frame_s;
    const CarbonIntensity actual = CarbonIntensity::g_per_kwh(intensity_integral / frame_s);
    forecaster->observe({from, actual});
    policy.observe(from, until, actual);
    forecaster_ready = true;
    from = until;
  }
  result.work_units = work_done;
  return result;
}

PolicyComparison compare_with_max(SimulationResult run, SimulationResult baseline) {
  PolicyComparison c;
  c.slowdown_pct = (run.time_s / baseline.time_s - 1.0) * 100.0;
  c.carbon_saved_pct = (1.0 - run.carbon_g / baseline.carbon_g) * 100.0;
  c.energy_saved_pct = (1.0 - run.energy_j / baseline.energy_j) * 100.0;
  c.run = std::move(run);
  c.baseline = std::move(baseline);
  return c;
}

}  // namespace chase
