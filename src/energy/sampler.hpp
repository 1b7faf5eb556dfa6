#pragma once
// A background thread that reads a Monitor's devices every `period` (default 100 ms) and at
// every boundary of the Monitor's intensity feed. The reads are the power polls that devices
// without an energy counter integrate (NvmlDevice on pre-Volta GPUs: PowerIntegrator), they
// split carbon exactly where the intensity changes, and they feed a time series to an optional
// sink (e.g. `chase measure --csv`). stop() (or the destructor) wakes the thread at once:
// waits are on a condition variable, never a blocking sleep.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "energy/monitor.hpp"

namespace chase {

struct SamplerSample {
  UtcTime time;
  Duration elapsed;                           // since the sampler's first sample
  std::vector<Energy> energy;                 // cumulative per device since the Monitor was made
  std::vector<std::optional<Power>> average_power;  // since the previous sample; nullopt in the first
  std::vector<Mass> carbon;                   // cumulative per device on the Monitor's feed (0 without one)
  std::optional<IntensityStep> intensity;     // the feed's step at `time`, when it has one
};

class Sampler {
 public:
  using Sink = std::function<void(const SamplerSample&)>;
  static constexpr Duration kDefaultPeriod = Duration::milliseconds(100);

  // Takes the first sample and starts the thread. The sink sees every sample in order: the
  // first in this constructor, the last in stop(), the rest on the sampler thread. An exception
  // from it (or from a device read) is recorded, not propagated.
  explicit Sampler(Monitor& monitor, Duration period = kDefaultPeriod, Sink sink = {});
  ~Sampler();
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  // Stops and joins the thread, then takes one last sample so the series ends now. Idempotent.
  void stop();

  std::size_t samples_taken() const;
  // Failures so far (device reads, the sink) and the latest message; sampling goes on after one.
  // A device that stops answering counts once (Monitor::device_failures), when a tick sees it.
  std::size_t errors() const;
  std::string last_error() const;

  // How long to wait after `now` for the next read: one period after the previous deadline,
  // or earlier where the intensity changes. Exposed for tests.
  static Duration next_wait(UtcTime now, UtcTime previous_deadline, Duration period,
                            std::optional<UtcTime> intensity_boundary);

 private:
  void run();
  void tick();

  Monitor& monitor_;
  Duration period_;
  Sink sink_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::size_t samples_ = 0;
  std::size_t errors_ = 0;
  std::string last_error_;
  std::size_t device_failures_seen_ = 0;

  // Touched only by the thread that ticks (the worker, then stop() after joining it).
  std::optional<SamplerSample> previous_;
  UtcTime first_time_;
  std::thread thread_;
};

}  // namespace chase
