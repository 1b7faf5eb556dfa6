#pragma once
// One live intensity API (Electricity Maps, WattTime, UK Carbon Intensity...): fetches and
// parses, nothing else. Caching and fallbacks are LiveSource's job, so every provider gets them.

#include <string>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct ProviderPoint {
  UtcTime from;
  UtcTime until;
  CarbonIntensity intensity;
};

class IntensityProvider {
 public:
  virtual ~IntensityProvider() = default;
  virtual std::string name() const = 0;  // "electricitymaps"
  virtual std::string zone() const = 0;  // "DE", "CAISO_NORTH", "GB"
  // The most recent value. Errors: NetworkError (transport, HTTP status), InputError (a body
  // that does not parse or lacks a field or has the wrong unit), each naming the provider.
  virtual ProviderPoint latest() = 0;
  // Recorded values starting in [from, to), in time order.
  virtual std::vector<ProviderPoint> history(UtcTime from, UtcTime to) = 0;
  // The provider's own forecast from now on (empty when it publishes none).
  virtual std::vector<ProviderPoint> forecast() = 0;
};

}  // namespace chase
