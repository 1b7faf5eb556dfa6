#pragma once
// The naive baseline: every future frame looks like the last one seen.

#include "carbon/forecast/forecaster.hpp"

namespace chase {

class PersistenceForecaster final : public Forecaster {
 public:
  std::string name() const override { return "persistence"; }
  void observe(const IntensitySample& sample) override;
  std::vector<CarbonIntensity> predict(std::size_t frames) const override;
  std::unique_ptr<Forecaster> fresh() const override { return std::make_unique<PersistenceForecaster>(); }

 private:
  bool seen_ = false;
  CarbonIntensity last_;
};

ForecasterEntry persistence_forecaster_entry();

}  // namespace chase
