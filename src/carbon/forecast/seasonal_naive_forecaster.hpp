#pragma once
// Seasonal naive: frame t+h looks like the frame one period (24 h or 168 h) before it. Until a
// whole period has been seen it falls back to the last value (persistence), so a fresh model can
// answer from the first observation on.

#include <deque>

#include "carbon/forecast/forecaster.hpp"

namespace chase {

class SeasonalNaiveForecaster final : public Forecaster {
 public:
  // `period` is rounded to a whole number of frames (at least one).
  SeasonalNaiveForecaster(std::string name, Duration period, Duration frame);

  std::string name() const override { return name_; }
  void observe(const IntensitySample& sample) override;
  std::vector<CarbonIntensity> predict(std::size_t frames) const override;
  std::unique_ptr<Forecaster> fresh() const override;

  std::size_t period_frames() const { return period_frames_; }

 private:
  std::string name_;
  Duration period_;
  Duration frame_;
  std::size_t period_frames_;
  std::deque<CarbonIntensity> last_period_;  // the most recent period_frames_ values, oldest first
};

// The same time yesterday, and the same time last week.
ForecasterEntry seasonal_24h_forecaster_entry();
ForecasterEntry seasonal_168h_forecaster_entry();

}  // namespace chase
