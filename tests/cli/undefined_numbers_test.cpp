// No `nan` or `inf` ever reaches a table or JSON (issue 12, "arithmetic edges"): an undefined
// ratio prints as "—" in a table and null in JSON, and inputs whose result overflows are refused
// with exit 2 naming the flags. One table of cases, every command that computes a ratio; the
// zero-carbon grid (a trace of zeros) is the input that makes savings and factors undefined.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <algorithm>
#include <regex>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

const std::string kZeros = std::string(CHASE_FIXTURES_DIR) + "/traces/zeros.csv";
const std::string kProfile = std::string(CHASE_FIXTURES_DIR) + "/control/noisy-profile.csv";

struct Case {
  const char* what;
  std::vector<std::string> args;
};

std::vector<Case> zero_carbon_cases() {
  const std::vector<std::string> job = {"--work-hours", "24"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  return {
      {"simulate", with({"simulate", "--trace", kZeros, "--profile", kProfile, "--start", "2021-03-02T00:00Z"}, job)},
      {"simulate oracle", with({"simulate", "--trace", kZeros, "--profile", kProfile, "--start", "2021-03-02T00:00Z",
                                "--policy", "oracle"},
                               job)},
      {"plan", with({"plan", "--traces", kZeros, "--profile", kProfile}, job)},
      {"bench", with({"bench", "policies", "--traces", kZeros, "--profiles", kProfile, "--every-hours", "24"}, job)},
      {"intensity", {"intensity", "--trace", kZeros, "--from", "2021-03-02T00:00Z", "--to", "2021-03-02T03:00Z"}},
      {"forecast", {"forecast", "--trace", kZeros, "--horizon", "3"}},
      {"estimate", {"estimate", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.5", "--intensity",
                    "0"}},
      {"compare", {"compare", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.5", "--intensity",
                   "400", "--to-intensity", "0"}},
      // A metered command on a zero-carbon grid (its options come before the command).
      {"measure", {"measure", "--intensity", "0", "--proc-root", std::string(CHASE_FIXTURES_DIR) + "/proc/before",
                   "--powercap-root", "/nonexistent", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--", "true"}},
  };
}

// "nan", "-nan", "inf", "infinity" as words, in any case.
bool has_non_finite(const std::string& text) {
  static const std::regex word(R"((^|[^A-Za-z])-?(nan|inf|infinity)([^A-Za-z]|$))", std::regex::icase);
  return std::regex_search(text, word);
}

TEST(UndefinedNumbers, ZeroCarbonInputsPrintDashesInTablesAndNullsInJson) {
  for (const Case& c : zero_carbon_cases()) {
    const auto table = run_chase(c.args);
    EXPECT_EQ(table.exit_code, 0) << c.what << ": " << table.err;
    EXPECT_FALSE(has_non_finite(table.out)) << c.what << ":\n" << table.out;
    auto json_args = c.args;
    const auto separator = std::find(json_args.begin(), json_args.end(), "--");
    json_args.insert(separator, "--json");
    const auto json = run_chase(json_args);
    EXPECT_EQ(json.exit_code, 0) << c.what << " --json: " << json.err;
    EXPECT_FALSE(has_non_finite(json.out)) << c.what << " --json:\n" << json.out;
    EXPECT_TRUE(nlohmann::json::accept(json.out)) << c.what;
  }
}

TEST(UndefinedNumbers, TheUndefinedValuesAreDashesAndNulls) {
  // A saving against a 0 g baseline.
  const auto sim = run_chase({"simulate", "--trace", kZeros, "--profile", kProfile, "--start", "2021-03-02T00:00Z",
                              "--work-hours", "24", "--json"});
  ASSERT_EQ(sim.exit_code, 0) << sim.err;
  const auto s = nlohmann::json::parse(sim.out);
  EXPECT_TRUE(s["carbon_saved_pct"].is_null());
  EXPECT_DOUBLE_EQ(s["carbon_g"].get<double>(), 0);
  // The factor between a 0 g best and the worst.
  const auto plan = run_chase({"plan", "--traces", kZeros, "--profile", kProfile, "--work-hours", "24", "--json"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const auto p = nlohmann::json::parse(plan.out);
  EXPECT_TRUE(p["factor"].is_null());
  EXPECT_TRUE(p["factor_vs_max"].is_null());
  const auto plan_table = run_chase({"plan", "--traces", kZeros, "--profile", kProfile, "--work-hours", "24"});
  EXPECT_NE(plan_table.out.find("a factor of — (and — against the worst at max power)"), std::string::npos)
      << plan_table.out;
  // A change that leaves no CO2e: "less CO2e" is undefined, not 0x.
  const auto cmp = run_chase({"compare", "--hours", "84", "--processors", "8", "--power-w", "300", "--pue", "1.5",
                              "--intensity", "400", "--to-intensity", "0", "--json"});
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  const auto c = nlohmann::json::parse(cmp.out);
  EXPECT_TRUE(c["combined_factor"].is_null());
  EXPECT_TRUE(c["factors"][0]["step_factor"].is_null());
}

TEST(UndefinedNumbers, ABacktestOnAZeroCarbonGridHasNoMapeButAnMae) {
  // Three weeks of hourly zeros: long enough for every model's warm-up, and every actual value
  // is 0, so a percentage error is undefined.
  test::TempDir dir;
  std::string csv = "timestamp,intensity_g_per_kwh\n";
  const auto two_digits = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  for (int hour = 0; hour < 24 * 21; ++hour) {
    csv += "2021-03-" + two_digits(1 + hour / 24) + "T" + two_digits(hour % 24) + ":00:00Z,0\n";
  }
  const std::string trace = dir.write("zeros-3w.csv", csv).string();
  const auto table = run_chase({"forecast", "backtest", "--trace", trace, "--all-models"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_FALSE(has_non_finite(table.out)) << table.out;
  const auto json = run_chase({"forecast", "backtest", "--trace", trace, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_FALSE(has_non_finite(json.out)) << json.out;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_TRUE(j["mape_pct"].is_null());
  EXPECT_TRUE(j["mape_vs_persistence_pct"].is_null());
  EXPECT_DOUBLE_EQ(j["mae_g_per_kwh"].get<double>(), 0);
  EXPECT_EQ(j["zero_actuals"], 312);
}

TEST(UndefinedNumbers, InputsWhoseResultOverflowsAreRefusedNamingTheFlags) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"estimate", "--hours", "1000", "--processors", "1e300", "--power-w", "1e300", "--pue", "1.1", "--intensity",
            "400"},
           {"compare", "--hours", "1000", "--processors", "1e300", "--power-w", "1e300", "--pue", "1.1", "--intensity",
            "400", "--to-pue", "1.1"},
           {"estimate", "--hours", "87600", "--processors", "1e200", "--power-w", "1e110", "--pue", "1.1", "--intensity",
            "400"}}) {
    const auto r = run_chase(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.out;
    EXPECT_NE(r.err.find("--hours"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("overflows"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one line
    EXPECT_FALSE(has_non_finite(r.out)) << r.out;
  }
}

}  // namespace
}  // namespace chase
