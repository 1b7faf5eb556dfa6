#include "control/limit_guard.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "fake_device.hpp"

namespace chase {
namespace {

using test::FakeGpu;

TEST(LimitGuard, RestoresOnScopeExitAndOnException) {
  FakeGpu a(Power::watts(250));
  FakeGpu b(Power::watts(200));
  {
    LimitGuard guard({&a, &b});
    a.set_power_limit(Power::watts(150));
    b.set_power_limit(Power::watts(300));
  }
  EXPECT_DOUBLE_EQ(a.power_limit().watts(), 250);
  EXPECT_DOUBLE_EQ(b.power_limit().watts(), 200);
  try {
    LimitGuard guard({&a});
    a.set_power_limit(Power::watts(100));
    throw std::runtime_error("training crashed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_DOUBLE_EQ(a.power_limit().watts(), 250);
}

TEST(LimitGuard, RestoreIsIdempotentAndLeavesUnchangedDevicesAlone) {
  FakeGpu a(Power::watts(250));
  LimitGuard guard({&a});
  EXPECT_TRUE(guard.restore().empty());
  EXPECT_TRUE(a.history.empty());  // nothing changed, nothing written
  a.set_power_limit(Power::watts(175));
  EXPECT_TRUE(guard.restore().empty());
  EXPECT_TRUE(guard.restore().empty());
  EXPECT_EQ(a.history, (std::vector<Power>{Power::watts(175), Power::watts(250)}));
}

TEST(LimitGuard, ReportsWhatItCouldNotRestoreAndStillTriesEveryDevice) {
  FakeGpu a(Power::watts(250));
  FakeGpu b(Power::watts(200));
  std::vector<std::string> reported;
  {
    LimitGuard guard({&a, &b}, [&](const std::string& line) { reported.push_back(line); });
    a.set_power_limit(Power::watts(150));
    b.set_power_limit(Power::watts(150));
    a.deny_limits(true);
  }
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_NE(reported[0].find("could not restore the power limit of fake:0 to 250 W"), std::string::npos) << reported[0];
  EXPECT_NE(reported[0].find("needs root"), std::string::npos) << reported[0];
  EXPECT_DOUBLE_EQ(b.power_limit().watts(), 200);
}

}  // namespace
}  // namespace chase
