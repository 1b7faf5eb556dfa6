#include "sim/profiled_job_plant.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

ProfiledJobPlant::ProfiledJobPlant(const IntensityIntegral& integral, const OperatingPoints& points,
                                   const FrameGrid& grid, UtcTime start, double work_units, bool record_frames,
                                   SimulationResult& result)
    : integral_(&integral), points_(&points), grid_(&grid), start_(start), work_units_(work_units),
      record_frames_(record_frames), result_(&result) {}

UtcTime ProfiledJobPlant::frame_end(UtcTime from) {
  const IntensityTrace& trace = integral_->trace();
  if (from >= trace.end()) {
    throw InputError(fmt::format("{}: the trace ends at {}, before the job under '{}' finished ({:.1f} % done); "
                                 "start earlier or use a longer trace",
                                 trace.source(), trace.end().iso8601(), result_->policy,
                                 100.0 * work_done_ / work_units_));
  }
  return std::min(grid_->next_boundary(from), trace.end());
}

CarbonIntensity ProfiledJobPlant::mean_intensity(UtcTime from, UtcTime until) {
  return CarbonIntensity::g_per_kwh(integral_->mean(from, until));
}

FrameRan ProfiledJobPlant::run_frame(const FrameDecision& d) {
  const OperatingPoint& point = points_->at(d.limit);
  const double frame_s = (d.until - d.from).seconds();
  const double left = work_units_ - work_done_;
  // (What is left after the last whole frame of a plan may exceed the frame by rounding.)
  const bool finishes = point.rate_per_s * frame_s >= left - 1e-10 * work_units_;
  const double run_s = finishes ? left / point.rate_per_s : frame_s;
  const double from_s = d.from.epoch_seconds();
  const double intensity_integral = integral_->integral(from_s, from_s + run_s);
  const double energy_j = point.power.watts() * run_s;
  const double carbon_g = point.power.watts() * intensity_integral / kJoulesPerKwh;
  SimulationResult& r = *result_;
  r.energy += Energy::joules(energy_j);
  r.carbon += Mass::grams(carbon_g);
  r.time = Duration::seconds((d.from - start_).seconds() + run_s);
  ++r.frame_count;
  if (record_frames_) {
    r.frames.push_back({d.from, Duration::seconds(run_s), Duration::seconds(frame_s), d.limit, d.predicted,
                        CarbonIntensity::g_per_kwh(intensity_integral / run_s), Energy::joules(energy_j),
                        Mass::grams(carbon_g)});
  }
  if (finishes) {
    work_done_ = work_units_;
    return {d.from + Duration::seconds(run_s), CarbonIntensity::g_per_kwh(intensity_integral / run_s),
            FrameLoopEnd::kWorkDone};
  }
  work_done_ += point.rate_per_s * frame_s;
  return {d.until, CarbonIntensity::g_per_kwh(intensity_integral / frame_s), std::nullopt};
}

}  // namespace chase
