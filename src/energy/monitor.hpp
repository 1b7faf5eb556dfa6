#pragma once
// Named measurement windows over a set of devices (the shape of Zeus's ZeusMonitor):
// begin("epoch 3") ... end("epoch 3") gives the time, each device's energy and, when an
// intensity feed is attached, the carbon. Windows may nest and overlap.
//
// Carbon is ∫ P(t)·CI(t) dt on the feed's own time grid: every read of the devices (begin, end
// and each Sampler tick) splits the energy since the previous read across the feed's steps and
// prices each part at its step's intensity. The Sampler wakes at every step boundary, so the
// counters are read where the intensity changes; between two reads that straddle a boundary
// the energy is split in proportion to time. Never total energy x average intensity.
//
// Thread-safe: the Sampler thread and the caller's threads may use one Monitor concurrently.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "core/units.hpp"
#include "energy/power_device.hpp"

namespace chase {

struct DeviceWindowResult {
  std::string id;
  std::string name;
  std::string backend;
  bool estimated = false;
  Energy energy;
  Power average_power;
  std::optional<Mass> carbon;  // with a feed
};

// One step of the intensity feed as far as it falls inside a window.
struct IntensitySegment {
  UtcTime from;   // clipped to the window
  UtcTime until;
  CarbonIntensity intensity;
  std::string source;
  bool fallback = false;
  Energy energy;  // all devices, inside the window and this step
  Mass carbon;    // energy x intensity
};

struct WindowResult {
  std::string name;
  UtcTime start;
  UtcTime end;
  Duration time;
  std::vector<DeviceWindowResult> devices;
  Energy energy;                       // all devices
  std::optional<Mass> carbon;          // with a feed: the sum over segments
  std::vector<IntensitySegment> segments;
  Energy energy_without_intensity;     // energy the feed could not price (it failed), not in carbon
  std::string intensity_error;         // the feed's latest failure inside the window, if any

  Power average_power() const { return time.seconds() > 0 ? energy / time : Power::watts(0); }
  bool any_estimated() const;
  bool any_fallback() const;           // a segment's intensity came from a fallback source
};

// A device whose read failed: from then on it is not read again, and it keeps the energy of its
// last good reading (what it used after that is not counted).
struct DeviceFailure {
  std::string id;
  std::string name;
  UtcTime at;          // the time of the failed read
  std::string reason;  // the read's error

  // "device rapl:package-0 (package-0) stopped answering at 2024-05-01T12:00:00Z: <reason>; its
  // energy after that is not counted"
  std::string describe() const;
};

// Cumulative energy of each device since the Monitor was made, at one instant.
struct MonitorSample {
  UtcTime time;
  std::vector<Energy> energy;  // in the order of Monitor::devices()
  std::vector<Mass> carbon;    // cumulative per device, priced on the feed (0 without one)
  std::optional<IntensityStep> step;  // the feed's step at `time`; none without a feed or when it failed
  std::size_t device_failures = 0;    // devices that stopped answering so far (Monitor::device_failures)
};

class Monitor {
 public:
  // Reads every device once (the origin): a device that cannot be read then is an error (thrown).
  // `feed` may be null (energy only); it must outlive the Monitor, as must `clock`.
  // Any later read (begin, end, sample) never throws for a device: a device whose read fails
  // keeps its last good reading, is not read again, and is listed by device_failures().
  Monitor(std::vector<std::shared_ptr<PowerDevice>> devices, Clock& clock, IntensityFeed* feed = nullptr);

  const std::vector<std::shared_ptr<PowerDevice>>& devices() const { return devices_; }
  Clock& clock() const { return clock_; }
  bool has_feed() const { return feed_ != nullptr; }

  // Throws InputError when a window of that name is already open.
  void begin(std::string_view name);
  // Throws InputError naming the open windows when no window of that name is open.
  WindowResult end(std::string_view name);
  bool is_open(std::string_view name) const;
  std::vector<std::string> open_windows() const;

  // Reads every device now: the Sampler's tick.
  MonitorSample sample();
  // The end of the intensity step the latest read fell in, so the sampler can read there;
  // nullopt without a feed (or before the feed answered).
  std::optional<UtcTime> next_intensity_boundary() const;
  // The devices that stopped answering, in the order they did.
  std::vector<DeviceFailure> device_failures() const;

 private:
  struct Snapshot {
    UtcTime time;
    std::vector<Energy> energy;
    std::vector<Mass> carbon;
    Energy total_energy;
    Energy uncovered_energy;
    std::size_t errors = 0;
  };
  // A stretch of the run with one intensity (or none, where the feed failed).
  struct LogEntry {
    UtcTime from;                           // where integration entered it
    std::optional<IntensityStep> step;      // nullopt: the feed failed here
    Energy energy_at_start;                 // cumulative, all devices
  };

  void read_locked();                       // reads the devices, integrates carbon
  void integrate(UtcTime t1, const std::vector<Energy>& energy_now);
  const IntensityStep* step_for(UtcTime t);  // cached; nullptr when the feed failed
  void enter(UtcTime from, const IntensityStep* step, Energy energy_at);
  Snapshot snapshot_locked() const;
  std::vector<IntensitySegment> segments_between(const Snapshot& a, const Snapshot& b) const;

  std::vector<std::shared_ptr<PowerDevice>> devices_;
  struct DeviceLabel {
    std::string id, name, backend;
    bool estimated;
  };
  std::vector<DeviceLabel> labels_;
  Clock& clock_;
  IntensityFeed* feed_;

  mutable std::mutex mutex_;
  std::vector<Energy> origin_;       // raw counter values at construction
  UtcTime last_time_;
  std::vector<Energy> energy_;       // cumulative since construction, per device
  std::vector<bool> failed_;         // per device: a read failed, it is read no more
  std::vector<DeviceFailure> failures_;
  Energy total_energy_;
  std::vector<Mass> carbon_;         // cumulative, per device
  Energy uncovered_energy_;
  std::size_t errors_ = 0;           // feed failures so far
  std::string last_error_;
  std::optional<IntensityStep> step_;  // cached current step
  std::vector<LogEntry> log_;
  std::map<std::string, Snapshot, std::less<>> open_;
};

}  // namespace chase
