#pragma once
// What the metrics endpoint serves, kept up to date by the meter: each device's energy (a
// counter since chase started metering it), its power over the last sampling interval, its
// CO2e, a GPU's power limit (read at scrape time), the grid intensity the meter priced with and
// the age of its data. Fed by a Sampler sink and an ObservedFeed observer; read by
// snapshot() from the HTTP server's threads. Thread-safe.

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "carbon/observed_feed.hpp"
#include "energy/power_device.hpp"
#include "energy/sampler.hpp"

namespace chase {

struct DeviceMetrics {
  std::string id;        // "nvml:0"
  std::string name;      // "NVIDIA A40"
  std::string backend;   // "nvml"
  bool estimated = false;
  Energy energy;                 // since metering started
  std::optional<Power> power;    // over the last sampling interval
  std::optional<Mass> carbon;    // with an intensity source
  std::optional<Power> power_limit;  // GPUs with a settable limit
};

struct MetricsSnapshot {
  std::vector<DeviceMetrics> devices;
  std::optional<IntensityStep> intensity;   // the step the meter priced with last
  std::optional<Duration> intensity_age;    // its data's age, when the source knows it
  bool priced = false;                      // an intensity source is attached
  std::size_t samples = 0;
};

class MetricsState {
 public:
  // `devices` in the Monitor's order; `priced`: the meter has an intensity feed.
  MetricsState(std::vector<std::shared_ptr<PowerDevice>> devices, bool priced);

  // A Sampler sink that updates the metrics, then passes the sample to `next` (may be empty).
  Sampler::Sink sink(Sampler::Sink next = {});
  // An ObservedFeed observer that keeps the latest step and age, then calls `next`.
  ObservedFeed::Observer step_observer(ObservedFeed::Observer next = {});

  // The metrics now; GPUs' power limits are read here (a failed read leaves the limit out).
  MetricsSnapshot snapshot() const;

 private:
  std::vector<std::shared_ptr<PowerDevice>> devices_;
  mutable std::mutex mutex_;
  MetricsSnapshot state_;
};

}  // namespace chase
