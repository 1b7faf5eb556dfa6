// `chase bench policies` as a real process, on fixture traces and profiles.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kTrace = std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv";
const std::string kProfiles =
    std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv," + CHASE_FIXTURES_DIR + "/control/fast-below-max.csv";

std::vector<std::string> bench(std::vector<std::string> extra) {
  std::vector<std::string> args{"bench", "policies", "--traces", kTrace, "--profiles", kProfiles,
                                "--every-hours", "24", "--budgets", "0,0.1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(BenchCli, JsonSummarisesEveryProfileBudgetAndPolicy) {
  const auto r = run_chase(bench({"--json", "--threads", "2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["runs"], 5u * 2 * 2 * 4);  // starts × profiles × budgets × policies
  EXPECT_EQ(j["profiles"], (nlohmann::json{"noisy-profile", "fast-below-max"}));
  EXPECT_EQ(j["summary"].size(), 3u * 2 * 4);
  for (const auto& row : j["summary"]) {
    EXPECT_DOUBLE_EQ(row["within_budget_pct"], 100) << row;
    EXPECT_GE(row["gap_to_oracle_pp"].get<double>(), -1e-9) << row;
  }
  EXPECT_EQ(j["targets"]["cells"], 4);
}

TEST(BenchCli, TableAndPlotReadyCsv) {
  test::TempDir dir;
  const auto csv = (dir.path() / "frontier.csv").string();
  const auto runs = (dir.path() / "runs.csv").string();
  const auto r = run_chase(bench({"--csv", csv, "--runs-csv", runs}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Mean carbon saved against max"), std::string::npos);
  EXPECT_NE(r.out.find("chase gap, pp"), std::string::npos);
  EXPECT_NE(r.out.find("targets, per profile and budget (4 cells)"), std::string::npos) << r.out;
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "profile,budget_pct,policy,runs,mean_saved_pct,median_saved_pct,mean_slowdown_pct,median_slowdown_pct,"
            "within_budget_pct,gap_to_oracle_pp");
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 3u * 2 * 4);
  std::ifstream all(runs);
  std::size_t run_rows = 0;
  for (std::string line; std::getline(all, line);) ++run_rows;
  EXPECT_EQ(run_rows, 1 + 5u * 2 * 2 * 4);
}

TEST(BenchCli, BadInputIsExitTwo) {
  const auto bad_budget = run_chase({"bench", "policies", "--traces", kTrace, "--budgets", "0,x"});
  EXPECT_EQ(bad_budget.exit_code, 2);
  EXPECT_NE(bad_budget.err.find("--budgets: 'x'"), std::string::npos) << bad_budget.err;
  const auto no_max = run_chase({"bench", "policies", "--traces", kTrace, "--policies", "chase,oracle"});
  EXPECT_EQ(no_max.exit_code, 2);
  EXPECT_NE(no_max.err.find("'max' must be among them"), std::string::npos) << no_max.err;
  const auto too_short =
      run_chase({"bench", "policies", "--traces", std::string(CHASE_FIXTURES_DIR) + "/traces/step-change.csv"});
  EXPECT_EQ(too_short.exit_code, 2);
  EXPECT_NE(too_short.err.find("too short"), std::string::npos) << too_short.err;
}

}  // namespace
}  // namespace chase
