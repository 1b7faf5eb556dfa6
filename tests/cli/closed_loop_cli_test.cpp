// `chase simulate --actual-profile` / speed changes and `chase bench policies --profile-error`
// as real processes: a job that is not what the policies believe.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

// a40-resnet50 (the bundled data file) with every row's time per unit ÷ 1.1: a profile 10 %
// too fast everywhere.
std::string write_too_fast_profile(const test::TempDir& dir) {
  std::ifstream in(std::string(CHASE_SOURCE_DIR) + "/data/gpu-profiles/a40-resnet50.csv");
  std::string line;
  std::getline(in, line);
  std::string text = line + "\n";
  while (std::getline(in, line)) {
    const auto first = line.find(',');
    const auto second = line.find(',', first + 1);
    const double time_s = std::stod(line.substr(first + 1, second - first - 1));
    text += line.substr(0, first) + "," + std::to_string(time_s / 1.1) + line.substr(second) + "\n";
  }
  return dir.write("too-fast.csv", text).string();
}

TEST(ClosedLoopCli, SimulateRunsTheTruthWhileThePolicyBelievesAnotherProfile) {
  test::TempDir dir;
  const std::string belief = write_too_fast_profile(dir);
  const auto r = run_chase({"simulate", "--profile", belief, "--actual-profile", "a40-resnet50", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["profile"], "too-fast");
  EXPECT_EQ(j["actual_profile"], "a40-resnet50");
  EXPECT_LE(j["slowdown_pct"].get<double>(), 2.5 + 1e-5);  // the closed loop keeps the budget
  EXPECT_NEAR(j["baseline"]["time_s"].get<double>(), 24 * 3600, 1e-6);

  const auto text = run_chase({"simulate", "--profile", belief, "--actual-profile", "a40-resnet50", "--slower-after-hours",
                               "12", "--slower-by", "0.1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("the job really runs as a40-resnet50, 10 % slower after 12 h; the policies believe too-fast"),
            std::string::npos)
      << text.out;
}

TEST(ClosedLoopCli, BadSpeedChangesAndBeliefsAreOneLineErrors) {
  const auto stall = run_chase({"simulate", "--stall-every-minutes", "30", "--stall-minutes", "30"});
  EXPECT_EQ(stall.exit_code, 2);
  EXPECT_EQ(stall.err,
            "chase: error: --stall-minutes: a stall of 30 min must be positive and shorter than its period of 30 min\n");
  const auto limits = run_chase({"simulate", "--profile", "a40-resnet50", "--actual-profile", "v100-resnet50"});
  EXPECT_EQ(limits.exit_code, 2);
  EXPECT_EQ(limits.err,
            "chase: error: --actual-profile: the believed profile bundled:gpu-profiles/a40-resnet50.csv and the actual "
            "profile bundled:gpu-profiles/v100-resnet50.csv must have the same limits\n");
  const auto error = run_chase({"bench", "policies", "--profile-error", "2"});
  EXPECT_EQ(error.exit_code, 2);
  EXPECT_NE(error.err.find("--profile-error"), std::string::npos) << error.err;
}

TEST(ClosedLoopCli, TheBenchmarkSetsTheOpenLoopBesideTheClosedLoopUnderProfileErrors) {
  const auto r = run_chase({"bench", "policies", "--traces", "fr-2020", "--profiles", "a40-resnet50", "--every-hours",
                            "720", "--work-hours", "6", "--budgets", "0.05", "--profile-error", "0.1", "--seeds", "2",
                            "--threads", "2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["policies"], nlohmann::json({"max", "zeus", "chase", "chase-open-loop", "oracle"}));
  EXPECT_DOUBLE_EQ(j["profile_error"].get<double>(), 0.1);
  EXPECT_EQ(j["seeds"], 2);
  EXPECT_EQ(j["speed_changes"], "none");
  for (const auto& row : j["summary"]) {
    if (row["policy"] == "chase") {
      EXPECT_DOUBLE_EQ(row["within_budget_pct"].get<double>(), 100.0);
    }
  }
}

}  // namespace
}  // namespace chase
