#include "export/run_export.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

WindowResult one_hour() {
  WindowResult w;
  w.start = at("2020-06-01T10:00:00Z");
  w.end = at("2020-06-01T11:00:00Z");
  w.time = Duration::hours(1);
  w.energy = Energy::joules(900000);
  return w;
}

TEST(RunExport, SummarisesAControlledCommandFromItsResultAndDecisions) {
  ControlledCommandResult result;
  result.metered.child = {143, {"SIGTERM"}, {2, true}};
  result.metered.command_time = Duration::minutes(40);
  result.metered.window = one_hour();
  result.metered.sampling.samples = 36000;
  result.metered.sampling.errors = 3;
  result.control.profiled = PowerProfile("measured", {{Power::watts(300), Duration::seconds(1), Energy::joules(250)}});
  result.control.profiling = Duration::minutes(5);
  result.control.outcome.end = ControlOutcome::End::kJobEnded;
  result.control.work_done_units = 42;
  result.control.error = std::make_exception_ptr(HardwareError("nvml:0: GPU is lost"));
  DecisionLog log;
  log.record({at("2020-06-01T10:05:00Z"), at("2020-06-01T10:35:00Z"), Power::watts(300), CarbonIntensity::g_per_kwh(200),
              CarbonIntensity::g_per_kwh(210), 1, "trace:gb", false});
  log.record({at("2020-06-01T10:35:00Z"), at("2020-06-01T11:05:00Z"), Power::watts(200), CarbonIntensity::g_per_kwh(200),
              CarbonIntensity::g_per_kwh(210), 1, "trace:gb", false});

  const RunSummary s = run_summary({"python", "train.py"}, result, log);
  EXPECT_EQ(s.command.command, (std::vector<std::string>{"python", "train.py"}));
  EXPECT_EQ(s.command.exit_code, 143);
  EXPECT_EQ(s.command.signals_forwarded, std::vector<std::string>{"SIGTERM"});
  EXPECT_EQ(s.command.descendants.at_exit, 2u);
  EXPECT_TRUE(s.command.descendants.waited);
  EXPECT_EQ(s.command.command_time, Duration::minutes(40));
  EXPECT_EQ(s.profiling, Duration::minutes(5));
  EXPECT_EQ(s.profiled, &*result.control.profiled);
  EXPECT_EQ(s.end, ControlOutcome::End::kJobEnded);
  EXPECT_EQ(s.control_error, "nvml:0: GPU is lost");
  EXPECT_DOUBLE_EQ(s.work_done_units, 42);
  EXPECT_EQ(s.decisions, &log.decisions());
  // The last decision's frame ends with the window (11:00), not at its own end.
  EXPECT_EQ(s.time_per_limit.at(300), Duration::minutes(30));
  EXPECT_EQ(s.time_per_limit.at(200), Duration::minutes(25));
  EXPECT_TRUE(s.policy.empty());  // the caller's
  EXPECT_EQ(s.sampler.samples, 36000u);
  EXPECT_EQ(s.sampler.errors, 3u);
}

TEST(RunExport, WritesTheProfilePerUnitOfWorkHighestLimitFirst) {
  const PowerProfile profile("test", {{Power::watts(200), Duration::seconds(2), Energy::joules(300)},
                                      {Power::watts(300), Duration::seconds(1.5), Energy::joules(375)}});
  const nlohmann::json j = profile_json(profile);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_DOUBLE_EQ(j[0]["power_limit_w"], 300);
  EXPECT_DOUBLE_EQ(j[0]["time_s"], 1.5);
  EXPECT_DOUBLE_EQ(j[0]["energy_j"], 375);
  EXPECT_DOUBLE_EQ(j[0]["avg_power_w"], 250);
  EXPECT_DOUBLE_EQ(j[1]["avg_power_w"], 150);
}

