#include "runs/run_recorder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {
namespace {

std::optional<Power> power_between(const std::optional<PowerSample>& previous, Energy energy, UtcTime at) {
  if (!previous) return std::nullopt;
  const Duration dt = at - previous->at;
  if (dt.seconds() <= 0) return std::nullopt;
  return (energy - previous->energy) / dt;
}

}  // namespace

std::vector<RunDevice> run_devices(const std::vector<DeviceEntry>& entries) {
  std::vector<RunDevice> out;
  out.reserve(entries.size());
  for (const DeviceEntry& e : entries) {
    RunDevice d;
    d.index = static_cast<int>(out.size());
    d.device_id = e.id;
    d.name = e.name;
    d.uuid = e.detail;
    d.backend = e.backend;
    d.metering = to_string(e.metering);
    d.reason = e.reason;
    d.estimated = e.metering == Metering::kEstimate;
    out.push_back(std::move(d));
  }
  return out;
}

RunEnd run_end(const MeteredCommandResult& result, UtcTime now) {
  RunEnd end;
  end.ended_at = result.started() ? result.window.end : now;
  end.exit_code = result.child.exit_code;
  end.status = result.started() && result.child.exit_code == 0 ? RunStatus::kCompleted : RunStatus::kFailed;
  end.time = result.window.time;
  end.energy = result.window.energy;
  end.carbon = result.window.carbon;
  if (result.start_error) end.note = *result.start_error;
  return end;
}

RunRecorder::RunRecorder(RunStore& store, const RunHeader& header, std::vector<RunDevice> devices,
                         const std::vector<std::string>& monitored_ids, Clock& clock, RecorderSettings settings)
    : store_(&store), clock_(&clock), settings_(settings), devices_(std::move(devices)) {
  for (const std::string& id : monitored_ids) {
    int index = -1;
    for (const RunDevice& d : devices_) {
      if (d.device_id == id && d.rank == settings_.rank) index = d.index;
    }
    if (index < 0) throw Error(fmt::format("run recorder: metered device {} is not among the run's devices", id));
    device_index_.push_back(index);
  }
  thinning_.assign(device_index_.size(), SampleThinning(settings_.thinning));
  kept_.assign(device_index_.size(), std::nullopt);
  latest_.assign(device_index_.size(), std::nullopt);
  base_.assign(device_index_.size(), std::nullopt);
  id_ = store_->begin(header, devices_);
}

RunRecorder::~RunRecorder() {
  try {
    RunEnd end;
    end.ended_at = clock_->now();
    end.status = RunStatus::kFailed;
    {
      std::lock_guard lock(mutex_);
      if (finished_) return;
      end.note = abandon_reason_;
    }
    finish(end, nullptr);
  } catch (...) {
    // A destructor must not throw; the run stays "running" and is marked interrupted later.
  }
}

Sampler::Sink RunRecorder::sink(Sampler::Sink next) {
  return [this, next = std::move(next)](const SamplerSample& sample) {
    take_sample(sample);
    if (next) next(sample);
  };
}

void RunRecorder::take_sample(const SamplerSample& sample) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  const std::size_t n = std::min(sample.energy.size(), device_index_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!base_[i]) base_[i] = sample.energy[i];
    const PowerSample reading{device_index_[i], sample.time, sample.energy[i] - *base_[i], std::nullopt};
    latest_[i] = reading;
    if (!thinning_[i].keep(sample.time)) continue;
    PowerSample kept = reading;
    kept.power = power_between(kept_[i], kept.energy, kept.at);
    kept_[i] = kept;
    pending_samples_.push_back(kept);
  }
  if (!last_flush_ || (sample.time - *last_flush_) >= settings_.flush_period) flush_locked(sample.time);
}

void RunRecorder::record_step(const IntensityStep& step, std::optional<Duration> age) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  const std::int64_t key = step.from.epoch_ms();
  if (auto it = steps_.find(key); it != steps_.end() && it->second.until == step.until &&
                                  it->second.intensity == step.intensity && it->second.source == step.source) {
    return;  // the same step again (the Monitor asks at every read)
  }
  PricedStep priced{step.from, step.until, step.intensity, step.source, step.fallback, age, std::nullopt, std::nullopt};
  steps_[key] = priced;
  pending_steps_[key] = priced;
}

ObservedFeed::Observer RunRecorder::step_observer() {
  return [this](const IntensityStep& step, std::optional<Duration> age) { record_step(step, age); };
}

