// The run store: a run written as a recorder writes it and read back; the forward migration of
// a file of the first schema version; a newer file refused; runs whose recorder died marked
// interrupted with totals from what they recorded; delete removing everything of a run.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "store/run_schema.hpp"
#include "store/run_store.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

const UtcTime kStart = UtcTime::parse_iso8601_or_throw("2026-03-01T12:00:00Z", "test");

RunHeader header() {
  RunHeader h;
  h.kind = "measure";
  h.command = {"python", "train.py", "--epochs", "3"};
  h.started_at = kStart;
  h.host = "node-1";
  h.user = "alice";
  h.chase_version = "0.1.0";
  h.pid = 4242;
  h.pid_start_ticks = 777;
  h.boot_id = "boot-a";
  h.intensity_source = "trace:gb-2020";
  h.intensity_basis = "trace gb-2020, 2020-01-01 to 2020-12-31";
  h.context = {{"SLURM_JOB_ID", "991"}, {"RANK", "0"}};
  return h;
}

std::vector<RunDevice> devices() {
  RunDevice gpu{0, "nvml:0", "NVIDIA A40", "GPU-8932", "nvml", "counter", "energy counter", false, std::nullopt, {}, {}};
  RunDevice cpu{1, "estimated:cpu", "CPU", "150 W TDP", "estimated", "estimate", "estimated", true, std::nullopt, {}, {}};
  RunDevice mig{2, "cuda:MIG-1", "MIG instance", "", "nvml", "none", "MIG instance: not metered", false, std::nullopt, {}, {}};
  return {gpu, cpu, mig};
}

UtcTime at(double seconds) { return kStart + Duration::seconds(seconds); }

// Two steps: 100 g/kWh for the first 60 s, 400 g/kWh after.
std::vector<PricedStep> steps() {
  return {PricedStep{kStart, at(60), CarbonIntensity::g_per_kwh(100), "trace:gb-2020", false, Duration::seconds(0), {}, {}},
          PricedStep{at(60), at(120), CarbonIntensity::g_per_kwh(400), "cache", true, Duration::seconds(1800), {}, {}}};
}

TEST(RunStore, WritesARunAndReadsItBack) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  EXPECT_EQ(store.schema_version(), RunStore::kSchemaVersion);
  EXPECT_EQ(store.journal_mode(), "wal");
  const RunId id = store.begin(header(), devices());
  // GPU 200 W for 90 s, CPU 50 W.
  store.append(id,
               {PowerSample{0, at(0), Energy::joules(0), {}}, PowerSample{1, at(0), Energy::joules(0), {}},
                PowerSample{0, at(90), Energy::joules(18000), Power::watts(200)},
                PowerSample{1, at(90), Energy::joules(4500), Power::watts(50)}},
               steps(), {RecordedDecision{0, kStart, at(60), Power::watts(250), CarbonIntensity::g_per_kwh(110), {}, "trace:gb-2020", false}},
               at(90));
  store.set_profile(id, {RunProfilePoint{Power::watts(300), Duration::seconds(1), Energy::joules(300)},
                         RunProfilePoint{Power::watts(150), Duration::seconds(1.5), Energy::joules(225)}});
  std::vector<RunDevice> totals = devices();
  totals[0].energy = Energy::joules(18000);
  totals[0].carbon = Mass::grams(1.5);
  totals[1].energy = Energy::joules(4500);
  totals[1].carbon = Mass::grams(0.375);
  RunEnd end{at(90), RunStatus::kCompleted, 0, Duration::seconds(90), Energy::joules(22500), Mass::grams(1.875), {}};
  store.finish(id, end, totals, {});

  const auto run = store.find(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kCompleted);
  EXPECT_EQ(run->header.command, header().command);
  EXPECT_EQ(run->header.context.at("SLURM_JOB_ID"), "991");
  EXPECT_EQ(run->header.host, "node-1");
  EXPECT_EQ(run->header.intensity_source, "trace:gb-2020");
  EXPECT_EQ(run->header.intensity_basis, "trace gb-2020, 2020-01-01 to 2020-12-31");
  EXPECT_EQ(run->ended_at, at(90));
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_DOUBLE_EQ(run->time.seconds(), 90);
  EXPECT_DOUBLE_EQ(run->energy.joules(), 22500);
  EXPECT_DOUBLE_EQ(run->carbon->grams(), 1.875);
  EXPECT_FALSE(run->totals_from_samples);
  ASSERT_EQ(run->devices.size(), 3u);
  EXPECT_EQ(run->devices[0].uuid, "GPU-8932");
  EXPECT_DOUBLE_EQ(run->devices[0].energy->joules(), 18000);
  EXPECT_EQ(run->devices[2].metering, "none");
  EXPECT_FALSE(run->devices[2].energy);
  ASSERT_EQ(run->profile.size(), 2u);
  EXPECT_DOUBLE_EQ(run->profile[0].limit.watts(), 150);  // lowest first
  EXPECT_EQ(run->sample_count, 4u);
  EXPECT_EQ(run->step_count, 2u);
  EXPECT_EQ(run->decision_count, 1u);

  const auto read_steps = store.steps(id);
  ASSERT_EQ(read_steps.size(), 2u);
  EXPECT_TRUE(read_steps[1].fallback);
  EXPECT_DOUBLE_EQ(read_steps[1].age->seconds(), 1800);
  const auto read_decisions = store.decisions(id);
  ASSERT_EQ(read_decisions.size(), 1u);
  EXPECT_DOUBLE_EQ(read_decisions[0].limit.watts(), 250);
  EXPECT_FALSE(read_decisions[0].actual);
}

