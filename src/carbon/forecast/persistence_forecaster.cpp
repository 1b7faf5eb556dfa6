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


ForecasterEntry persistence_forecaster_entry() {
  return {"persistence", "every future frame equals the last one", false,
          [](Duration, std::size_t) { return std::make_unique<PersistenceForecaster>(); }};
}

}  // namespace chase
