#pragma once
// Predicts the grid's carbon intensity for the next frames from what it has seen so far.
// Models must be cheap (microseconds per update, no GPU): they run inside a training job.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "core/registry.hpp"

namespace chase {

class Forecaster {
 public:
  virtual ~Forecaster() = default;
  virtual std::string name() const = 0;
  // Samples arrive in time order, one per frame (the caller resamples to the frame length).
  virtual void observe(const IntensitySample& sample) = 0;
  // Intensity of the next `frames` frames after the last observed one; element 0 is the next
  // frame. Throws Error before the first observation.
  virtual std::vector<CarbonIntensity> predict(std::size_t frames) const = 0;
  // A fresh model with the same configuration and no history (for walk-forward backtests).
  virtual std::unique_ptr<Forecaster> fresh() const = 0;
};

// One registered model: its name, what it does, whether it is the default, its factory (for
// frames of `frame`, asked at most `longest_lead` frames ahead; 0: up to a day).
struct ForecasterEntry {
  std::string name;
  std::string description;
  bool is_default = false;  // what every command uses unless told otherwise (one entry)
  std::function<std::unique_ptr<Forecaster>(Duration frame, std::size_t longest_lead)> make;
};

// The registry of forecasters (forecaster_registry.cpp: the built-in ones, one line each).
// Mutable so that a plugin or a test can add one; add before any run starts.
Registry<ForecasterEntry>& forecaster_registry();
// The default entry's name ("default").
std::string default_forecaster_name();

// Registry: builds a forecaster by name for frames of the given length. Throws InputError
// naming the known models for an unknown name. `longest_lead` is the longest forecast the
// caller will ask for, in frames (0: up to a day); a model that scores itself per lead
// (`default`) does that much work and no more — a controller that only asks for the next frame
// passes 1.
std::unique_ptr<Forecaster> make_forecaster(std::string_view name, Duration frame, std::size_t longest_lead = 0);
std::vector<std::string> forecaster_names();
// One line saying what the model does (empty for an unknown name).
std::string forecaster_description(std::string_view name);

}  // namespace chase
