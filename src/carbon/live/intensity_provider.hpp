#pragma once
// One live intensity API (Electricity Maps, WattTime, UK Carbon Intensity...): fetches and
// parses, nothing else. Caching and fallbacks are LiveSource's job, so every provider gets them.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct ProviderPoint {
  UtcTime from;
  UtcTime until;
  CarbonIntensity intensity;
};

// A provider that asked to be left alone until a time (an error status with Retry-After, e.g.
// 429 Too Many Requests or 503 Service Unavailable, naming more than the HTTP client waits).
// LiveSource records the time, in memory and in its cache, and asks nothing of that provider
// before it; the message names the status, the Retry-After and the time.
class ProviderHoldOff : public NetworkError {
 public:
  ProviderHoldOff(const std::string& what, UtcTime not_before) : NetworkError(what), not_before_(not_before) {}
  UtcTime not_before() const { return not_before_; }

 private:
  UtcTime not_before_;
};

class IntensityProvider {
 public:
  virtual ~IntensityProvider() = default;
  virtual std::string name() const = 0;  // "electricitymaps"
  virtual std::string zone() const = 0;  // "DE", "CAISO_NORTH", "GB"
  // How often the provider publishes a new value (its data's resolution): LiveSource counts an
  // answer whose newest value lies more than a few of these from now as a failed fetch.
  virtual Duration period() const = 0;
  // The most recent value. Errors: NetworkError (transport, HTTP status; ProviderHoldOff when
  // the service named a time to come back), InputError (a body that does not parse or lacks a
  // field or has the wrong unit), each naming the provider.
  virtual ProviderPoint latest() = 0;
  // Recorded values starting in [from, to), in time order.
  virtual std::vector<ProviderPoint> history(UtcTime from, UtcTime to) = 0;
  // The provider's own forecast from now on (empty when it publishes none).
  virtual std::vector<ProviderPoint> forecast() = 0;
};

}  // namespace chase
