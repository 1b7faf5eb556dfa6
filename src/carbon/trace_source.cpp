#include "carbon/trace_source.hpp"

namespace chase {

TraceSource::TraceSource(IntensityTrace trace) : trace_(std::move(trace)), gaps_(trace_.gaps()) {}

IntensityReading TraceSource::reading_at(UtcTime t) {
  const std::size_t i = trace_.index_at(t);
  const IntensitySample& s = trace_.samples()[i];
  IntensityStep step{s.intensity, s.time, s.time + trace_.step(i), name(), false};
  for (const TraceGap& gap : gaps_) {
    if (gap.from == s.time) {
      // Real for one expected step, held after that until the data resumes.
      const UtcTime held_from = s.time + gap.expected_step;
      if (t < held_from) {
        step.until = held_from;
      } else {
        step.from = held_from;
        step.fallback = true;
        step.source = name() + " (gap: value held)";
      }
      break;
    }
  }
  return IntensityReading{std::move(step), Duration::seconds(0)};
}

}  // namespace chase
