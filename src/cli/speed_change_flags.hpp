#pragma once
// The flags that make a simulated job change speed during its run (control/speed_changes.hpp),
// shared by `chase simulate` and `chase bench policies`: --slower-after-hours, --slower-by,
// --stall-every-minutes, --stall-minutes, --stall-power-w.

#include <CLI/CLI.hpp>

#include "control/speed_changes.hpp"

namespace chase::cli {

struct SpeedChangeFlags {
  double slower_after_hours = -1;  // < 0: not given
  double slower_by = 0.10;
  double stall_every_minutes = 0;  // 0: no stalls
  double stall_minutes = 5;
  double stall_power_w = -1;       // < 0: the profile's lowest power

  void add_to(CLI::App& command);
  // Throws InputError naming the flag for a combination that makes no job (a stall as long as
  // its period).
  SpeedChanges changes() const;
};

}  // namespace chase::cli
