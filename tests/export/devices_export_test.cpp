#include "export/devices_export.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

// A GPU whose limits read 250 W in 100-300 W (default 300 W), or fail to read.
class LimitedGpu final : public PowerDevice {
 public:
  explicit LimitedGpu(bool limits_fail) : fail_(limits_fail) {}
  std::string id() const override { return fail_ ? "gpu:1" : "gpu:0"; }
  std::string name() const override { return "Test GPU"; }
  std::string backend() const override { return "nvml"; }
  bool estimated() const override { return false; }
  Energy energy() override { return Energy::joules(0); }
  std::optional<Power> power() override { return std::nullopt; }
  bool has_energy_counter() const override { return !fail_; }
  std::string detail() const override { return "test"; }
  bool supports_power_limit() const override { return true; }
  PowerLimitRange power_limit_range() override {
    if (fail_) throw HardwareError("gpu:1: NVML_ERROR_UNKNOWN");
    return {Power::watts(100), Power::watts(300)};
  }
  Power power_limit() override { return Power::watts(250); }
  Power default_power_limit() override { return Power::watts(300); }

 private:
  bool fail_;
};

TEST(DevicesExport, WritesEachDeviceWithItsLimitsAndEachBackend) {
  DiscoveredDevices found;
  found.devices = {std::make_shared<LimitedGpu>(false), std::make_shared<LimitedGpu>(true)};
  const DeviceEntry hidden{"nvml:2", "GPU", "nvml", Metering::kNone, "hidden from the job: not in CUDA_VISIBLE_DEVICES='0,1'",
                           "GPU-5eed"};
  found.backends = {{"nvml", BackendState::kAvailable, "2 GPUs", {"GPU 2 hidden by CUDA_VISIBLE_DEVICES"}, {hidden}},
                    {"rapl", BackendState::kNoPermission, "energy_uj is root-only", {}, {}},
                    {"estimated", BackendState::kNotUsed, "not needed", {}, {}}};
  const nlohmann::json j = devices_json(found);
  ASSERT_EQ(j["devices"].size(), 2u);
  const nlohmann::json& ok = j["devices"][0];
  EXPECT_EQ(ok["id"], "gpu:0");
  EXPECT_EQ(ok["energy"], "measured");
  EXPECT_TRUE(ok["power_limit_supported"]);
  EXPECT_DOUBLE_EQ(ok["power_limit_w"], 250);
  EXPECT_DOUBLE_EQ(ok["power_limit_min_w"], 100);
  EXPECT_DOUBLE_EQ(ok["power_limit_max_w"], 300);
  EXPECT_DOUBLE_EQ(ok["default_power_limit_w"], 300);
  EXPECT_FALSE(ok.contains("power_limit_error"));
  const nlohmann::json& failed = j["devices"][1];
  EXPECT_EQ(failed["energy"], "measured (power polls)");
  EXPECT_TRUE(failed["power_limit_w"].is_null());
  EXPECT_TRUE(failed["power_limit_min_w"].is_null());
  EXPECT_EQ(failed["power_limit_error"], "gpu:1: NVML_ERROR_UNKNOWN");
  EXPECT_EQ(j["backends"][0]["notes"][0], "GPU 2 hidden by CUDA_VISIBLE_DEVICES");
  EXPECT_EQ(j["backends"][1]["state"], "no-permission");
  ASSERT_EQ(j["backends"].size(), 3u);

  // Every device, metered how or not metered why; a backend that found nothing is a row of its
  // own; a backend not used adds none.
  const nlohmann::json& m = j["metering"];
  ASSERT_EQ(m.size(), 4u) << m.dump(2);
  EXPECT_EQ(m[0], nlohmann::json({{"id", "gpu:0"}, {"name", "Test GPU"}, {"backend", "nvml"}, {"metering", "counter"},
                                  {"reason", "nvml energy counter"}, {"detail", "test"}}));
  EXPECT_EQ(m[1]["metering"], "power-integration");
  EXPECT_EQ(m[2]["id"], "nvml:2");
  EXPECT_EQ(m[2]["metering"], "none");
  EXPECT_EQ(m[2]["reason"], "hidden from the job: not in CUDA_VISIBLE_DEVICES='0,1'");
  EXPECT_EQ(m[3], nlohmann::json({{"id", "rapl"}, {"name", "no device found"}, {"backend", "rapl"}, {"metering", "none"},
                                  {"reason", "no-permission: energy_uj is root-only"}, {"detail", ""}}));
}

TEST(DevicesExport, ADeviceLeftOutIsListedAsNotMeteredWithTheReasonGiven) {
  DiscoveredDevices found;
  const auto kept = std::make_shared<LimitedGpu>(false);
  found.devices = {kept, std::make_shared<LimitedGpu>(true)};
  found.backends = {{"nvml", BackendState::kAvailable, "2 GPUs", {}, {}}};
  const nlohmann::json m = metering_json(found.metering({kept}, "left out by --device"));
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0]["metering"], "counter");
  EXPECT_EQ(m[1]["id"], "gpu:1");
  EXPECT_EQ(m[1]["metering"], "none");
  EXPECT_EQ(m[1]["reason"], "left out by --device");
}

}  // namespace
}  // namespace chase
