#pragma once
// What the run store keeps of one measured (`chase measure`) or controlled (`chase run`) run,
// as plain records in core units, so that the store depends on nothing above core: the layer
// that runs things (runs/RunRecorder) fills them, and readers (`chase runs`, the report, the
// statement, Python) read them back.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

using RunId = std::int64_t;

// "running" while the recorder is alive; "completed" (the command exited 0), "failed" (it
// exited non-zero or could not start), "interrupted" (chase itself died mid-run: the row was
// left "running" by a process that is gone; see RunStore::reconcile).
enum class RunStatus { kRunning, kCompleted, kFailed, kInterrupted };
const char* to_string(RunStatus status);
std::optional<RunStatus> parse_run_status(const std::string& text);

// Who ran what, where: written when the run starts.
struct RunHeader {
  std::string kind;                   // "measure" or "run"
  std::vector<std::string> command;   // argv of the metered command
  UtcTime started_at;
  std::string host;                   // gethostname()
  std::string user;                   // the login name, else the uid
  std::string chase_version;          // "0.1.0"
  std::int64_t pid = 0;               // chase's own process, for telling a live run from a dead one
  std::int64_t pid_start_ticks = 0;   // its start time in clock ticks since boot (/proc/PID/stat field 22)
  std::string boot_id;                // /proc/sys/kernel/random/boot_id: pids repeat across boots
  std::optional<std::string> intensity_source;  // what priced the energy ("static:gb", "--intensity"); none: unpriced
  std::optional<std::string> intensity_basis;   // what its figures are: "DE 2024 (Electricity Maps yearly average)",
                                                // "trace gb-2020.csv, 2020-01-01 to 2020-12-31", "live, at the run's time"
  std::map<std::string, std::string> context;   // SLURM_JOB_ID, RANK, WORLD_SIZE, CUDA_VISIBLE_DEVICES, ... when set
};

// One device the run named: metered (how) or not (why). `index` orders them and keys samples.
struct RunDevice {
  int index = 0;
  std::string device_id;   // "nvml:0", "rapl:package-0", "estimated:cpu"
  std::string name;
  std::string uuid;        // GPU UUID, sysfs zone or model; "" when none
  std::string backend;     // "nvml", "rapl", "estimated"
  std::string metering;    // "counter", "power-integration", "estimate", "none"
  std::string reason;      // how it is metered or why not
  bool estimated = false;
  // The torch.distributed rank whose process metered it (schema version 4); none in a
  // single-process run. Device ids repeat across ranks ("nvml:0" on every node).
  std::optional<int> rank;
  std::optional<Energy> energy;  // totals, once the run ends (or from its last sample)
  std::optional<Mass> carbon;
};

// A device's reading at one instant: energy since the run began, and the average power since the
// previous kept sample (none for the first).
struct PowerSample {
  int device_index = 0;
  UtcTime at;
  Energy energy;
  std::optional<Power> power;
};

// One step of the intensity source the run was priced with.
struct PricedStep {
  UtcTime from;
  UtcTime until;
  CarbonIntensity intensity;
  std::string source;                // "trace:gb-2020", "cache", "static:gb"
  bool fallback = false;
  std::optional<Duration> age;       // the data's age when read (live sources); none: no age (static, trace)
  std::optional<Energy> energy;      // all devices inside the run and this step, once known
  std::optional<Mass> carbon;
};

// One frame of a controlled run.
struct RecordedDecision {
  int frame = 0;
  UtcTime from;
  UtcTime until;
  Power limit;
  CarbonIntensity predicted;
  std::optional<CarbonIntensity> actual;
  std::string source;
  bool fallback = false;
};

// One operating point of the profile a controlled run was steered with (schema version 2): the
// time and energy of the profile's unit of work at one power limit (energy/power_profile.hpp).
struct RunProfilePoint {
  Power limit;
  Duration time_per_unit;
  Energy energy_per_unit;
};

// How the run ended: written by RunRecorder::finish.
struct RunEnd {
  UtcTime ended_at;
  RunStatus status = RunStatus::kCompleted;
  std::optional<int> exit_code;      // as a shell reports it (143: SIGTERM)
  Duration time;                     // wall time of the window
  Energy energy;                     // all devices
  std::optional<Mass> carbon;        // when priced
  std::optional<std::string> note;   // e.g. "cannot run 'x': command not found"
};

// The energy a run priced with one source, from its recorded steps (a live provider and the
// fallbacks that stood in for it are separate entries).
struct StepSourceShare {
  std::string source;
  bool fallback = false;        // any of its steps was a fallback
  std::optional<Energy> energy;  // none while the steps carry no energy (the run did not end)
};

// A run as read back: header, end (when it ended), devices with totals, and counts of the series.
struct StoredRun {
  RunId id = 0;
  RunHeader header;
  RunStatus status = RunStatus::kRunning;
  std::optional<UtcTime> ended_at;
  UtcTime last_heartbeat;            // the last write of the recorder
  std::optional<int> exit_code;
  Duration time;                     // ended_at (or the last heartbeat) − started_at
  Energy energy;                     // the end's total, or the sum of each device's last sample
  std::optional<Mass> carbon;        // the end's total, or priced from the recorded samples and steps
  bool totals_from_samples = false;  // true for a run that did not end: totals are what was recorded
  std::optional<std::string> note;
  std::vector<RunDevice> devices;
  std::vector<RunProfilePoint> profile;  // by limit, lowest first
  std::vector<StepSourceShare> step_sources;  // by energy, largest first
  std::size_t sample_count = 0;
  std::size_t step_count = 0;
  std::size_t decision_count = 0;
};

}  // namespace chase
