#pragma once
// A stretch of the caller's own process, metered and recorded: what `with chase.track(...)` and
// the training integration (`chase.torch`) run on, where `chase measure` meters a child command
// instead (energy/metered_command.hpp). One Monitor window over the devices from construction to
// finish(), a Sampler reading them every interval and at each boundary of the intensity feed,
// and — with a run store — a RunRecorder writing the run as it goes (a process killed mid-run
// leaves it in the store, marked interrupted by the next reader).
//
// A data-parallel job is one run: every rank meters its own devices, the rank that records
// (rank 0) lists the others' devices in `other_devices` and hands their totals to finish(); the
// run's energy and carbon are the sums over every rank.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/decision_log.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"
#include "energy/device_metering.hpp"
#include "energy/monitor.hpp"
#include "energy/sampler.hpp"
#include "runs/run_recorder.hpp"
#include "store/run_store.hpp"

namespace chase {

struct TrackSettings {
  std::string kind = "track";          // the run's kind in the store ("track", "train")
  std::vector<std::string> command;    // what the run records as its command (the script's argv)
  std::string window = "track";        // the Monitor window's name
  Duration interval = Sampler::kDefaultPeriod;
  std::optional<std::string> intensity_source;  // the feed's name, when priced
  std::optional<std::string> intensity_basis;   // what its figures are (carbon/intensity_basis.hpp)
  // Data-parallel jobs: this process's rank (its devices are recorded with it), and the other
  // ranks' devices, each with its rank, when this process records the job's one run.
  std::optional<int> rank;
  std::vector<RunDevice> other_devices;
  RecorderSettings recorder;
};

// Another rank's device totals, for the recording rank's finish().
struct RankDeviceTotals {
  int rank = 0;
  std::string device_id;
  Energy energy;
  std::optional<Mass> carbon;
};

struct TrackedResult {
  WindowResult window;           // this process's devices
  Energy energy;                 // every rank's
  std::optional<Mass> carbon;    // every rank's, when priced
  std::size_t samples = 0;
  std::size_t sampling_errors = 0;
  std::vector<DeviceFailure> stopped;  // devices that stopped answering
};

class TrackedRun {
 public:
  // Starts metering now. `devices` are metered; `entries` name every device, metered or not
  // (energy/device_discovery.hpp: DiscoveredDevices::metering). `feed` (may be null: energy
  // only) and `clock` are borrowed, as is `store` (null: not recorded). Throws what the Monitor
  // throws for a device that cannot be read at the start, and what the store throws.
  TrackedRun(std::vector<std::shared_ptr<PowerDevice>> devices, const std::vector<DeviceEntry>& entries, Clock& clock,
             IntensityFeed* feed, RunStore* store, TrackSettings settings);
  ~TrackedRun();  // a run not finished is recorded as failed
  TrackedRun(const TrackedRun&) = delete;
  TrackedRun& operator=(const TrackedRun&) = delete;

  Monitor& monitor() { return *monitor_; }
  std::optional<RunId> id() const;
  std::optional<std::filesystem::path> store_path() const;
  // For a controlled run: records each decision and the profile (null when not recorded).
  RunRecorder* recorder() { return recorder_.get(); }
  // A DecisionLog listener that records each decision; empty when not recorded.
  DecisionLog::Listener decision_recorder();

  // Stops sampling and ends the window; records the end (status and note, e.g. the exception
  // that ended a `with` block) with the other ranks' totals added. Throws InputError for a
  // device of `others` the run does not list. Idempotent: a second call returns the first result.
  TrackedResult finish(RunStatus status = RunStatus::kCompleted, std::optional<std::string> note = std::nullopt,
                       const std::vector<RankDeviceTotals>& others = {});
  bool finished() const { return result_.has_value() || discarded_; }
  // Stops metering and removes the run from the store, as if it had never begun: for a caller
  // whose own set-up failed after the run started (a refused run records nothing). Throws Error
  // after finish(); a second call does nothing.
  void discard();

 private:
  TrackSettings settings_;
  RunStore* store_;
  std::unique_ptr<ObservedFeed> observed_;
  std::unique_ptr<RunRecorder> recorder_;
  std::vector<RunDevice> run_devices_;
  std::unique_ptr<Monitor> monitor_;
  std::unique_ptr<Sampler> sampler_;
  std::optional<TrackedResult> result_;
  bool discarded_ = false;
};

}  // namespace chase