TEST(RunStore, AppendedDecisionsAreReplacedByFrameWhenTheirFrameEnds) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  const RunId id = store.begin(header(), devices());
  RecordedDecision d{3, kStart, at(60), Power::watts(200), CarbonIntensity::g_per_kwh(150), {}, "s", false};
  store.append(id, {}, {}, {d}, at(1));
  d.actual = CarbonIntensity::g_per_kwh(170);
  store.append(id, {}, {}, {d}, at(61));
  const auto read = store.decisions(id);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_DOUBLE_EQ(read[0].actual->g_per_kwh(), 170);
}

TEST(RunStore, ARunWhoseRecorderDiedIsInterruptedWithItsRecordedTotals) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  const RunId id = store.begin(header(), devices());
  // The GPU at 200 W from 30 s to 90 s (12 kJ): half at 100 g/kWh, half at 400 g/kWh.
  store.append(id,
               {PowerSample{0, at(30), Energy::joules(6000), {}}, PowerSample{0, at(90), Energy::joules(18000), Power::watts(200)},
                PowerSample{1, at(30), Energy::joules(1000), {}}},
               steps(), {}, at(90));
  store.set_liveness([](const RunHeader&) { return true; });
  RunStore same_host_view(dir.path() / "runs.db");
  same_host_view.set_liveness([](const RunHeader&) { return true; });
  EXPECT_EQ(same_host_view.reconcile(at(100)), 0u);  // another host, fresh heartbeat: still running

  // Other host: its heartbeat decides. 5 minutes after the last write it may still run.
  EXPECT_EQ(store.reconcile(at(90 + 300)), 0u);
  EXPECT_EQ(store.reconcile(at(90 + 601)), 1u);
  const auto run = store.find(id);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, RunStatus::kInterrupted);
  EXPECT_EQ(run->ended_at, at(90));
  EXPECT_TRUE(run->totals_from_samples);
  EXPECT_DOUBLE_EQ(run->energy.joules(), 18000 + 1000);
  // 6 kJ at 100 g/kWh + 6 kJ at 400 g/kWh = (1/600 kWh)(100 + 400) g = 0.8333 g.
  ASSERT_TRUE(run->carbon);
  EXPECT_NEAR(run->carbon->grams(), 6000.0 / 3.6e6 * 500, 1e-9);
  EXPECT_NEAR(run->devices[0].carbon->grams(), 6000.0 / 3.6e6 * 500, 1e-9);
  EXPECT_DOUBLE_EQ(run->devices[1].energy->joules(), 1000);
  EXPECT_TRUE(run->note->find("chase stopped before the run ended") != std::string::npos) << *run->note;
}

TEST(RunStore, ARunOfThisHostIsInterruptedOnceItsProcessIsGone) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  RunHeader h = header();
  char name[256] = {};
  ASSERT_EQ(gethostname(name, sizeof name - 1), 0);
  h.host = name;
  const RunId id = store.begin(h, devices());
  bool alive = true;
  store.set_liveness([&](const RunHeader& seen) {
    EXPECT_EQ(seen.pid, 4242);
    EXPECT_EQ(seen.pid_start_ticks, 777);
    return alive;
  });
  EXPECT_EQ(store.find(id)->status, RunStatus::kRunning);
  alive = false;
  EXPECT_EQ(store.find(id)->status, RunStatus::kInterrupted);
}

