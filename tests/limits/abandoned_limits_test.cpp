// Records of the limits a chase without a daemon holds: a dead process's record is restored
// and removed; one that cannot be restored is said loudly and kept; a live one keeps others
// off its GPUs; a run's own record goes with it.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "control/fake_device.hpp"
#include "core/error.hpp"
#include "limits/abandoned_limits.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

// A pid that ran and is gone (reaped).
std::int64_t dead_pid() {
  const pid_t pid = test::start_process({"/bin/true"}, "");
  ::waitpid(pid, nullptr, 0);
  return pid;
}

void write_record(const test::TempDir& dir, const ProcessIdentity& owner, const std::string& device_key, int original_w) {
  const nlohmann::json j{{"version", 1},
                         {"pid", owner.pid},
                         {"start_ticks", owner.start_ticks},
                         {"boot_id", owner.boot_id},
                         {"uid", 0},
                         {"since_unix", 1764558000},
                         {"limits", {{{"device", "fake:0"}, {"uuid", device_key}, {"original_mw", original_w * 1000}}}}};
  dir.write("chase-" + std::to_string(owner.pid) + ".json", j.dump());
}

struct AbandonedLimitsTest : ::testing::Test {
  test::TempDir dir;
  std::shared_ptr<test::FakeGpu> gpu = std::make_shared<test::FakeGpu>(Power::watts(200));
  std::vector<std::shared_ptr<PowerDevice>> devices{gpu};
  ProcessIdentity dead{dead_pid(), 12345, this_process().boot_id};
};

TEST_F(AbandonedLimitsTest, ADeadProcesssLimitsAreRestoredAndItsRecordRemoved) {
  write_record(dir, dead, "fake:0", 300);
  const AbandonedLimits r = recover_abandoned_limits({dir.path()}, devices);
  EXPECT_DOUBLE_EQ(gpu->power_limit().watts(), 300);
  ASSERT_EQ(r.restored.size(), 1u);
  EXPECT_NE(r.restored[0].find("restored fake:0 (fake:0) from 200 W to its original 300 W: chase pid " +
                               std::to_string(dead.pid) + " of root (uid 0), since 2025-12-01T03:00:00Z"),
            std::string::npos)
      << r.restored[0];
  EXPECT_TRUE(r.left_lowered.empty());
  EXPECT_TRUE(read_limit_records({dir.path()}).empty());
}

TEST_F(AbandonedLimitsTest, WithoutThePrivilegeTheLoweredGpuIsSaidLoudlyAndTheRecordKept) {
  write_record(dir, dead, "fake:0", 300);
  gpu->deny_limits(true);
  const AbandonedLimits r = recover_abandoned_limits({dir.path()}, devices);
  EXPECT_DOUBLE_EQ(gpu->power_limit().watts(), 200);
  ASSERT_EQ(r.left_lowered.size(), 1u);
  EXPECT_NE(r.left_lowered[0].find("fake:0 (fake:0) is left at 200 W instead of its original 300 W by chase pid " +
                                   std::to_string(dead.pid) + " of root (uid 0), since 2025-12-01T03:00:00Z"),
            std::string::npos)
      << r.left_lowered[0];
  EXPECT_EQ(r.lowered_ids, std::vector<std::string>{"fake:0"});
  EXPECT_EQ(read_limit_records({dir.path()}).size(), 1u);  // for a run that can restore it
}

TEST_F(AbandonedLimitsTest, ALiveProcesssRecordIsLeftAloneAndKeepsOthersOffItsGpus) {
  ProcessIdentity parent = this_process();
  parent.pid = ::getppid();
  parent.start_ticks = process_start_ticks(parent.pid).value();
  write_record(dir, parent, "fake:0", 300);
  const AbandonedLimits r = recover_abandoned_limits({dir.path()}, devices);
  EXPECT_TRUE(r.restored.empty());
  EXPECT_DOUBLE_EQ(gpu->power_limit().watts(), 200);
  try {
    LimitRecordFile mine(dir.path() / "mine", {dir.path()}, {gpu.get()});
    ADD_FAILURE() << "a second run on the GPU was allowed";
  } catch (const PermissionError& e) {
    EXPECT_NE(std::string(e.what()).find("fake:0 (fake:0) is controlled by chase pid " + std::to_string(parent.pid)),
              std::string::npos)
        << e.what();
  }
}

TEST_F(AbandonedLimitsTest, ARunsOwnRecordHoldsItsOriginalsAndGoesWithIt) {
  std::filesystem::path path;
  {
    LimitRecordFile mine(dir.path() / "records", {dir.path() / "records"}, {gpu.get()});
    path = mine.path();
    const auto records = read_limit_records({dir.path() / "records"});
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].owner.pid, ::getpid());
    ASSERT_EQ(records[0].limits.size(), 1u);
    EXPECT_DOUBLE_EQ(records[0].limits[0].original.watts(), 200);
    // A live run's record is not restored by another reader.
    gpu->set_power_limit(Power::watts(150));
    EXPECT_TRUE(recover_abandoned_limits({dir.path() / "records"}, devices).restored.empty());
    EXPECT_DOUBLE_EQ(gpu->power_limit().watts(), 150);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace chase
