#pragma once
// A training loop's GPU that behaves like the fixture profile: an iteration at limit l takes
// time(l) and energy(l) of noisy-profile.csv, on a manual clock. The profiler's and the training
// controller's tests step it.

#include <memory>
#include <string>

#include "core/clock.hpp"
#include "energy/power_profile.hpp"
#include "fake_device.hpp"

namespace chase::test {

struct ProfiledGpu {
  PowerProfile truth = PowerProfile::load(std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv");
  ManualClock clock{UtcTime::parse_iso8601_or_throw("2021-01-01T00:00:00Z", "test")};
  std::shared_ptr<FakeGpu> gpu = std::make_shared<FakeGpu>(Power::watts(300));

  // One iteration at the GPU's limit now.
  void iterate() {
    const ProfilePoint& p = truth.at_limit(gpu->power_limit());
    clock.advance(p.time);
    gpu->add_energy(p.energy);
  }
};

}  // namespace chase::test
