#include "runs/tracked_run.hpp"

#include <fmt/format.h>

#include "core/environment.hpp"
#include "core/error.hpp"
#include "runs/run_identity.hpp"

namespace chase {

TrackedRun::TrackedRun(std::vector<std::shared_ptr<PowerDevice>> devices, const std::vector<DeviceEntry>& entries,
                       Clock& clock, IntensityFeed* feed, RunStore* store, TrackSettings settings)
    : settings_(std::move(settings)), store_(store) {
  if (devices.empty()) throw HardwareError("no device to meter");
  if (store != nullptr) {
    run_devices_ = run_devices(entries);
    for (RunDevice& d : run_devices_) d.rank = settings_.rank;
    for (RunDevice d : settings_.other_devices) {
      d.index = static_cast<int>(run_devices_.size());
      run_devices_.push_back(std::move(d));
    }
    std::vector<std::string> ids;
    for (const auto& d : devices) ids.push_back(d->id());
    RunHeader header = run_header(settings_.kind, settings_.command, clock.now(), settings_.intensity_source,
                                  process_environment());
    header.intensity_basis = settings_.intensity_basis;
    RecorderSettings recorder = settings_.recorder;
    recorder.rank = settings_.rank;
    recorder_ = std::make_unique<RunRecorder>(*store, header, run_devices_, ids, clock, recorder);
    if (feed != nullptr) {
      observed_ = std::make_unique<ObservedFeed>(*feed, recorder_->step_observer());
      feed = observed_.get();
    }
  }
  monitor_ = std::make_unique<Monitor>(std::move(devices), clock, feed);
  sampler_ = std::make_unique<Sampler>(*monitor_, settings_.interval,
                                       recorder_ ? recorder_->sink() : Sampler::Sink{});
  monitor_->begin(settings_.window);
}

TrackedRun::~TrackedRun() {
  try {
    if (!finished()) finish(RunStatus::kFailed, "the tracked block was not finished");
  } catch (...) {
    // The recorder's own destructor marks the run failed if finish() could not.
  }
}

std::optional<RunId> TrackedRun::id() const {
  return recorder_ ? std::optional<RunId>(recorder_->id()) : std::nullopt;
}

std::optional<std::filesystem::path> TrackedRun::store_path() const {
  return recorder_ ? std::optional<std::filesystem::path>(recorder_->store_path()) : std::nullopt;
}

DecisionLog::Listener TrackedRun::decision_recorder() {
  if (!recorder_) return {};
  RunRecorder* recorder = recorder_.get();
  return [recorder](const Decision& d, std::size_t frame) { recorder->record_decision(d, frame); };
}

void TrackedRun::discard() {
  if (discarded_) return;
  if (result_) throw Error("a finished run cannot be discarded");
  discarded_ = true;
  sampler_->stop();
  if (!recorder_) return;
  const RunId id = recorder_->id();
  // Ended first, so that nothing writes to it after it is gone.
  recorder_->finish(RunEnd{monitor_->clock().now(), RunStatus::kFailed, std::nullopt, Duration(), Energy(), std::nullopt,
                           std::string("discarded")},
                    nullptr);
  store_->remove(id);
}

TrackedResult TrackedRun::finish(RunStatus status, std::optional<std::string> note,
                                 const std::vector<RankDeviceTotals>& others) {
  if (discarded_) throw Error("the run was discarded");
  if (result_) return *result_;
  // Resolve the other ranks' devices first: a bad entry is an error before anything ends.
  std::vector<std::pair<int, const RankDeviceTotals*>> remote;
  for (const RankDeviceTotals& o : others) {
    int index = -1;
    for (const RunDevice& d : run_devices_) {
      if (d.rank == o.rank && d.device_id == o.device_id) index = d.index;
    }
    if (index < 0 && recorder_) {
      throw InputError(fmt::format("rank {}'s device {} is not among the run's devices", o.rank, o.device_id));
    }
    remote.emplace_back(index, &o);
  }
  sampler_->stop();
  TrackedResult r;
  r.window = monitor_->end(settings_.window);
  r.samples = sampler_->samples_taken();
  r.sampling_errors = sampler_->errors();
  r.stopped = monitor_->device_failures();
  r.energy = r.window.energy;
  r.carbon = r.window.carbon;
  for (const auto& [index, o] : remote) {
    r.energy += o->energy;
    if (o->carbon) r.carbon = r.carbon.value_or(Mass()) + *o->carbon;
    if (recorder_) recorder_->set_device_totals(index, o->energy, o->carbon);
  }
  if (recorder_) {
    RunEnd end;
    end.ended_at = r.window.end;
    end.status = status;
    end.time = r.window.time;
    end.energy = r.energy;
    end.carbon = r.carbon;
    end.note = std::move(note);
    recorder_->finish(end, &r.window);
  }
  result_ = r;
  return r;
}

}  // namespace chase
