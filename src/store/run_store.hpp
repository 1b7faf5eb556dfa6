#pragma once
// The run store: every measured or controlled run in one SQLite file (WAL, foreign keys), so that
// runs can be listed, compared, reported and published later (`chase runs`, `chase report`).
//
// Default place: $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db, else ~/.local/share/chase/runs.db
// (default_run_store_path). A recorder writes a run as it goes (RunRecorder, one transaction per
// flush), so a chase killed with SIGKILL leaves the run with everything up to its last flush;
// the row stays "running" and the next reader that can tell its recorder is gone marks it
// "interrupted" (reconcile).
//
// Schema (one step per version, migrated forward on open; a newer file is refused):
//   1: runs, run_context, run_devices, power_samples, intensity_steps, decisions
//   2: + profile_points (the profile a controlled run was steered with)
//   3: + runs.intensity_basis (what the intensity figure is, e.g. "DE 2024 (Electricity Maps
//      yearly average)", so a statement can say which year)
// Times are epoch milliseconds (UTC), energy J, power W, carbon g, intensity gCO2e/kWh.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "core/environment.hpp"
#include "store/run_records.hpp"
#include "store/sqlite_database.hpp"

namespace chase {

// $CHASE_DB; else $XDG_DATA_HOME/chase/runs.db; else $HOME/.local/share/chase/runs.db; else
// chase-runs.db in the working directory.
std::filesystem::path default_run_store_path(const EnvironmentLookup& environment = process_environment());

// Says whether the process that wrote a "running" run is still alive (a run of this host whose
// pid is gone, or belongs to another process, or a run of an earlier boot, is not). Runs of other
// hosts are judged by their heartbeat instead.
using RecorderLiveness = std::function<bool(const RunHeader&)>;

struct RunListFilter {
  std::optional<UtcTime> since;   // runs started at or after
  std::optional<std::size_t> limit;  // the newest N
};

class RunStore {
 public:
  static constexpr int kSchemaVersion = 4;
  // A run of another host whose recorder wrote nothing for this long is taken as interrupted.
  static constexpr Duration kForeignHeartbeatTimeout = Duration::minutes(10);

  // Opens or creates the file (and its folder) and migrates it. Throws Error naming the path.
  explicit RunStore(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return db_.path(); }
  int schema_version() const { return db_.schema_version(); }
  std::string journal_mode() const { return db_.journal_mode(); }

  // Writing (a recorder's calls, in this order).
  RunId begin(const RunHeader& header, const std::vector<RunDevice>& devices);
  // One transaction: samples and decisions are added, steps added or replaced (by their start),
  // and the heartbeat moved to `heartbeat`.
  void append(RunId id, const std::vector<PowerSample>& samples, const std::vector<PricedStep>& steps,
              const std::vector<RecordedDecision>& decisions, UtcTime heartbeat);
  void set_profile(RunId id, const std::vector<RunProfilePoint>& profile);
  // The totals per device (by index) and the end; `steps` replace the recorded ones when not
  // empty (at the end each step knows its energy and carbon).
  void finish(RunId id, const RunEnd& end, const std::vector<RunDevice>& devices, const std::vector<PricedStep>& steps);

  // Reading. Each first marks dead recorders' runs interrupted (reconcile).
  std::vector<StoredRun> list(const RunListFilter& filter = {});
  std::optional<StoredRun> find(RunId id);
  std::vector<PowerSample> samples(RunId id) const;
  std::vector<PricedStep> steps(RunId id) const;
  std::vector<RecordedDecision> decisions(RunId id) const;
  // Deletes the run and everything recorded with it; false when there is none. Throws
  // InputError for a run still running (its recorder is alive).
  bool remove(RunId id);

  // Marks "running" runs whose recorder is gone as "interrupted" (ended at their last
  // heartbeat, totals from what was recorded); returns how many.
  std::size_t reconcile(UtcTime now);
  // The default asks /proc (core/process_identity.hpp); tests give their own.
  void set_liveness(RecorderLiveness liveness) { liveness_ = std::move(liveness); }

 private:
  StoredRun read_run(const SqliteStatement& row) const;
  void load_details(StoredRun& run) const;

  SqliteDatabase db_;
  RecorderLiveness liveness_;
  std::string this_host_;
};

}  // namespace chase
