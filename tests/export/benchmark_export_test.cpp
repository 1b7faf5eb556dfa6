#include "export/benchmark_export.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace chase {
namespace {

UtcTime at(const char* iso) { return UtcTime::parse_iso8601_or_throw(iso, "test"); }

struct SmallBenchmark {
  BenchmarkConfig config;
  std::vector<BenchmarkRun> runs;
  std::vector<BenchmarkSummary> summary;
  BenchmarkReport report;

  SmallBenchmark() {
    config.budgets = {0.05};
    config.policies = {"max", "chase"};
    config.job.frame_length = Duration::minutes(5);
    config.job.forecaster = "default";
    runs = {{0, 0, 0, at("2020-06-01T00:00Z"), 0.05, "max", Duration::seconds(86400), Energy::joules(2e7),
             Mass::grams(1000), 0, 0, 0, true},
            {0, 0, 0, at("2020-06-01T00:00Z"), 0.05, "chase", Duration::seconds(88000), Energy::joules(1.9e7),
             Mass::grams(900), 1.851851, 10, 5, true}};
    summary = {{"a40", 0.05, "max", 1, 0, 0, 0, 0, 100, 0, 0, 0}, {"a40", 0.05, "chase", 1, 10, 10, 1.851851, 1.851851, 100, 0, 0, 0}};
    report = {{"gb-2020"}, {"a40"}, &config, &runs, &summary, {}, Duration::seconds(1.25)};
  }
};

TEST(BenchmarkExport, WritesTheSettingsTheSummaryAndTheTargets) {
  SmallBenchmark b;
  b.report.targets = {2, 1, 2, 2};
  const nlohmann::json j = benchmark_json(b.report);
  EXPECT_EQ(j["traces"], nlohmann::json({"gb-2020"}));
  EXPECT_EQ(j["budgets"], nlohmann::json({0.05}));
  EXPECT_DOUBLE_EQ(j["work_hours"], 24);
  EXPECT_DOUBLE_EQ(j["start_every_h"], 6);
  EXPECT_DOUBLE_EQ(j["frame_s"], 300);
  EXPECT_EQ(j["runs"], 2);
  EXPECT_DOUBLE_EQ(j["elapsed_s"], 1.25);
  ASSERT_EQ(j["summary"].size(), 2u);
  EXPECT_EQ(j["summary"][1]["policy"], "chase");
  EXPECT_DOUBLE_EQ(j["summary"][1]["mean_saved_pct"], 10);
  EXPECT_EQ(j["targets"]["cells"], 2);
  EXPECT_EQ(j["targets"]["chase_within_1pp_of_oracle"], 1);
  EXPECT_EQ(j["targets"]["chase_within_budget_95pct"], 2);
}

TEST(BenchmarkExport, WritesThePlotReadySummaryAndEveryRunAsCsv) {
  SmallBenchmark b;
  std::ostringstream summary;
  write_summary_csv(summary, b.summary);
  EXPECT_EQ(summary.str(),
            "profile,budget_pct,policy,runs,mean_saved_pct,median_saved_pct,mean_slowdown_pct,median_slowdown_pct,"
            "within_budget_pct,gap_to_oracle_pp\n"
            "a40,5,max,1,0.0000,0.0000,0.0000,0.0000,100.00,0.0000\n"
            "a40,5,chase,1,10.0000,10.0000,1.8519,1.8519,100.00,0.0000\n");
  std::ostringstream runs;
  write_runs_csv(runs, b.report);
  EXPECT_EQ(runs.str(),
            "trace,profile,start,budget_pct,policy,time_s,energy_j,carbon_g,slowdown_pct,carbon_saved_pct,"
            "energy_saved_pct,within_budget,seed\n"
            "gb-2020,a40,2020-06-01T00:00:00Z,5,max,86400.000,20000000.0,1000.0000,0.0000,0.0000,0.0000,1,0\n"
            "gb-2020,a40,2020-06-01T00:00:00Z,5,chase,88000.000,19000000.0,900.0000,1.8519,10.0000,5.0000,1,0\n");
}

}  // namespace
}  // namespace chase
