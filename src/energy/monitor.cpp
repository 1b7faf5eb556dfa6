#include "energy/monitor.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace chase {

bool WindowResult::any_estimated() const {
  return std::any_of(devices.begin(), devices.end(), [](const auto& d) { return d.estimated; });
}

bool WindowResult::any_fallback() const {
  return std::any_of(segments.begin(), segments.end(), [](const auto& s) { return s.fallback; });
}

std::string DeviceFailure::describe() const {
  return fmt::format("device {} ({}) stopped answering at {}: {}; its energy after that is not counted", id, name,
                     at.iso8601(), reason);
}

Monitor::Monitor(std::vector<std::shared_ptr<PowerDevice>> devices, Clock& clock, IntensityFeed* feed)
    : devices_(std::move(devices)), clock_(clock), feed_(feed) {
  for (const auto& d : devices_) {
    if (!d) throw InputError("Monitor: a device is null");
    const std::string id = d->id();
    if (std::any_of(labels_.begin(), labels_.end(), [&](const auto& l) { return l.id == id; })) {
      throw InputError(fmt::format("Monitor: device '{}' is listed twice", id));
    }
    labels_.push_back({id, d->name(), d->backend(), d->estimated()});
  }
  last_time_ = clock_.now();
  for (const auto& d : devices_) origin_.push_back(d->energy());
  energy_.assign(devices_.size(), Energy());
  failed_.assign(devices_.size(), false);
  carbon_.assign(devices_.size(), Mass());
}

const IntensityStep* Monitor::step_for(UtcTime t) {
  if (step_ && step_->from <= t && t < step_->until) return &*step_;
  try {
    IntensityStep s = feed_->step_at(t);
    if (!(s.from <= t && t < s.until)) {
      throw Error(fmt::format("intensity feed ({}): the step for {} is [{}, {}), which does not hold it", s.source,
                              t.iso8601(), s.from.iso8601(), s.until.iso8601()));
    }
    step_ = std::move(s);
    return &*step_;
  } catch (const Error& e) {
    // Energy keeps being recorded; only its pricing is lost, and the window says so.
    ++errors_;
    last_error_ = e.what();
    step_.reset();
    return nullptr;
  }
}

void Monitor::enter(UtcTime from, const IntensityStep* step, Energy energy_at) {
  if (!log_.empty()) {
    const LogEntry& back = log_.back();
    const bool same = step == nullptr ? !back.step.has_value()
                                      : back.step && back.step->from == step->from && back.step->until == step->until &&
                                            back.step->intensity == step->intensity && back.step->source == step->source &&
                                            back.step->fallback == step->fallback;
    if (same) return;
  }
  log_.push_back({from, step ? std::optional<IntensityStep>(*step) : std::nullopt, energy_at});
}

void Monitor::integrate(UtcTime t1, const std::vector<Energy>& energy_now) {
  const std::size_t n = devices_.size();
  std::vector<Energy> delta(n);
  Energy delta_total;
  for (std::size_t i = 0; i < n; ++i) {
    delta[i] = energy_now[i] - energy_[i];
    delta_total += delta[i];
  }
  const UtcTime t0 = last_time_;
  if (feed_ != nullptr) {
    const double span_s = (t1 - t0).seconds();
    if (span_s <= 0) {
      // No time passed (virtual clocks): whatever energy appeared belongs to the current step.
      const IntensityStep* s = step_for(t0);
      enter(t0, s, total_energy_);
      if (s == nullptr) uncovered_energy_ += delta_total;
      for (std::size_t i = 0; s != nullptr && i < n; ++i) carbon_[i] += delta[i] * s->intensity;
    } else {
      for (UtcTime t = t0; t < t1;) {
        const IntensityStep* s = step_for(t);
        const UtcTime segment_end = s != nullptr ? std::min(s->until, t1) : t1;
        const double share = (segment_end - t).seconds() / span_s;
        enter(t, s, total_energy_ + delta_total * ((t - t0).seconds() / span_s));
        if (s == nullptr) uncovered_energy_ += delta_total * share;
        for (std::size_t i = 0; s != nullptr && i < n; ++i) carbon_[i] += (delta[i] * share) * s->intensity;
        t = segment_end;
      }
    }
  }
  energy_ = energy_now;
  total_energy_ += delta_total;
  if (t1 > last_time_) last_time_ = t1;
}

