#include "sim/profiled_job_plant.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

ProfiledJobPlant::ProfiledJobPlant(const IntensityIntegral& integral, const OperatingPoints& points,
                                   const FrameGrid& grid, UtcTime start, double work_units, bool record_frames,
                                   SimulationResult& result, const SpeedChanges& changes)
    : integral_(&integral), points_(&points), grid_(&grid), start_(start), work_units_(work_units),
      record_frames_(record_frames), result_(&result), changes_(changes) {}

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
  const double from_s = d.from.epoch_seconds();
  // The work left may exceed what the last frame of a plan does by rounding: finish within it.
  const double slack = 1e-10 * work_units_;
  double run_s = frame_s;
  double work = 0;
  double energy_j = 0;
  double intensity_integral = 0;  // over the part of the frame the job ran
  double carbon_g = 0;
  bool finishes = false;
  if (changes_.none()) {
    finishes = point.rate_per_s * frame_s >= left - slack;
    run_s = finishes ? left / point.rate_per_s : frame_s;
    work = finishes ? left : point.rate_per_s * frame_s;
    intensity_integral = integral_->integral(from_s, from_s + run_s);
    energy_j = point.power.watts() * run_s;
    carbon_g = point.power.watts() * intensity_integral / kJoulesPerKwh;
  } else {
    const double offset_s = (d.from - start_).seconds();
    for (const SpeedChanges::Piece& piece : changes_.pieces(offset_s, offset_s + frame_s)) {
      const double rate = point.rate_per_s * piece.speed;
      double piece_s = piece.until_s - piece.from_s;
      if (rate > 0 && work + rate * piece_s >= left - slack) {
        piece_s = (left - work) / rate;
        finishes = true;
      }
      const double at_s = from_s + (piece.from_s - offset_s);
      const double integral = integral_->integral(at_s, at_s + piece_s);
      const double watts = piece.stalled() ? changes_.stall_power.value_or(Power()).watts() : point.power.watts();
      work += rate * piece_s;
      energy_j += watts * piece_s;
      intensity_integral += integral;
      carbon_g += watts * integral / kJoulesPerKwh;
      if (finishes) {
        run_s = piece.from_s - offset_s + piece_s;
        work = left;
        break;
      }
    }
  }
  SimulationResult& r = *result_;
  r.energy += Energy::joules(energy_j);
  r.carbon += Mass::grams(carbon_g);
  r.time = Duration::seconds((d.from - start_).seconds() + run_s);
  ++r.frame_count;
  const CarbonIntensity actual = CarbonIntensity::g_per_kwh(intensity_integral / run_s);
  if (record_frames_) {
    r.frames.push_back({d.from, Duration::seconds(run_s), Duration::seconds(frame_s), d.limit, d.predicted, actual,
                        Energy::joules(energy_j), Mass::grams(carbon_g)});
  }
  FrameRan ran{finishes ? d.from + Duration::seconds(run_s) : d.until, actual,
               finishes ? std::optional(FrameLoopEnd::kWorkDone) : std::nullopt};
  ran.work_units = work;
  ran.energy_per_gpu = Energy::joules(energy_j);
  work_done_ = finishes ? work_units_ : work_done_ + work;
  return ran;
}

}  // namespace chase
