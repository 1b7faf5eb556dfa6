#include "energy/sampler.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chase {

Sampler::Sampler(Monitor& monitor, Duration period, Sink sink)
    : monitor_(monitor), period_(period), sink_(std::move(sink)) {
  if (!(period_.seconds() > 0)) {
    throw InputError(fmt::format("sampler period must be positive, got {} ms", period_.milliseconds()));
  }
  tick();
  thread_ = std::thread([this] { run(); });
}

Sampler::~Sampler() { stop(); }

Duration Sampler::next_wait(UtcTime now, UtcTime previous_deadline, Duration period,
                            std::optional<UtcTime> intensity_boundary) {
  UtcTime deadline = previous_deadline + period;
  // Fell behind (a slow read, a suspended machine): restart the rhythm instead of catching up.
  if (deadline <= now) deadline = now + period;
  if (intensity_boundary && *intensity_boundary > now && *intensity_boundary < deadline) deadline = *intensity_boundary;
  return deadline - now;
}

void Sampler::run() {
  std::unique_lock lock(mutex_);
  UtcTime deadline = monitor_.clock().now();
  while (!stopping_) {
    const UtcTime now = monitor_.clock().now();
    const Duration wait = next_wait(now, deadline, period_, monitor_.next_intensity_boundary());
    deadline = now + wait;
    if (wake_.wait_for(lock, std::chrono::duration<double>(wait.seconds()), [this] { return stopping_; })) break;
    lock.unlock();
    tick();
    lock.lock();
  }
}

void Sampler::tick() {
  try {
    const MonitorSample m = monitor_.sample();
    SamplerSample s{m.time, Duration::seconds(0), m.energy, std::vector<std::optional<Power>>(m.energy.size()),
                    m.carbon, m.step};
    if (previous_) {
      s.elapsed = m.time - first_time_;
      const Duration dt = m.time - previous_->time;
      for (std::size_t i = 0; i < s.energy.size() && dt.seconds() > 0; ++i) {
        s.average_power[i] = (s.energy[i] - previous_->energy[i]) / dt;
      }
    } else {
      first_time_ = m.time;
    }
    if (m.device_failures > device_failures_seen_) {
      const std::vector<DeviceFailure> failures = monitor_.device_failures();
      std::lock_guard lock(mutex_);
      errors_ += m.device_failures - device_failures_seen_;
      device_failures_seen_ = m.device_failures;
      last_error_ = failures.at(m.device_failures - 1).reason;
    }
    if (sink_) sink_(s);
    previous_ = std::move(s);
    std::lock_guard lock(mutex_);
    ++samples_;
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    ++errors_;
    last_error_ = e.what();
  }
}

void Sampler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  tick();
}

std::size_t Sampler::samples_taken() const {
  std::lock_guard lock(mutex_);
  return samples_;
}

std::size_t Sampler::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::string Sampler::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

}  // namespace chase