void RunRecorder::record_decision(const Decision& decision, std::size_t frame) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  pending_decisions_.push_back(RecordedDecision{static_cast<int>(frame), decision.from, decision.until, decision.limit,
                                             decision.predicted, decision.actual, decision.source, decision.fallback});
}

void RunRecorder::record_profile(const PowerProfile& profile) {
  std::vector<RunProfilePoint> points;
  for (const ProfilePoint& p : profile.points()) points.push_back(RunProfilePoint{p.limit, p.time, p.energy});
  std::lock_guard lock(mutex_);
  try {
    store_->set_profile(id_, points);
  } catch (const std::exception& e) {
    ++write_failures_;
    last_write_failure_ = e.what();
  }
}

void RunRecorder::set_abandon_reason(std::string reason) {
  std::lock_guard lock(mutex_);
  abandon_reason_ = std::move(reason);
}

void RunRecorder::flush_locked(UtcTime now) {
  last_flush_ = now;
  std::vector<PricedStep> steps;
  for (const auto& [key, step] : pending_steps_) steps.push_back(step);
  try {
    store_->append(id_, pending_samples_, steps, pending_decisions_, now);
    pending_samples_.clear();
    pending_steps_.clear();
    pending_decisions_.clear();
  } catch (const std::exception& e) {
    // Kept for the next flush: a locked or full store may come back.
    ++write_failures_;
    last_write_failure_ = e.what();
  }
}

void RunRecorder::finish(const RunEnd& end, const WindowResult* window) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  // The last reading of each device closes its series; with a window, at the window's end and
  // energy, so the samples end at the totals.
  for (std::size_t i = 0; i < latest_.size(); ++i) {
    if (!latest_[i]) continue;
    PowerSample last = *latest_[i];
    if (window != nullptr) {
      for (const DeviceWindowResult& w : window->devices) {
        if (w.id == devices_[static_cast<std::size_t>(device_index_[i])].device_id) {
          last.at = std::max(window->end, last.at);
          last.energy = w.energy;
        }
      }
    }
    if (kept_[i] && kept_[i]->at == last.at && kept_[i]->energy == last.energy) continue;
    if (kept_[i] && kept_[i]->at == last.at) {
      // The same instant as the last kept sample, which may already be written: the closing
      // row goes 1 ms later, so a device's rows stay ordered by time.
      last.at = last.at + Duration::milliseconds(1);
    }
    last.power = power_between(kept_[i], last.energy, last.at);
    pending_samples_.push_back(last);
  }
  flush_locked(end.ended_at);

  std::vector<RunDevice> totals = devices_;
  std::vector<PricedStep> steps;
  if (window != nullptr) {
    for (RunDevice& d : totals) {
      for (const DeviceWindowResult& w : window->devices) {
        if (w.id != d.device_id || d.rank != settings_.rank) continue;
        d.energy = w.energy;
        d.carbon = w.carbon;
      }
    }
    for (const IntensitySegment& s : window->segments) {
      PricedStep step{s.from, s.until, s.intensity, s.source, s.fallback, std::nullopt, s.energy, s.carbon};
      for (const auto& [key, seen] : steps_) {
        if (seen.from <= s.from && s.from < seen.until) step.age = seen.age;
      }
      steps.push_back(std::move(step));
    }
  }
  for (RunDevice& d : totals) {
    if (const auto remote = remote_totals_.find(d.index); remote != remote_totals_.end()) {
      d.energy = remote->second.first;
      d.carbon = remote->second.second;
    }
  }
  try {
    store_->finish(id_, end, totals, steps);
  } catch (const std::exception& e) {
    ++write_failures_;
    last_write_failure_ = e.what();
  }
}

void RunRecorder::set_device_totals(int device_index, Energy energy, std::optional<Mass> carbon) {
  std::lock_guard lock(mutex_);
  const bool known = std::any_of(devices_.begin(), devices_.end(), [&](const RunDevice& d) { return d.index == device_index; });
  if (!known) throw InputError(fmt::format("run {} has no device {}", id_, device_index));
  remote_totals_[device_index] = {energy, carbon};
}

std::size_t RunRecorder::write_failures() const {
  std::lock_guard lock(mutex_);
  return write_failures_;
}

std::string RunRecorder::last_write_failure() const {
  std::lock_guard lock(mutex_);
  return last_write_failure_;
}

}  // namespace chase
