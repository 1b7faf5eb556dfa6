#pragma once
// The clock seam: everything that reads "now" or waits takes a Clock&, so tests and the
// simulator run on virtual time while production uses the system clock.

#include <chrono>
#include <mutex>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic within one Clock, expressed as UTC so it lines up with intensity traces.
  virtual UtcTime now() const = 0;
  virtual void sleep_for(Duration d) = 0;
};

// Wall-clock UTC at construction, advanced by the steady clock afterwards, so that NTP
// steps during a run cannot make a measurement window negative.
class SystemClock final : public Clock {
 public:
  SystemClock();
  UtcTime now() const override;
  void sleep_for(Duration d) override;

 private:
  UtcTime start_utc_;
  std::chrono::steady_clock::time_point start_steady_;
};

// Virtual time: only moves when told to (or when something sleeps on it). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UtcTime start = UtcTime::from_epoch_ms(0)) : now_(start) {}
  UtcTime now() const override;
  void sleep_for(Duration d) override { advance(d); }
  void advance(Duration d);
  void set(UtcTime t);

 private:
  mutable std::mutex mutex_;
  UtcTime now_;
};

}  // namespace chase
