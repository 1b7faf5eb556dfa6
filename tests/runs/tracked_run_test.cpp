// TrackedRun: a stretch of this process metered and recorded, and a data-parallel job's one
// record with every rank's devices and the sums.

#include "runs/tracked_run.hpp"

#include <gtest/gtest.h>

#include "carbon/constant_intensity_feed.hpp"
#include "control/fake_device.hpp"
#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

const UtcTime kStart = UtcTime::parse_iso8601_or_throw("2026-05-04T10:00:00Z", "test");

std::vector<DeviceEntry> entries() {
  return {DeviceEntry{"fake:0", "Fake GPU", "fake", Metering::kCounter, "energy counter", "GPU-1"}};
}

RunDevice other_rank_gpu(int rank) {
  RunDevice d;
  d.device_id = "fake:0";
  d.name = "Fake GPU";
  d.uuid = "GPU-2";
  d.backend = "fake";
  d.metering = "counter";
  d.reason = "energy counter";
  d.rank = rank;
  return d;
}

TEST(TrackedRun, RecordsOneRunWithEveryRanksDevicesAndTheSums) {
  test::TempDir dir;
  ManualClock clock{kStart};
  RunStore store{dir.path() / "runs.db"};
  auto gpu = std::make_shared<test::FakeGpu>(Power::watts(300));
  ConstantIntensityFeed feed{CarbonIntensity::g_per_kwh(200), "static:test"};
  TrackSettings settings;
  settings.kind = "train";
  settings.command = {"train.py", "--epochs", "2"};
  settings.intensity_source = "static:test";
  settings.rank = 0;
  settings.other_devices = {other_rank_gpu(1)};
  TrackedRun run({gpu}, entries(), clock, &feed, &store, settings);
  ASSERT_TRUE(run.id());
  clock.advance(Duration::seconds(10));
  gpu->add_energy(Energy::joules(2000));

  const Mass rank1_carbon = Energy::joules(1500) * CarbonIntensity::g_per_kwh(200);
  EXPECT_THROW(run.finish(RunStatus::kCompleted, std::nullopt, {{2, "fake:0", Energy::joules(1), std::nullopt}}),
               InputError);
  const TrackedResult r = run.finish(RunStatus::kCompleted, std::nullopt, {{1, "fake:0", Energy::joules(1500), rank1_carbon}});
  EXPECT_DOUBLE_EQ(r.window.energy.joules(), 2000);
  EXPECT_DOUBLE_EQ(r.energy.joules(), 3500);
  ASSERT_TRUE(r.carbon);
  EXPECT_NEAR(r.carbon->grams(), 3500 / 3.6e6 * 200, 1e-12);

  const auto stored = store.find(*run.id());
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, RunStatus::kCompleted);
  EXPECT_EQ(stored->header.kind, "train");
  EXPECT_DOUBLE_EQ(stored->energy.joules(), 3500);
  ASSERT_TRUE(stored->carbon);
  EXPECT_NEAR(stored->carbon->grams(), 3500 / 3.6e6 * 200, 1e-12);
  ASSERT_EQ(stored->devices.size(), 2u);
  EXPECT_EQ(stored->devices[0].rank, 0);
  EXPECT_EQ(stored->devices[1].rank, 1);
  EXPECT_DOUBLE_EQ(stored->devices[0].energy->joules(), 2000);
  EXPECT_DOUBLE_EQ(stored->devices[1].energy->joules(), 1500);
  EXPECT_NEAR(stored->devices[1].carbon->grams(), rank1_carbon.grams(), 1e-12);
  // The samples are this process's device only, ending at its total.
  const auto samples = store.samples(*run.id());
  ASSERT_FALSE(samples.empty());
  EXPECT_EQ(samples.back().device_index, 0);
  EXPECT_DOUBLE_EQ(samples.back().energy.joules(), 2000);
  EXPECT_DOUBLE_EQ(run.finish().energy.joules(), 3500);  // idempotent
}

TEST(TrackedRun, WithoutAStoreItMetersOnlyAndAnUnfinishedRunIsRecordedFailed) {
  test::TempDir dir;
  ManualClock clock{kStart};
  auto gpu = std::make_shared<test::FakeGpu>(Power::watts(300));
  {
    TrackedRun run({gpu}, entries(), clock, nullptr, nullptr, {});
    EXPECT_FALSE(run.id());
    gpu->add_energy(Energy::joules(40));
    clock.advance(Duration::seconds(2));
    const TrackedResult r = run.finish(RunStatus::kFailed, "ValueError: boom");
    EXPECT_DOUBLE_EQ(r.energy.joules(), 40);
    EXPECT_FALSE(r.carbon);
    EXPECT_DOUBLE_EQ(r.window.time.seconds(), 2);
  }
  RunStore store{dir.path() / "runs.db"};
  std::optional<RunId> id;
  {
    TrackedRun run({gpu}, entries(), clock, nullptr, &store, {});
    id = run.id();
  }
  const auto stored = store.find(*id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, RunStatus::kFailed);
  EXPECT_EQ(stored->note, "the tracked block was not finished");
  EXPECT_FALSE(stored->devices[0].rank);
}

TEST(TrackedRun, ADiscardedRunLeavesNothingInTheStore) {
  test::TempDir dir;
  ManualClock clock{kStart};
  RunStore store{dir.path() / "runs.db"};
  auto gpu = std::make_shared<test::FakeGpu>(Power::watts(300));
  TrackedRun run({gpu}, entries(), clock, nullptr, &store, {});
  ASSERT_TRUE(run.id());
  run.discard();
  run.discard();  // once is enough
  EXPECT_TRUE(run.finished());
  EXPECT_FALSE(store.find(*run.id()));
  EXPECT_TRUE(store.list().empty());
  EXPECT_THROW(run.finish(), Error);
}

}  // namespace
}  // namespace chase
