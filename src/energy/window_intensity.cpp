#include "energy/window_intensity.hpp"

namespace chase {

std::optional<CarbonIntensity> effective_intensity(const WindowResult& w) {
  const Energy priced = w.energy - w.energy_without_intensity;
  if (w.carbon && priced.joules() > 0) return *w.carbon / priced;
  double weighted = 0;
  double seconds = 0;
  for (const IntensitySegment& seg : w.segments) {
    const double span = (seg.until - seg.from).seconds();
    weighted += seg.intensity.g_per_kwh() * span;
    seconds += span;
  }
  if (seconds > 0) return CarbonIntensity::g_per_kwh(weighted / seconds);
  if (!w.segments.empty()) return w.segments.front().intensity;
  return std::nullopt;
}

}  // namespace chase
