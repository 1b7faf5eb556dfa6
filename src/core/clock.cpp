#include "core/clock.hpp"

#include <thread>

namespace chase {

SystemClock::SystemClock()
    : start_utc_(UtcTime::from_epoch_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count())),
      start_steady_(std::chrono::steady_clock::now()) {}

UtcTime SystemClock::now() const {
  const auto elapsed = std::chrono::steady_clock::now() - start_steady_;
  return start_utc_ + Duration::seconds(std::chrono::duration<double>(elapsed).count());
}

void SystemClock::sleep_for(Duration d) {
  if (d.seconds() > 0) std::this_thread::sleep_for(std::chrono::duration<double>(d.seconds()));
}

UtcTime ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::advance(Duration d) {
  std::lock_guard lock(mutex_);
  now_ = now_ + d;
}

void ManualClock::set(UtcTime t) {
  std::lock_guard lock(mutex_);
  now_ = t;
}

}  // namespace chase
