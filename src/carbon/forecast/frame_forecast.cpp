#include "carbon/forecast/frame_forecast.hpp"

#include <fmt/format.h>

#include "core/time_stamp.hpp"

namespace chase {

FrameForecast forecast_frames(Forecaster& model, const IntensityHistory& history, std::size_t horizon) {
  for (const IntensitySample& s : history.frames.samples()) model.observe(s);
  const std::vector<CarbonIntensity> predicted = model.predict(horizon);
  const IntensitySample& last = history.frames.samples().back();
  FrameForecast out{last.time, last.intensity, horizon, {}};
  for (std::size_t h = 0; h < predicted.size(); ++h) {
    // A frame past the end of 2200 is refused (core/time_stamp.hpp), not printed.
    const UtcTime from = last.time + history.frame * static_cast<double>(h + 1);
    const UtcTime until = checked_time(from + history.frame, fmt::format("forecast frame +{}", h + 1));
    out.frames.push_back({from, until, predicted[h]});
  }
  return out;
}

}  // namespace chase
