#pragma once
// Records one measured or controlled run into the run store while it happens: the header and
// devices at the start; then, from the Sampler's thread, thinned power samples
// (runs/sample_thinning.hpp), every intensity step the meter priced (an ObservedFeed), every
// control decision (DecisionLog's listener) and the heartbeat, written in one transaction per
// flush (every `flush_period`, on the next sample after it); the totals and the end at finish().
//
// A sample's energy counts from the device's first sample (0 there); the last sample of a finished
// run is the window's energy of that device at the window's end, so the series ends at the totals.
//
// A chase killed with SIGKILL therefore loses what it recorded since the last flush (about a
// second at the default period; with --interval-ms above it, one sampling period): the run stays
// in the store and is marked interrupted by the next reader (RunStore::reconcile).
//
// A failed write to the store does not stop the run: the recorder keeps what it could not write
// for the next flush, counts the failure and keeps its message (the CLI warns once at the end).
// Thread-safe: the Sampler's thread, the controller's and the caller's may call it at once.

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "carbon/observed_feed.hpp"
#include "control/decision_log.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/device_metering.hpp"
#include "energy/metered_command.hpp"
#include "energy/power_profile.hpp"
#include "energy/sampler.hpp"
#include "runs/sample_thinning.hpp"
#include "store/run_store.hpp"

namespace chase {

struct RecorderSettings {
  Duration flush_period = Duration::seconds(1);
  SampleThinningRule thinning;
  // In a data-parallel job's run: the rank of the devices this process meters (the run's devices
  // also list the other ranks', whose totals come from set_device_totals). None: one process.
  std::optional<int> rank;
};

// The run store's device list from the devices' entries (energy/device_metering.hpp): every
// device named, metered or not, in the entries' order.
std::vector<RunDevice> run_devices(const std::vector<DeviceEntry>& entries);

// How a metered command ended, as the store keeps it: completed when it exited 0, failed when it
// exited otherwise or could not start (the reason as the note; `now` as its end).
RunEnd run_end(const MeteredCommandResult& result, UtcTime now);

class RunRecorder {
 public:
  // Writes the header and devices (throws what the store throws: nothing runs yet).
  // `monitored_ids` are the ids of the Monitor's devices in its order: sample i is the device
  // with monitored_ids[i]. `store` and `clock` must outlive the recorder.
  RunRecorder(RunStore& store, const RunHeader& header, std::vector<RunDevice> devices,
              const std::vector<std::string>& monitored_ids, Clock& clock, RecorderSettings settings = {});
  // A run not finished is ended as failed ("chase stopped before the run ended: <why>").
  ~RunRecorder();
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;

  RunId id() const { return id_; }
  const std::filesystem::path& store_path() const { return store_->path(); }

  // A Sampler sink that records each sample (thinned), then passes it to `next` (may be empty).
  Sampler::Sink sink(Sampler::Sink next = {});
  void record_step(const IntensityStep& step, std::optional<Duration> age);
  // record_step as an ObservedFeed's observer (carbon/observed_feed.hpp).
  ObservedFeed::Observer step_observer();
  void record_decision(const Decision& decision, std::size_t frame);
  void record_profile(const PowerProfile& profile);
  // The totals of a device this process does not meter (another rank's), written at finish().
  // Throws InputError for an index that is not one of the run's devices.
  void set_device_totals(int device_index, Energy energy, std::optional<Mass> carbon);
  // Records why the run ends early if it does not reach finish() (an exception in chase).
  void set_abandon_reason(std::string reason);

  // Writes what is pending, the last sample of each device, each device's totals and carbon,
  // the steps with their energy and carbon from `window` (when given) and the end. Idempotent.
  void finish(const RunEnd& end, const WindowResult* window);

  std::size_t write_failures() const;
  std::string last_write_failure() const;

 private:
  void take_sample(const SamplerSample& sample);
  void flush_locked(UtcTime now);

  RunStore* store_;
  Clock* clock_;
  RecorderSettings settings_;
  RunId id_ = 0;
  std::vector<RunDevice> devices_;
  std::vector<int> device_index_;  // monitored position -> RunDevice index

  mutable std::mutex mutex_;
  std::vector<SampleThinning> thinning_;           // per monitored device
  std::vector<std::optional<PowerSample>> kept_;   // the last kept sample per monitored device
  std::vector<std::optional<PowerSample>> latest_; // the latest seen, kept or not
  std::vector<std::optional<Energy>> base_;        // the first sample's reading: samples count from it
  std::vector<PowerSample> pending_samples_;
  std::map<std::int64_t, PricedStep> pending_steps_;  // by start, ms
  std::map<std::int64_t, PricedStep> steps_;          // every step seen (for ages at finish)
  std::vector<RecordedDecision> pending_decisions_;
  std::map<int, std::pair<Energy, std::optional<Mass>>> remote_totals_;  // by device index
  std::optional<UtcTime> last_flush_;
  bool finished_ = false;
  std::string abandon_reason_ = "chase stopped before the run ended";
  std::size_t write_failures_ = 0;
  std::string last_write_failure_;
};

}  // namespace chase