TEST(RunExport, WritesHowControlWentBesideTheWindow) {
  const PowerProfile profiled("profiled", {{Power::watts(300), Duration::seconds(1), Energy::joules(250)}});
  const std::vector<Decision> decisions{
      {at("2020-06-01T10:05:00Z"), at("2020-06-01T10:35:00Z"), Power::watts(300), CarbonIntensity::g_per_kwh(200),
       CarbonIntensity::g_per_kwh(210), 1, "trace:gb", false}};
  RunSummary run;
  run.command = {{"python", "train.py"}, 0, {}, {1, true}, Duration::minutes(50)};
  run.metering = {{"nvml:0", "NVIDIA A40", "nvml", Metering::kCounter, "nvml energy counter", "GPU-8932"},
                  {"cuda:MIG-GPU-8932/1/0", "MIG instance", "nvml", Metering::kNone, "not metered", ""}};
  run.policy = "chase";
  run.forecaster = "default";
  run.slowdown_budget = 0.05;
  run.profile = "profiled";
  run.profiling = Duration::minutes(5);
  run.profiled = &profiled;
  run.controlled_devices = {"nvml:0"};
  run.end = ControlOutcome::End::kStopped;
  run.work_done_units = 3000;
  run.decisions = &decisions;
  run.time_per_limit = {{300.0, Duration::minutes(30)}, {250.0, Duration::minutes(25)}};
  run.sampler = {100, 36000, 3};
  const nlohmann::json j = run_json(run, one_hour(), "trace:gb");
  EXPECT_DOUBLE_EQ(j["energy_j"], 900000);
  EXPECT_EQ(j["command"], nlohmann::json({"python", "train.py"}));
  EXPECT_EQ(j["policy"], "chase");
  EXPECT_DOUBLE_EQ(j["slowdown_budget"], 0.05);
  EXPECT_DOUBLE_EQ(j["profiling_s"], 300);
  EXPECT_DOUBLE_EQ(j["profiled"][0]["avg_power_w"], 250);
  EXPECT_EQ(j["controlled_devices"], nlohmann::json({"nvml:0"}));
  EXPECT_EQ(j["control_end"], "job-ended");  // the pacer stopped it when the job ended
  EXPECT_TRUE(j["control_error"].is_null());
  EXPECT_DOUBLE_EQ(j["work_done_units"], 3000);
  EXPECT_DOUBLE_EQ(j["decisions"][0]["actual_g_per_kwh"], 210);
  ASSERT_EQ(j["time_per_limit"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["time_per_limit"][0]["limit_w"], 300);
  EXPECT_DOUBLE_EQ(j["time_per_limit"][1]["time_s"], 1500);
  EXPECT_EQ(j["sampler"], nlohmann::json({{"interval_ms", 100.0}, {"samples", 36000}, {"errors", 3}}));
  // The job left a process running, which the run waited for: its time is the window's.
  EXPECT_EQ(j["descendants_at_exit"], 1);
  EXPECT_EQ(j["descendants_waited"], true);
  EXPECT_DOUBLE_EQ(j["command_time_s"], 3000);
  ASSERT_EQ(j["metering"].size(), 2u);
  EXPECT_EQ(j["metering"][0]["metering"], "counter");
  EXPECT_EQ(j["metering"][1]["id"], "cuda:MIG-GPU-8932/1/0");
  EXPECT_EQ(j["metering"][1]["metering"], "none");
}

TEST(RunExport, NamesAnErrorAndAnInterruptedProfilingAsTheEnd) {
  RunSummary run;
  run.profile = "none (the job ended while it was being profiled)";
  run.profiling_interrupted = true;
  nlohmann::json j = run_json(run, one_hour(), "trace:gb");
  EXPECT_EQ(j["control_end"], "job-ended-while-profiling");
  EXPECT_TRUE(j["slowdown_budget"].is_null());
  EXPECT_TRUE(j["profiling_s"].is_null());
  EXPECT_FALSE(j.contains("profiled"));
  EXPECT_EQ(j["decisions"], nlohmann::json::array());
  EXPECT_TRUE(j["command_time_s"].is_null());
  EXPECT_EQ(j["descendants_at_exit"], 0);
  EXPECT_EQ(j["metering"], nlohmann::json::array());
  run.control_error = "gpu:0: NVML_ERROR_UNKNOWN";
  j = run_json(run, one_hour(), "trace:gb");
  EXPECT_EQ(j["control_end"], "error");
  EXPECT_EQ(j["control_error"], "gpu:0: NVML_ERROR_UNKNOWN");
}

}  // namespace
}  // namespace chase
