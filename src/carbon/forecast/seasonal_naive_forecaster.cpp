#include "carbon/forecast/seasonal_naive_forecaster.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace chase {

SeasonalNaiveForecaster::SeasonalNaiveForecaster(std::string name, Duration period, Duration frame)
    : name_(std::move(name)),
      period_(period),
      frame_(frame),
      period_frames_(static_cast<std::size_t>(std::max(1.0, std::round(period / frame)))) {}

void SeasonalNaiveForecaster::observe(const IntensitySample& sample) {
  last_period_.push_back(sample.intensity);
  if (last_period_.size() > period_frames_) last_period_.pop_front();
}

std::vector<CarbonIntensity> SeasonalNaiveForecaster::predict(std::size_t frames) const {
  if (last_period_.empty()) throw Error(fmt::format("{} forecaster: predict() before any observation", name_));
  std::vector<CarbonIntensity> out;
  out.reserve(frames);
  if (last_period_.size() < period_frames_) {
    out.assign(frames, last_period_.back());
    return out;
  }
  // Frame h (1-based) repeats the frame one period earlier, i.e. index (h - 1) mod period of the
  // stored period, which starts exactly one period before the next frame.
  for (std::size_t h = 0; h < frames; ++h) out.push_back(last_period_[h % period_frames_]);
  return out;
}

std::unique_ptr<Forecaster> SeasonalNaiveForecaster::fresh() const {
  return std::make_unique<SeasonalNaiveForecaster>(name_, period_, frame_);
}


ForecasterEntry seasonal_24h_forecaster_entry() {
  return {"seasonal-24h", "the same time yesterday", false, [](Duration frame, std::size_t) {
            return std::make_unique<SeasonalNaiveForecaster>("seasonal-24h", Duration::hours(24), frame);
          }};
}

ForecasterEntry seasonal_168h_forecaster_entry() {
  return {"seasonal-168h", "the same time last week", false, [](Duration frame, std::size_t) {
            return std::make_unique<SeasonalNaiveForecaster>("seasonal-168h", Duration::hours(168), frame);
          }};
}

}  // namespace chase
