#include "energy/device_selection.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "energy/device_status.hpp"
#include "test_devices.hpp"

namespace chase {
namespace {

using Devices = std::vector<std::shared_ptr<PowerDevice>>;

TEST(DeviceSelection, PicksByIdOrWholeBackendEachOnce) {
  const auto a = std::make_shared<test::CountingDevice>("test:0");
  const auto b = std::make_shared<test::CountingDevice>("test:1");
  const Devices all{a, b};
  EXPECT_EQ(select_devices(all, {}), all);
  EXPECT_EQ(select_devices(all, {"test:1"}), (Devices{b}));
  EXPECT_EQ(select_devices(all, {"test:1", "test"}), (Devices{b, a}));
}

TEST(DeviceSelection, IdsAndBorrowedPointersInOrder) {
  const auto a = std::make_shared<test::CountingDevice>("test:0");
  const auto b = std::make_shared<test::CountingDevice>("test:1");
  const Devices all{b, a};
  EXPECT_EQ(device_ids(all), (std::vector<std::string>{"test:1", "test:0"}));
  EXPECT_EQ(borrowed(all), (std::vector<PowerDevice*>{b.get(), a.get()}));
}

TEST(DeviceSelection, ANameThatMatchesNothingIsAnInputErrorListingTheIds) {
  const Devices all{std::make_shared<test::CountingDevice>("test:0")};
  try {
    select_devices(all, {"nvml"});
    FAIL() << "nvml matched a test device";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "no device or backend 'nvml' here (found: test:0; see `chase devices`)");
  }
  EXPECT_THROW(select_devices({}, {"rapl"}), InputError);
}

TEST(DeviceStatus, ADeviceWithoutLimitsHasNoneAndSaysHowItsEnergyIsKnown) {
  test::CountingDevice d("test:0");
  const PowerLimitStatus limits = read_power_limits(d);
  EXPECT_FALSE(limits.range);
  EXPECT_FALSE(limits.current);
  EXPECT_TRUE(limits.error.empty());
  EXPECT_STREQ(energy_provenance(d), "measured");
}

}  // namespace
}  // namespace chase
