#pragma once
// Power limits are shared state: whoever changes one restores it. LimitGuard records each
// device's limit when it is made and puts it back when it is destroyed — on normal exit and
// when an exception unwinds — or earlier through restore(), which the signal path calls before
// the process re-raises SIGINT/SIGTERM (stop_signals.hpp). Restoring twice is harmless.

#include <functional>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "energy/power_device.hpp"

namespace chase {

class LimitGuard {
 public:
  struct Recorded {
    PowerDevice* device;
    Power original;
  };
  // What goes wrong while restoring from the destructor (which must not throw); stderr by default.
  using Reporter = std::function<void(const std::string&)>;

  // Devices without a settable limit are skipped. Throws HardwareError when a device that has
  // one cannot report it (nothing would be restorable).
  explicit LimitGuard(std::vector<PowerDevice*> devices, Reporter report = {});
  ~LimitGuard();
  LimitGuard(const LimitGuard&) = delete;
  LimitGuard& operator=(const LimitGuard&) = delete;

  // Puts every recorded limit back. Returns the errors (one line per device); empty when all
  // were restored. Every device is tried even if one fails.
  std::vector<std::string> restore();
  const std::vector<Recorded>& recorded() const { return recorded_; }

 private:
  std::vector<Recorded> recorded_;
  Reporter report_;
};

}  // namespace chase
