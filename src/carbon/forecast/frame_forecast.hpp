#pragma once
// The next frames of grid intensity, forecast from a source's recorded past.

#include <optional>
#include <string>
#include <vector>

#include "carbon/forecast/forecaster.hpp"
#include "carbon/intensity_trace.hpp"

namespace chase {

// Recorded intensity cut into frames, ready for a forecaster.
struct IntensityHistory {
  std::string source;
  Duration frame;
  IntensityTrace frames;
  bool fallback = false;          // some of it came from the cache after a failed fetch
  std::optional<Duration> stale;  // age of the newest value (0 for a trace)
};

struct ForecastFrame {
  UtcTime from;
  UtcTime until;
  CarbonIntensity intensity;
};

struct FrameForecast {
  UtcTime last_observed;  // the start of the last frame of the history
  CarbonIntensity last_intensity;
  std::size_t horizon_frames = 0;
  std::vector<ForecastFrame> frames;  // the frames after the last observed one, in order
};

// Feeds `model` every frame of the history, then forecasts the next `horizon` frames.
FrameForecast forecast_frames(Forecaster& model, const IntensityHistory& history, std::size_t horizon);

}  // namespace chase