void Monitor::read_locked() {
  const UtcTime now = clock_.now();
  std::vector<Energy> energy(devices_.size());
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    energy[i] = energy_[i];  // a device that does not answer keeps its last good reading
    if (failed_[i]) continue;
    try {
      energy[i] = devices_[i]->energy() - origin_[i];
    } catch (const Error& e) {
      failed_[i] = true;
      failures_.push_back({labels_[i].id, labels_[i].name, now, e.what()});
    }
  }
  integrate(now, energy);
}

Monitor::Snapshot Monitor::snapshot_locked() const {
  return {last_time_, energy_, carbon_, total_energy_, uncovered_energy_, errors_};
}

void Monitor::begin(std::string_view name) {
  std::lock_guard lock(mutex_);
  if (open_.find(name) != open_.end()) throw InputError(fmt::format("window '{}' is already open", name));
  read_locked();
  open_.emplace(std::string(name), snapshot_locked());
}

WindowResult Monitor::end(std::string_view name) {
  std::lock_guard lock(mutex_);
  const auto it = open_.find(name);
  if (it == open_.end()) {
    std::vector<std::string> names;
    for (const auto& [open_name, _] : open_) names.push_back("'" + open_name + "'");
    throw InputError(fmt::format("no open window '{}' ({})", name,
                                 names.empty() ? "no window is open" : fmt::format("open: {}", fmt::join(names, ", "))));
  }
  read_locked();
  const Snapshot& a = it->second;
  const Snapshot b = snapshot_locked();

  WindowResult r;
  r.name = it->first;
  r.start = a.time;
  r.end = b.time;
  r.time = b.time - a.time;
  r.devices.reserve(devices_.size());
  Mass carbon;
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    DeviceWindowResult d{labels_[i].id, labels_[i].name, labels_[i].backend, labels_[i].estimated,
                         b.energy[i] - a.energy[i], Power::watts(0), std::nullopt};
    if (r.time.seconds() > 0) d.average_power = d.energy / r.time;
    if (feed_ != nullptr) {
      d.carbon = b.carbon[i] - a.carbon[i];
      carbon += *d.carbon;
    }
    r.energy += d.energy;
    r.devices.push_back(std::move(d));
  }
  if (feed_ != nullptr) {
    r.carbon = carbon;
    r.segments = segments_between(a, b);
    r.energy_without_intensity = b.uncovered_energy - a.uncovered_energy;
    if (b.errors > a.errors) r.intensity_error = last_error_;
  }
  open_.erase(it);
  return r;
}

std::vector<IntensitySegment> Monitor::segments_between(const Snapshot& a, const Snapshot& b) const {
  std::vector<IntensitySegment> out;
  if (log_.empty()) return out;
  // The entry holding a.time, then every entry that starts before b.time.
  auto first = std::upper_bound(log_.begin(), log_.end(), a.time,
                                [](UtcTime t, const LogEntry& e) { return t < e.from; });
  if (first != log_.begin()) --first;
  for (auto k = static_cast<std::size_t>(first - log_.begin()); k < log_.size(); ++k) {
    const LogEntry& e = log_[k];
    if (e.from >= b.time && b.time > a.time) break;
    const bool last = k + 1 == log_.size();
    const UtcTime e_until = last ? last_time_ : log_[k + 1].from;
    const Energy e_end = last ? total_energy_ : log_[k + 1].energy_at_start;
    if (!e.step) continue;
    const UtcTime from = std::max(e.from, a.time);
    const UtcTime until = std::min(e_until, b.time);
    if (until < from || (until == from && b.time > a.time)) continue;
    const Energy energy = std::max(Energy(), std::min(e_end, b.total_energy) - std::max(e.energy_at_start, a.total_energy));
    out.push_back({from, until, e.step->intensity, e.step->source, e.step->fallback, energy, energy * e.step->intensity});
  }
  return out;
}

bool Monitor::is_open(std::string_view name) const {
  std::lock_guard lock(mutex_);
  return open_.find(name) != open_.end();
}

std::vector<std::string> Monitor::open_windows() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [name, _] : open_) names.push_back(name);
  return names;
}

MonitorSample Monitor::sample() {
  std::lock_guard lock(mutex_);
  read_locked();
  return {last_time_, energy_, carbon_, step_, failures_.size()};
}

std::vector<DeviceFailure> Monitor::device_failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

std::optional<UtcTime> Monitor::next_intensity_boundary() const {
  std::lock_guard lock(mutex_);
  if (!step_) return std::nullopt;
  return step_->until;
}

}  // namespace chase
