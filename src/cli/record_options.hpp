#pragma once
// Where `chase measure` and `chase run` record their runs, and `chase runs`/`chase report` read
// them: --db PATH (else $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db, else
// ~/.local/share/chase/runs.db) and --no-record. A store named on purpose (--db, CHASE_DB) that
// cannot be opened is an error before anything runs; the default place failing (a read-only
// home) only warns, and the run goes on unrecorded.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "energy/device_metering.hpp"
#include "energy/metered_command.hpp"
#include "runs/run_recorder.hpp"
#include "store/run_store.hpp"

namespace chase::cli {

class RecordOptions {
 public:
  // --db always; --no-record when `recording` (measure, run).
  void add_to(CLI::App& command, bool recording);
  std::filesystem::path path() const;
  bool chosen() const;  // --db or CHASE_DB given
  // The store to record into; null with --no-record, or (after a warning) when the default
  // place cannot be opened.
  std::unique_ptr<RunStore> open_for_recording() const;
  // The store to read; InputError when the file does not exist ("no runs recorded in PATH").
  std::unique_ptr<RunStore> open_for_reading() const;

 private:
  std::string db_;
  bool no_record_ = false;
};

// A run being recorded by a CLI command: its store and recorder, or nothing (--no-record).
class CommandRecording {
 public:
  // Starts the run in the store (when there is one). `entries`: every device named, metered or
  // not; `metered`: the Monitor's devices in order.
  CommandRecording(const RecordOptions& options, std::string kind, const std::vector<std::string>& command,
                   const std::optional<std::string>& intensity_source,
                   const std::optional<std::string>& intensity_basis, const std::vector<DeviceEntry>& entries,
                   const std::vector<std::shared_ptr<PowerDevice>>& metered, Clock& clock);

  RunRecorder* recorder() { return recorder_.get(); }
  std::optional<RunId> id() const;
  // The sink the meter gets: records, then passes to `next`.
  Sampler::Sink sink(Sampler::Sink next) const;
  // The feed the meter gets: records each step of `feed` and tells `also` (may be empty); null
  // stays null.
  IntensityFeed* feed(IntensityFeed* feed, ObservedFeed::Observer also = {});
  // Ends the run in the store and warns once on stderr when writes failed.
  void finish(const MeteredCommandResult& result);
  // "run 12 in /root/.local/share/chase/runs.db", for the report's last line; empty when not recorded.
  std::string where() const;

 private:
  Clock* clock_;
  std::unique_ptr<RunStore> store_;
  std::unique_ptr<RunRecorder> recorder_;
  std::unique_ptr<ObservedFeed> feed_;
};

// The run `id` of `store`; InputError "no run N in PATH (chase runs list shows the ids)".
StoredRun find_run(RunStore& store, RunId id);

// "recorded: run 12 in PATH (chase runs show 12)" on stdout, when the run was recorded.
void print_recorded(const CommandRecording& recording);

// `document` with run_id: the run's id in the store, null when it was not recorded.
nlohmann::json with_run_id(nlohmann::json document, const std::optional<RunId>& id);

}  // namespace chase::cli
