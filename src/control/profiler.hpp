#pragma once
// Just-in-time power-limit profiling (Zeus, NSDI '23): during the first iterations of the real
// job, step through the power limits; at each, let a few iterations pass (warm-up), then
// measure time and energy over a number of iterations (or seconds); the result is a profile
// of the same work at every limit (power_limit_w,time_s,energy_j per iteration). No extra run:
// profiling iterations are training iterations. The training loop drives it by calling
// on_iteration() after every iteration; the device's limit is restored when profiling ends.

#include <optional>
#include <vector>

#include "core/clock.hpp"
#include "core/units.hpp"
#include "energy/power_device.hpp"
#include "energy/power_profile.hpp"

namespace chase {

struct ProfilerOptions {
  std::vector<Power> limits;          // empty: the device's range, highest first, every `step`
  Power step = Power::watts(25);
  int warmup_iterations = 5;
  int measure_iterations = 20;        // at least this many...
  std::optional<Duration> measure_time;  // ...and, if given, at least this long
};

class Profiler {
 public:
  // Devices (all get the same limit) and clock are borrowed. Throws HardwareError when a device
  // has no settable limit, InputError for options that cannot work (no limits, no iterations).
  Profiler(std::vector<PowerDevice*> devices, Clock& clock, ProfilerOptions options = {});
  ~Profiler();
  Profiler(const Profiler&) = delete;
  Profiler& operator=(const Profiler&) = delete;

  // Call after every training iteration. Returns true while profiling goes on.
  bool on_iteration();
  bool done() const { return next_limit_ >= limits_.size(); }
  const std::vector<Power>& limits() const { return limits_; }
  // Stops profiling before done() and restores the limits now (the destructor would, later).
  void abandon() { restore(); }
  // The measured profile; throws Error before done().
  PowerProfile profile() const;

 private:
  void start_limit();
  Energy total_energy() const;
  void restore();

  std::vector<PowerDevice*> devices_;
  Clock* clock_;
  ProfilerOptions options_;
  std::vector<Power> limits_;
  std::vector<Power> original_;
  std::size_t next_limit_ = 0;
  int iterations_at_limit_ = 0;
  UtcTime measure_from_;
  Energy measure_energy_from_;
  std::vector<ProfilePoint> measured_;
  bool restored_ = false;
};

}  // namespace chase
