#include "carbon/intensity_range.hpp"

#include <algorithm>

#include "carbon/trace_source.hpp"

namespace chase {

IntensityRange read_intensity_range(IntensitySource& source, UtcTime from, UtcTime to) {
  IntensityRange range{source.name(), from, to, source.history(from, to), 0, {}};
  double weighted = 0;
  double covered_s = 0;
  for (const IntensityReading& r : range.steps) {
    const double s = (std::min(r.step.until, to) - std::max(r.step.from, from)).seconds();
    weighted += s * r.step.intensity.g_per_kwh();
    covered_s += s;
  }
  range.mean_g_per_kwh = covered_s > 0 ? weighted / covered_s : 0.0;
  range.gaps = source_gaps(source);
  return range;
}

std::vector<TraceGap> source_gaps(const IntensitySource& source) {
  if (const auto* trace = dynamic_cast<const TraceSource*>(&source)) return trace->trace().gaps();
  return {};
}

}  // namespace chase