TEST(RunStore, DeleteRemovesTheRunAndEverythingRecordedWithIt) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  const RunId keep = store.begin(header(), devices());
  const RunId gone = store.begin(header(), devices());
  store.append(gone, {PowerSample{0, at(1), Energy::joules(5), {}}}, steps(), {}, at(1));
  store.append(keep, {PowerSample{0, at(1), Energy::joules(7), {}}}, steps(), {}, at(1));
  EXPECT_TRUE(store.remove(gone));
  EXPECT_FALSE(store.remove(gone));
  EXPECT_FALSE(store.find(gone));
  EXPECT_EQ(store.samples(gone).size(), 0u);
  EXPECT_EQ(store.steps(gone).size(), 0u);
  ASSERT_EQ(store.samples(keep).size(), 1u);
  // Nothing of the deleted run is left in any table (foreign keys cascade).
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "runs.db").c_str(), &raw), SQLITE_OK);
  for (const char* table : {"run_devices", "run_context", "power_samples", "intensity_steps", "decisions"}) {
    sqlite3_stmt* q = nullptr;
    const std::string sql = std::string("SELECT COUNT(*) FROM ") + table + " WHERE run_id = " + std::to_string(gone);
    ASSERT_EQ(sqlite3_prepare_v2(raw, sql.c_str(), -1, &q, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(q, 0), 0) << table;
    sqlite3_finalize(q);
  }
  sqlite3_close(raw);
}

TEST(RunStore, ListsByStartWithSinceAndLimit) {
  test::TempDir dir;
  RunStore store(dir.path() / "runs.db");
  store.set_liveness([](const RunHeader&) { return true; });
  for (int i = 0; i < 4; ++i) {
    RunHeader h = header();
    h.host = "elsewhere";
    h.started_at = kStart + Duration::hours(i);
    store.begin(h, devices());
  }
  // Heartbeats are years old by the wall clock: runs of another host are interrupted on read.
  const auto all = store.list();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].header.started_at, kStart);
  EXPECT_EQ(all[3].status, RunStatus::kInterrupted);
  EXPECT_EQ(store.list({kStart + Duration::hours(2), std::nullopt}).size(), 2u);
  const auto newest = store.list({std::nullopt, 1});
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].header.started_at, kStart + Duration::hours(3));
}

// A file written by the first schema version (no profile table) with a run in it.
void write_version_1(const std::filesystem::path& path) {
  SqliteDatabase db("run store", path);
  db.migrate({run_store_schema().front()}, "");
  ASSERT_EQ(db.schema_version(), 1);
  db.execute(
      "INSERT INTO runs (kind, command_json, started_ms, heartbeat_ms, ended_ms, status, exit_code, host, user, "
      "chase_version, pid, pid_start_ticks, boot_id, intensity_source, time_s, energy_j, carbon_g) VALUES "
      "('measure', '[\"sleep\",\"1\"]', 1772366400000, 1772366401000, 1772366401000, 'completed', 0, 'old-host', "
      "'bob', '0.0.9', 1, 1, 'b', 'static:gb', 1.0, 150.0, 0.01)");
  db.execute(
      "INSERT INTO run_devices (run_id, device_index, device_id, name, uuid, backend, metering, reason, estimated, "
      "energy_j, carbon_g) VALUES (1, 0, 'estimated:cpu', 'CPU', '', 'estimated', 'estimate', 'estimated', 1, 150.0, 0.01)");
}

TEST(RunStore, MigratesAFileOfTheFirstVersionForward) {
  test::TempDir dir;
  const auto path = dir.path() / "runs.db";
  write_version_1(path);
  RunStore store(path);
  EXPECT_EQ(store.schema_version(), 4);
  const auto run = store.find(1);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->header.chase_version, "0.0.9");
  EXPECT_DOUBLE_EQ(run->energy.joules(), 150);
  EXPECT_TRUE(run->profile.empty());
  EXPECT_FALSE(run->header.intensity_basis);  // a column version 3 added, empty for older runs
  // The table version 2 added works.
  store.set_profile(1, {RunProfilePoint{Power::watts(300), Duration::seconds(2), Energy::joules(600)}});
  EXPECT_EQ(store.find(1)->profile.size(), 1u);
}

TEST(RunStore, RefusesAFileOfANewerVersion) {
  test::TempDir dir;
  const auto path = dir.path() / "runs.db";
  {
    RunStore store(path);
  }
  {
    SqliteDatabase db("run store", path);
    db.execute("UPDATE schema_version SET version = 7");
  }
  try {
    RunStore store(path);
    FAIL() << "opened a newer file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 7 is newer than this chase understands (4); use another --db file"),
              std::string::npos)
        << e.what();
  }
}

TEST(RunStore, DefaultPathFollowsChaseDbThenXdgThenHome) {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  EXPECT_EQ(default_run_store_path(env({{"CHASE_DB", "/x/r.db"}, {"XDG_DATA_HOME", "/d"}})), "/x/r.db");
  EXPECT_EQ(default_run_store_path(env({{"XDG_DATA_HOME", "/d"}, {"HOME", "/h"}})), "/d/chase/runs.db");
  EXPECT_EQ(default_run_store_path(env({{"HOME", "/h"}})), "/h/.local/share/chase/runs.db");
  EXPECT_EQ(default_run_store_path(env({})), "chase-runs.db");
}

}  // namespace
}  // namespace chase
