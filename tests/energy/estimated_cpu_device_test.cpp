// The estimated CPU device over fake /proc/stat readings, and the /proc parsers behind it.

#include "energy/estimated_cpu_device.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "energy/cpu_model.hpp"
#include "energy/proc_stat.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

namespace fs = std::filesystem;

const fs::path kProc = fs::path(CHASE_FIXTURES_DIR) / "proc";

TEST(ProcStat, ParsesTheAggregateLine) {
  const CpuTimes before = parse_proc_stat("cpu  10000 0 2000 80000 500 0 100 400 0 0\ncpu0 1 2 3 4\n", "stat");
  EXPECT_EQ(before.busy_jiffies, 12100u);
  EXPECT_EQ(before.total_jiffies, 93000u);
  const CpuTimes after = parse_proc_stat("cpu  11500 0 2300 82100 550 0 130 420 0 0\n", "stat");
  EXPECT_DOUBLE_EQ(utilisation_between(before, after), 1830.0 / 4000.0);
  EXPECT_DOUBLE_EQ(utilisation_between(after, after), 0.0);
  // Old kernels have only user nice system idle.
  EXPECT_EQ(parse_proc_stat("cpu 5 1 4 90\n", "stat").total_jiffies, 100u);
}

TEST(ProcStat, RejectsMissingOrBrokenLines) {
  try {
    parse_proc_stat("cpu0 1 2 3 4\n", "/proc/stat");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "/proc/stat: no aggregate 'cpu' line");
  }
  try {
    parse_proc_stat("intr 5\ncpu  1 2 x 4\n", "/proc/stat");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "/proc/stat:2: 'x' is not a jiffy count");
  }
  EXPECT_THROW(parse_proc_stat("cpu  1 2 3\n", "s"), ParseError);
}

TEST(EstimatedCpuDevice, IdleShareOfTdpPlusUtilisationTimesTheRest) {
  test::TempDir proc;
  fs::copy_file(kProc / "before" / "stat", proc.path() / "stat");
  ManualClock clock;
  // An idle share of 0.25 keeps the numbers round: 50 W idle, 200 W fully busy.
  EstimatedCpuDevice cpu(Power::watts(200), "test", proc.path(), clock, 0.25);
  EXPECT_TRUE(cpu.estimated());
  EXPECT_EQ(cpu.backend(), "estimated");
  EXPECT_EQ(cpu.id(), "estimated:cpu");
  EXPECT_EQ(cpu.detail(), "200 W TDP x (25.0 % idle + utilisation x the rest) (test)");
  EXPECT_FALSE(cpu.power().has_value());  // no interval has passed yet
  clock.advance(Duration::seconds(10));
  fs::copy_file(kProc / "after" / "stat", proc.path() / "stat", fs::copy_options::overwrite_existing);
  // 45.75 % busy: 50 + 150 x 0.4575 = 118.625 W over the 10 s.
  EXPECT_DOUBLE_EQ(cpu.power()->watts(), 50 + 150 * 0.4575);
  EXPECT_DOUBLE_EQ(cpu.energy().joules(), (50 + 150 * 0.4575) * 10);
  // The jiffies did not move: the latest utilisation carries on.
  clock.advance(Duration::seconds(5));
  EXPECT_DOUBLE_EQ(cpu.energy().joules(), 1186.25 + 118.625 * 5);
  // They move again (fully busy since the last jiffy reading): the new share applies from the
  // last read on, so energy never runs ahead of TDP x time.
  std::ofstream(proc.path() / "stat", std::ios::trunc) << "cpu  12500 0 2300 82100 550 0 130 420 0 0\n";
  clock.advance(Duration::seconds(5));
  EXPECT_DOUBLE_EQ(cpu.energy().joules(), 1186.25 + 118.625 * 5 + 200.0 * 5);
  EXPECT_LE(cpu.energy().joules(), 200.0 * 20);
}

TEST(EstimatedCpuDevice, AnIdleCpuIsItsIdleShareOfTdpNotZero) {
  // `chase measure -- sleep 1` on an idle machine: the jiffies may not even move in a second.
  ManualClock clock;
  EstimatedCpuDevice cpu(Power::watts(150), "xeon-gold-6248 preset", kProc / "before", clock);
  clock.advance(Duration::seconds(1));
  // Cascade Lake's SPECpower idle ÷ full-load power per vCPU (CCF): 0.64 / 3.80 of 150 W.
  EXPECT_NEAR(cpu.energy().joules(), 150.0 * 0.64 / 3.80, 1e-9);
  EXPECT_NEAR(cpu.energy().joules(), 25.26, 0.01);
  EXPECT_EQ(cpu.detail(), "150 W TDP x (16.8 % idle + utilisation x the rest) (xeon-gold-6248 preset)");
  EXPECT_THROW(EstimatedCpuDevice(Power::watts(150), "t", kProc / "before", clock, 1.0), InputError);
}

TEST(EstimatedCpuDevice, MissingProcStatFailsAtConstruction) {
  ManualClock clock;
  EXPECT_THROW(EstimatedCpuDevice(Power::watts(100), "t", "/nonexistent/proc", clock), HardwareError);
  EXPECT_THROW(EstimatedCpuDevice(Power::watts(100), "t", kProc / "bad", clock), ParseError);
  EXPECT_THROW(EstimatedCpuDevice(Power::watts(0), "t", kProc / "before", clock), InputError);
}

TEST(CpuModel, ReadsTheModelName) {
  EXPECT_EQ(read_cpu_model_name(kProc / "before"), "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz");
  EXPECT_EQ(read_cpu_model_name(kProc / "after"), std::nullopt);
}

}  // namespace
}  // namespace chase
