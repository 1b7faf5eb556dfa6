// `chase simulate` as a real process: the JSON contract, the table, and bad input.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kTrace = std::string(CHASE_FIXTURES_DIR) + "/sim/diurnal-6d.csv";
const std::string kProfile = std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv";

std::vector<std::string> simulate(const std::string& policy, const std::string& budget) {
  return {"simulate", "--trace",           kTrace, "--profile", kProfile, "--policy", policy, "--start",
          "2021-03-02T00:00:00Z", "--work-hours", "24", "--slowdown-budget", budget, "--json"};
}

TEST(SimulateCli, JsonCarriesTheTotalsTheComparisonAndEveryFrame) {
  const auto r = run_chase(simulate("chase", "0.1"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["policy"], "chase");
  EXPECT_EQ(j["trace"], "diurnal-6d");
  EXPECT_EQ(j["profile"], "noisy-profile");
  EXPECT_DOUBLE_EQ(j["slowdown_budget"], 0.1);
  EXPECT_DOUBLE_EQ(j["frame_s"], 300);
  // max on the fixture profile: 300 W for 24 h.
  EXPECT_NEAR(j["baseline"]["time_s"].get<double>(), 86400, 1e-6);
  EXPECT_NEAR(j["baseline"]["energy_j"].get<double>(), 300.0 * 86400, 1e-3);
  const double time_s = j["time_s"];
  EXPECT_LE(time_s, 86400 * 1.1 + 1e-6);
  EXPECT_NEAR(j["slowdown_pct"].get<double>(), (time_s / 86400 - 1) * 100, 1e-9);
  EXPECT_NEAR(j["carbon_saved_pct"].get<double>(),
              (1 - j["carbon_g"].get<double>() / j["baseline"]["carbon_g"].get<double>()) * 100, 1e-9);
  EXPECT_GT(j["carbon_saved_pct"].get<double>(), 10);
  double run_s = 0, carbon_g = 0, energy_j = 0;
  for (const auto& f : j["frames"]) {
    run_s += f["run_s"].get<double>();
    carbon_g += f["carbon_g"].get<double>();
    energy_j += f["energy_j"].get<double>();
    EXPECT_TRUE(f.contains("limit_w") && f.contains("predicted_g_per_kwh") && f.contains("actual_g_per_kwh"));
  }
  EXPECT_NEAR(run_s, time_s, 1e-6);
  EXPECT_NEAR(carbon_g, j["carbon_g"].get<double>(), 1e-9);
  EXPECT_NEAR(energy_j, j["energy_j"].get<double>(), 1e-3);
  EXPECT_EQ(j["frames"][0]["start"], "2021-03-02T00:00:00Z");
}

TEST(SimulateCli, MaxIsItsOwnBaselineAndTheOracleBeatsChase) {
  const auto max = nlohmann::json::parse(run_chase(simulate("max", "0.05")).out);
  EXPECT_EQ(max["slowdown_pct"], 0);
  EXPECT_EQ(max["carbon_saved_pct"], 0);
  const auto chase = nlohmann::json::parse(run_chase(simulate("chase", "0.05")).out);
  const auto oracle = nlohmann::json::parse(run_chase(simulate("oracle", "0.05")).out);
  EXPECT_LE(oracle["carbon_g"].get<double>(), chase["carbon_g"].get<double>());
  EXPECT_LE(oracle["time_s"].get<double>(), 86400 * 1.05 + 1e-6);
}

TEST(SimulateCli, TableComparesWithMaxAndRunsOnTheBundledDefaults) {
  const auto r = run_chase({"simulate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("a40-resnet50 on gb-2020: 24 h of work from 2019-12-21T00:00:00Z, budget +2.5 %"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("carbon saved"), std::string::npos);
  EXPECT_NE(r.out.find("\nmax "), std::string::npos);
  EXPECT_NE(r.out.find("\nchase "), std::string::npos);
  EXPECT_NE(r.out.find("+2.5 %"), std::string::npos);
}

TEST(SimulateCli, APolicyThatTakesNoBudgetIsNotJudgedAgainstOne) {
  // chase-paper has its own fixed trade-off and no budget: a budget on the command line is
  // reported as not applying to it, never as kept or broken, and its JSON has no verdict.
  const auto json = run_chase(simulate("chase-paper", "0"));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_GT(j["slowdown_pct"].get<double>(), 0);  // it did slow down, beyond the 0 % asked
  EXPECT_TRUE(j["within_budget"].is_null());
  auto table_args = simulate("chase-paper", "0");
  table_args.pop_back();  // --json
  const auto table = run_chase(table_args);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("chase-paper takes no budget (its own fixed trade-off): the +0.0 % budget does not apply to it\n"),
            std::string::npos)
      << table.out;
  EXPECT_EQ(table.out.find("broke"), std::string::npos) << table.out;
  // A policy that takes the budget is still judged against it.
  const auto chase = nlohmann::json::parse(run_chase(simulate("chase", "0.1")).out);
  EXPECT_EQ(chase["within_budget"], true);
}

TEST(SimulateCli, TraceGridFramesAndNoBudget) {
  auto args = simulate("zeus", "none");
  args.insert(args.end(), {"--frame-minutes", "trace"});
  const auto r = run_chase(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["slowdown_budget"].is_null());
  EXPECT_TRUE(j["frame_s"].is_null());
  EXPECT_DOUBLE_EQ(j["frames"][0]["frame_s"], 3600);
  // Zeus without a budget at η = 0.5: 250 W, 5 % slower.
  EXPECT_DOUBLE_EQ(j["frames"][0]["limit_w"], 250);
  EXPECT_NEAR(j["slowdown_pct"].get<double>(), 5, 1e-9);
}

// The forecaster learns from --history-hours of the trace before the start: persistence's first
// forecast is the last value before the start (gb-2020 at 2019-12-20T23:30Z, 172.02 g/kWh); with
// no history, the value published at the start itself (166.61 g/kWh).
TEST(SimulateCli, HistoryHoursIsWhatTheForecasterSeesBeforeTheStart) {
  auto first_prediction = [](const std::string& hours) {
    const auto r = run_chase({"simulate", "--forecaster", "persistence", "--frame-minutes", "30", "--history-hours",
                              hours, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["frames"][0]["predicted_g_per_kwh"].get<double>();
  };
  EXPECT_DOUBLE_EQ(first_prediction("24"), 172.02);
  EXPECT_DOUBLE_EQ(first_prediction("0"), 166.61);
}

// Excel's "CSV UTF-8" export of the same trace (a BOM, CRLF, 250.0 written 250) simulates the
// same, frame for frame: only the trace's name, its file's stem, differs.
TEST(SimulateCli, AnExcelExportOfTheTraceGivesTheSameResult) {
  const std::string excel = std::string(CHASE_FIXTURES_DIR) + "/exports/diurnal-6d-excel.csv";
  auto with_trace = [](std::vector<std::string> args, const std::string& trace) {
    args[2] = trace;
    return args;
  };
  const auto lf = run_chase(simulate("chase", "0.1"));
  const auto crlf = run_chase(with_trace(simulate("chase", "0.1"), excel));
  ASSERT_EQ(lf.exit_code, 0) << lf.err;
  ASSERT_EQ(crlf.exit_code, 0) << crlf.err;
  auto a = nlohmann::json::parse(lf.out), b = nlohmann::json::parse(crlf.out);
  EXPECT_EQ(b["trace"], "diurnal-6d-excel");
  b["trace"] = a["trace"];
  EXPECT_EQ(a, b);
  EXPECT_GT(a["frames"].size(), 200u);

  auto table = simulate("chase", "0.1");
  table.pop_back();  // --json
  const auto lf_table = run_chase(table), crlf_table = run_chase(with_trace(table, excel));
  ASSERT_EQ(crlf_table.exit_code, 0) << crlf_table.err;
  std::string renamed = crlf_table.out;
  renamed.replace(renamed.find("diurnal-6d-excel"), std::string("diurnal-6d-excel").size(), "diurnal-6d");
  EXPECT_EQ(renamed, lf_table.out);
}

// A trace and a profile through pipes that have a writer (bash process substitution, /dev/fd/N)
// are read to their end, as before the reader learnt to refuse a FIFO with none: the same result
// as the files themselves.
TEST(SimulateCli, ProcessSubstitutionIsReadLikeTheFile) {
  const auto args = simulate("chase", "0.1");
  std::string line = std::string("'") + CHASE_BINARY + "'";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool file = i > 0 && (args[i - 1] == "--trace" || args[i - 1] == "--profile");
    line += file ? " <(cat '" + args[i] + "')" : " '" + args[i] + "'";
  }
  const auto piped = test::run_process({"bash", "-c", line});
  const auto direct = run_chase(args);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  auto a = nlohmann::json::parse(direct.out), b = nlohmann::json::parse(piped.out);
  EXPECT_EQ(b["trace"].get<std::string>().find_first_not_of("0123456789"), std::string::npos) << b["trace"];  // /dev/fd/63
  b["trace"] = a["trace"];
  b["profile"] = a["profile"];
  EXPECT_EQ(a, b);
}

TEST(SimulateCli, BadInputIsOneLineAndExitTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"simulate", "--policy", "greedy"}, "chase: error: --policy: unknown policy 'greedy'"},
      {{"simulate", "--slowdown-budget", "lots"}, "chase: error: --slowdown-budget: 'lots' is not a fraction"},
      {{"simulate", "--frame-minutes", "-5"}, "chase: error: --frame-minutes: '-5' is not a number of minutes in (0, "},
      {{"simulate", "--start", "2030-01-01T00:00Z"}, "is outside the trace"},
      {{"simulate", "--start", "yesterday"}, "chase: error: --start"},
      {{"simulate", "--start", "32768-01-01T00:00Z"},
       "chase: error: --start: time stamp \"32768-01-01T00:00Z\" is outside the plausible range (years 1970 to 2200, "
       "UTC)"},
      {{"simulate", "--start", "2021-03-02 00:00"}, "chase: error: --start: time stamp \"2021-03-02 00:00\" has no time zone"},
      {{"simulate", "--trace", std::string(CHASE_FIXTURES_DIR) + "/traces/bad-value.csv"}, "bad-value.csv:3:"},
      {{"simulate", "--profile", "no-such-gpu"}, "chase: error: --profile: 'no-such-gpu': no such file"},
      {{"simulate", "--work-hours", "0"}, "--work-hours"},
      {{"simulate", "--history-hours", "-1"}, "--history-hours"},
      {{"simulate", "--trace", std::string(CHASE_FIXTURES_DIR) + "/traces/step-change.csv", "--start",
        "2020-01-01T00:00Z"},
       "before the job under 'max' finished"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = run_chase(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace chase
