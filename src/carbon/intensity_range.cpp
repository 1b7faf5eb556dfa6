#include "carbon/intensity_range.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "carbon/trace_source.hpp"
#include "core/error.hpp"

namespace chase {

IntensityRange read_intensity_range(IntensitySource& source, UtcTime from, UtcTime to) {
  IntensityRange range{source.name(), from, to, source.history(from, to), CarbonIntensity{}, {}};
  double weighted = 0;
  double covered_s = 0;
  for (const IntensityReading& r : range.steps) {
    const double s = (std::min(r.step.until, to) - std::max(r.step.from, from)).seconds();
    weighted += s * r.step.intensity.g_per_kwh();
    covered_s += s;
  }
  range.mean = CarbonIntensity::g_per_kwh(covered_s > 0 ? weighted / covered_s : 0.0);
  range.gaps = source_gaps(source);
  return range;
}

RecordedIntensity recorded_intensity(IntensitySource& source, Duration lookback) {
  if (const auto* trace = dynamic_cast<const TraceSource*>(&source)) return {trace->trace(), Duration::seconds(0)};
  const UtcTime now = source.now();
  const std::vector<IntensityReading> steps = source.history(now - lookback, now);
  std::vector<IntensitySample> samples;
  for (const IntensityReading& r : steps) {
    if (samples.empty() || r.step.from > samples.back().time) samples.push_back({r.step.from, r.step.intensity});
  }
  if (samples.empty()) throw NetworkError(fmt::format("{}: no history to forecast from", source.name()));
  return {IntensityTrace(source.name(), std::move(samples)), steps.back().stale};
}

std::vector<TraceGap> source_gaps(const IntensitySource& source) {
  if (const auto* trace = dynamic_cast<const TraceSource*>(&source)) return trace->trace().gaps();
  return {};
}

}  // namespace chase
