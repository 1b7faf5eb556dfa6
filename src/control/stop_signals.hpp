#pragma once
// SIGINT and SIGTERM turned into a request to stop, so that the controller can restore the
// power limits before the process ends. The handler only does what is async-signal-safe: it
// records the signal number and writes one byte to a pipe, which wakes a controller waiting for
// its next frame. After cleaning up, the owner calls reraise() so that the process still ends
// the way the signal asked (its parent sees "killed by SIGTERM", a shell 128 + 15).
//
// Signal dispositions are process-wide, so at most one StopSignals exists at a time; it puts
// back the previous dispositions when destroyed.

#include <optional>

#include "core/units.hpp"

namespace chase {

class StopSignals {
 public:
  // Throws Error when another StopSignals is alive or the pipe cannot be made.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool stop_requested() const;
  // The signal that asked to stop, if one did.
  std::optional<int> signal() const;
  // Waits up to `timeout` for a stop request; true when one arrived (or was already there).
  bool wait_for(Duration timeout) const;
  // Restores the previous dispositions and raises the signal again; returns only if no signal
  // arrived or the previous disposition ignores it.
  void reraise();

 private:
  bool restored_ = false;
};

}  // namespace chase
