#include "cli/record_options.hpp"

#include <fmt/format.h>

#include <iostream>

#include "core/error.hpp"
#include "runs/run_identity.hpp"

namespace chase::cli {

void RecordOptions::add_to(CLI::App& command, bool recording) {
  command.add_option("--db", db_, "The run store (SQLite); default: $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db");
  if (recording) command.add_flag("--no-record", no_record_, "Do not record this run in the run store");
}

std::filesystem::path RecordOptions::path() const {
  if (!db_.empty()) return db_;
  return default_run_store_path();
}

bool RecordOptions::chosen() const {
  if (!db_.empty()) return true;
  const char* env = std::getenv("CHASE_DB");
  return env != nullptr && *env != '\0';
}

std::unique_ptr<RunStore> RecordOptions::open_for_recording() const {
  if (no_record_) return nullptr;
  try {
    return std::make_unique<RunStore>(path());
  } catch (const Error& e) {
    if (chosen()) throw InputError(fmt::format("{}{}", db_.empty() ? "CHASE_DB: " : "--db: ", e.what()));
    std::cerr << fmt::format("chase: warning: this run is not recorded: {} (--db PATH to record elsewhere, "
                             "--no-record to silence this)\n",
                             e.what());
    return nullptr;
  }
}

std::unique_ptr<RunStore> RecordOptions::open_for_reading() const {
  const std::filesystem::path p = path();
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) {
    throw InputError(fmt::format("{}no runs recorded in {} (the file does not exist)", db_.empty() ? "" : "--db: ",
                                 p.string()));
  }
  // A file that is there but cannot be opened (permissions, corruption, a newer schema) is a
  // failure of the environment, exit 1, not a mistyped flag.
  try {
    return std::make_unique<RunStore>(p);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw Error(fmt::format("{}{}", db_.empty() ? "" : "--db: ", e.what()));
  }
}

CommandRecording::CommandRecording(const RecordOptions& options, std::string kind,
                                   const std::vector<std::string>& command,
                                   const std::optional<std::string>& intensity_source,
                                   const std::optional<std::string>& intensity_basis,
                                   const std::vector<DeviceEntry>& entries,
                                   const std::vector<std::shared_ptr<PowerDevice>>& metered, Clock& clock)
    : clock_(&clock), store_(options.open_for_recording()) {
  if (!store_) return;
  std::vector<std::string> ids;
  for (const auto& d : metered) ids.push_back(d->id());
  RunHeader header = run_header(std::move(kind), command, clock.now(), intensity_source, process_environment());
  header.intensity_basis = intensity_basis;
  try {
    recorder_ = std::make_unique<RunRecorder>(*store_, header, run_devices(entries), ids, clock);
  } catch (const Error& e) {
    if (options.chosen()) throw;
    std::cerr << fmt::format("chase: warning: this run is not recorded: {}\n", e.what());
    store_.reset();
  }
}

std::optional<RunId> CommandRecording::id() const {
  return recorder_ ? std::optional<RunId>(recorder_->id()) : std::nullopt;
}

Sampler::Sink CommandRecording::sink(Sampler::Sink next) const {
  return recorder_ ? recorder_->sink(std::move(next)) : next;
}

IntensityFeed* CommandRecording::feed(IntensityFeed* feed, ObservedFeed::Observer also) {
  if (feed == nullptr || (!recorder_ && !also)) return feed;
  ObservedFeed::Observer observer = std::move(also);
  if (recorder_) {
    observer = [record = recorder_->step_observer(), also = std::move(observer)](const IntensityStep& step,
                                                                                  std::optional<Duration> age) {
      record(step, age);
      if (also) also(step, age);
    };
  }
  feed_ = std::make_unique<ObservedFeed>(*feed, std::move(observer));
  return feed_.get();
}

void CommandRecording::finish(const MeteredCommandResult& result) {
  if (!recorder_) return;
  recorder_->finish(run_end(result, clock_->now()), result.started() ? &result.window : nullptr);
  if (const std::size_t failures = recorder_->write_failures(); failures > 0) {
    std::cerr << fmt::format("chase: warning: run store: {} write(s) failed, the record of run {} is incomplete: {}\n",
                             failures, recorder_->id(), recorder_->last_write_failure());
  }
}

std::string CommandRecording::where() const {
  if (!recorder_) return "";
  return fmt::format("run {} in {}", recorder_->id(), recorder_->store_path().string());
}

StoredRun find_run(RunStore& store, RunId id) {
  auto run = store.find(id);
  if (!run) throw InputError(fmt::format("no run {} in {} (chase runs list shows the ids)", id, store.path().string()));
  return std::move(*run);
}

void print_recorded(const CommandRecording& recording) {
  if (const auto id = recording.id()) {
    std::cout << fmt::format("\nrecorded: {} (chase runs show {})\n", recording.where(), *id);
  }
}

nlohmann::json with_run_id(nlohmann::json document, const std::optional<RunId>& id) {
  document["run_id"] = id ? nlohmann::json(*id) : nlohmann::json(nullptr);
  return document;
}

}  // namespace chase::cli
