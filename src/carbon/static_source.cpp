#include "carbon/static_source.hpp"

namespace chase {

StaticSource::StaticSource(RegionPreset region, const Clock& clock, bool fallback)
    : region_(std::move(region)), clock_(clock), fallback_(fallback) {}

IntensityReading StaticSource::reading_at(UtcTime t) {
  const UtcTime day_start = t.floor_to(Duration::days(1));
  return IntensityReading{IntensityStep{region_.gross, day_start, day_start + Duration::days(1), name(), fallback_},
                          std::nullopt};
}

}  // namespace chase
