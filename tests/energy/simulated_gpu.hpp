#pragma once
// Test-only (the simulator computes its frames from the profile directly): a device the Monitor
// and the controller can meter and drive in tests. A GPU that runs one training job as a
// measured power profile says (Zeus format: time and energy of the same work at each power
// limit), on a clock that may be virtual. At limit L it
// draws the profile's average power at L and does work at the profile's throughput at L, so a
// simulator or controller sees exactly the trade-off that was measured. Only profiled limits
// are accepted. It starts at the profile's highest limit, which is also its default.

#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "energy/power_device.hpp"
#include "energy/power_profile.hpp"

namespace chase {

class SimulatedGpu final : public PowerDevice {
 public:
  SimulatedGpu(PowerProfile profile, Clock& clock, std::string id = "sim:0");

  std::string id() const override { return id_; }
  std::string name() const override { return "simulated GPU"; }
  std::string backend() const override { return "simulated"; }
  bool estimated() const override { return false; }
  std::string detail() const override { return "power profile " + profile_.source(); }

  Energy energy() override;
  std::optional<Power> power() override;

  bool supports_power_limit() const override { return true; }
  PowerLimitRange power_limit_range() override;
  Power power_limit() override;
  Power default_power_limit() override { return profile_.max_limit(); }
  // Throws InputError naming the profiled limits when `limit` is not one of them.
  void set_power_limit(Power limit) override;

  const PowerProfile& profile() const { return profile_; }
  // Work done since construction, in units of the profile's work (1.0 = one profiled run).
  double work_done();
  // Time the remaining `work` (profile units) takes at the current limit.
  Duration time_for_work(double work);

 private:
  void advance();  // accrues energy and work up to clock_.now(); caller holds mutex_

  PowerProfile profile_;
  Clock& clock_;
  std::string id_;
  std::mutex mutex_;
  const ProfilePoint* point_;  // the current limit's row of profile_
  UtcTime last_update_;
  Energy energy_;
  double work_ = 0.0;
};

}  // namespace chase
