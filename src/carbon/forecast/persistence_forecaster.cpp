#include "carbon/forecast/persistence_forecaster.hpp"

#include "core/error.hpp"

namespace chase {

void PersistenceForecaster::observe(const IntensitySample& sample) {
  last_ = sample.intensity;
  seen_ = true;
}

std::vector<CarbonIntensity> PersistenceForecaster::predict(std::size_t frames) const {
  if (!seen_) throw Error("persistence forecaster: predict() before any observation");
  return std::vector<CarbonIntensity>(frames, last_);
}

}  // namespace chase
