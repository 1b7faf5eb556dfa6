#pragma once
// How the controller waits for its next frame, and whether it has been asked to stop. The
// clock pacer sleeps on the controller's clock (virtual time in tests and the simulator's
// replays); the signal pacer waits on the wall clock but wakes at once on SIGINT/SIGTERM.

#include <condition_variable>
#include <functional>
#include <mutex>

#include "control/stop_signals.hpp"
#include "core/clock.hpp"

namespace chase {

class Pacer {
 public:
  virtual ~Pacer() = default;
  virtual bool stop_requested() const = 0;
  // Waits until `until` on the controller's clock; true when a stop was requested.
  virtual bool wait_until(UtcTime until) = 0;
};

class ClockPacer final : public Pacer {
 public:
  // `stop` may be empty (never stop); both must outlive the pacer.
  explicit ClockPacer(Clock& clock, std::function<bool()> stop = {}) : clock_(&clock), stop_(std::move(stop)) {}
  bool stop_requested() const override { return stop_ && stop_(); }
  bool wait_until(UtcTime until) override {
    const Duration left = until - clock_->now();
    if (left.seconds() > 0) clock_->sleep_for(left);
    return stop_requested();
  }

 private:
  Clock* clock_;
  std::function<bool()> stop_;
};

class SignalPacer final : public Pacer {
 public:
  SignalPacer(Clock& clock, const StopSignals& signals) : clock_(&clock), signals_(&signals) {}
  bool stop_requested() const override { return signals_->stop_requested(); }
  bool wait_until(UtcTime until) override { return signals_->wait_for(until - clock_->now()); }

 private:
  Clock* clock_;
  const StopSignals* signals_;
};

// Waits on a condition variable, so request_stop() from any thread ends the current wait at
// once. The deadline is read on `clock`, which must be the wall clock (SystemClock).
class WakeablePacer final : public Pacer {
 public:
  explicit WakeablePacer(Clock& clock) : clock_(&clock) {}
  bool stop_requested() const override {
    std::lock_guard lock(mutex_);
    return stop_;
  }
  bool wait_until(UtcTime until) override {
    std::unique_lock lock(mutex_);
    const Duration left = until - clock_->now();
    if (left.seconds() > 0) {
      wake_.wait_for(lock, std::chrono::duration<double>(left.seconds()), [this] { return stop_; });
    }
    return stop_;
  }
  void request_stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
  }

 private:
  Clock* clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace chase
