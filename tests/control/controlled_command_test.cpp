// A real child process run under control: a GPU of the fake NVML library (its limits kept in a
// state file that outlives the call), a policy that always picks the lowest limit, and a
// command that waits until that limit is set. The limit is back when the call returns.

#include "control/controlled_command.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "carbon/forecast/forecaster.hpp"
#include "energy/fake_nvml_env.hpp"
#include "energy/nvml_device.hpp"
#include "support/temp_dir.hpp"
#include "trace_feed.hpp"

namespace chase {
namespace {

const std::string kA40 = "GPU-8932f937-d72c-4106-c12f-20bd9faed9f6";

class LowestLimitPolicy final : public Policy {
 public:
  std::string name() const override { return "lowest"; }
  void begin(const PolicyJob& job) override { points_ = job.points; }
  Power decide(const FrameContext&) override { return points_->all().back().limit; }

 private:
  const OperatingPoints* points_ = nullptr;
};

// The A40 of the fake library, an hourly trace served as the feed, and a session on them. The
// clock stands still: the first frame lasts until the command ends.
struct Rig {
  test::TempDir dir;
  std::filesystem::path state = dir.path() / "nvml-state.json";
  test::FakeNvmlEnv env{"two-gpus.json", state.string()};
  ManualClock clock{UtcTime::parse_iso8601_or_throw("2021-03-02T10:02:00Z", "test")};
  IntensityTrace trace = IntensityTrace::load(std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv");
  TraceFeed feed{trace};
  std::shared_ptr<PowerDevice> gpu =
      std::make_shared<NvmlDevice>(std::make_shared<const NvmlLibrary>(test::FakeNvmlEnv::library()), 0, clock);
  PowerProfile profile = PowerProfile::load("a40-resnet50");
  std::unique_ptr<Forecaster> forecaster = make_forecaster("persistence", Duration::hours(1));
  LowestLimitPolicy policy;
  DecisionLog log;
  ControlSession session{{gpu.get()}, feed, *forecaster, policy, clock, log};
  CommandMeter meter{{gpu}, clock, &feed, MeterSettings{Duration::milliseconds(20), {}, "run"}};

  ControlledCommandResult run(const std::vector<std::string>& argv) {
    ControlSessionSetup setup;
    setup.profile = &profile;
    return run_controlled_command(meter, argv, session, setup);
  }
  // Every limit set on the A40, in mW, in order.
  std::vector<long> history() const {
    std::ifstream in(state);
    const auto j = nlohmann::json::parse(in);
    if (!j.contains("set_history_mw") || !j["set_history_mw"].contains(kA40)) return {};
    return j["set_history_mw"][kA40].get<std::vector<long>>();
  }
};

TEST(ControlledCommand, TheLimitIsSetWhileTheCommandRunsAndRestoredAfter) {
  Rig rig;
  // Ends once the controller has set 100 W (the fake library writes it to the state file).
  const std::string wait_for_100w =
      "i=0; until grep -q 100000 \"$0\"; do i=$((i+1)); [ $i -gt 400 ] && exit 9; sleep 0.05; done";
  const ControlledCommandResult r = rig.run({"sh", "-c", wait_for_100w, rig.state.string()});
  ASSERT_TRUE(r.metered.started());
  EXPECT_EQ(r.metered.child.exit_code, 0);
  EXPECT_EQ(r.control.error_message(), "");
  ASSERT_GE(rig.log.decisions().size(), 1u);
  EXPECT_DOUBLE_EQ(rig.log.decisions().front().limit.watts(), 100);
  EXPECT_EQ(rig.history(), (std::vector<long>{100000, 300000}));
  EXPECT_DOUBLE_EQ(rig.gpu->power_limit().watts(), 300);
  EXPECT_EQ(r.metered.window.name, "run");
  ASSERT_EQ(r.metered.window.devices.size(), 1u);
  EXPECT_GT(r.metered.window.devices[0].energy.joules(), 0);
}

TEST(ControlledCommand, NothingIsControlledWhenTheCommandCannotStart) {
  Rig rig;
  const ControlledCommandResult r = rig.run({"chase-test-no-such-command"});
  EXPECT_FALSE(r.metered.started());
  EXPECT_EQ(r.metered.child.exit_code, 127);
  EXPECT_TRUE(rig.log.decisions().empty());
  EXPECT_TRUE(rig.history().empty());
  EXPECT_FALSE(r.control.error);
}

}  // namespace
}  // namespace chase
