#include "report/max_limit_estimate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {
namespace {

const RunProfilePoint& nearest(const std::vector<RunProfilePoint>& profile, Power limit) {
  return *std::min_element(profile.begin(), profile.end(), [&](const RunProfilePoint& a, const RunProfilePoint& b) {
    return std::abs(a.limit.watts() - limit.watts()) < std::abs(b.limit.watts() - limit.watts());
  });
}

CarbonIntensity intensity_of(const RecordedDecision& frame) { return frame.actual.value_or(frame.predicted); }

// The time-weighted mean intensity over [start, start + length) from the frames, the last one
// holding on past its end (gaps between frames count for nothing).
CarbonIntensity mean_intensity(const std::vector<RecordedDecision>& frames, UtcTime start, Duration length) {
  const UtcTime end = start + length;
  double weighted = 0;
  double seconds = 0;
  UtcTime covered = start;
  for (std::size_t i = 0; i < frames.size() && covered < end; ++i) {
    const UtcTime from = std::max(covered, frames[i].from);
    const UtcTime until = i + 1 == frames.size() ? end : std::min(end, frames[i].until);
    if (until <= from) continue;
    weighted += intensity_of(frames[i]).g_per_kwh() * (until - from).seconds();
    seconds += (until - from).seconds();
    covered = until;
  }
  return CarbonIntensity::g_per_kwh(seconds > 0 ? weighted / seconds : intensity_of(frames.back()).g_per_kwh());
}

}  // namespace

std::optional<MaxLimitEstimate> estimate_at_max_limit(const std::vector<RecordedDecision>& frames,
                                                      const std::vector<RunProfilePoint>& profile, int gpus,
                                                      std::optional<UtcTime> run_end) {
  if (gpus < 1) throw InputError(fmt::format("a run needs at least one GPU for a profile estimate, not {}", gpus));
  if (frames.empty() || profile.empty()) return std::nullopt;
  const RunProfilePoint& top = *std::max_element(profile.begin(), profile.end(), [](const auto& a, const auto& b) {
    return a.limit < b.limit;
  });
  MaxLimitEstimate e;
  e.gpus = gpus;
  e.max_limit = top.limit;
  double carbon_g = 0;
  for (const RecordedDecision& f : frames) {
    const Duration length = (run_end ? std::min(f.until, *run_end) : f.until) - f.from;
    if (length.seconds() <= 0) continue;
    const RunProfilePoint& p = nearest(profile, f.limit);
    const double units = length / p.time_per_unit;
    const Energy energy = p.energy_per_unit * units * static_cast<double>(gpus);
    e.work_units += units;
    e.as_run.time += length;
    e.as_run.energy += energy;
    carbon_g += (energy * intensity_of(f)).grams();
  }
  e.as_run.carbon = Mass::grams(carbon_g);
  e.at_max.time = top.time_per_unit * e.work_units;
  e.at_max.energy = top.energy_per_unit * e.work_units * static_cast<double>(gpus);
  e.at_max.carbon = e.at_max.energy * mean_intensity(frames, frames.front().from, e.at_max.time);
  return e;
}

}  // namespace chase
