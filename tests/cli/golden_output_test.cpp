// Golden outputs: what chase printed before the library was reshaped (issue 11), byte for byte.
// Every number here comes from the bundled data; a change in any of them is a change of
// behaviour, to be made on purpose (regenerate the file and say why in the commit).
//
// Regenerate one: run the command from tests/ and write its stdout over the file.

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string golden(const std::string& name) { return read_file(std::string(CHASE_FIXTURES_DIR) + "/golden/" + name); }

struct GoldenCase {
  const char* file;
  std::vector<std::string> args;
};

const GoldenCase kCases[] = {
    {"simulate.txt", {"simulate"}},
    {"simulate.json", {"simulate", "--json"}},
    {"simulate-oracle-fr.json",
     {"simulate", "--trace", "fr-2020", "--profile", "v100-bert-base", "--policy", "oracle", "--slowdown-budget", "0.05",
      "--start", "2020-03-10T00:00Z", "--json"}},
    {"estimate-all-presets.json", {"estimate", "--all-presets", "--json"}},
    {"compare-transformer-57x.json", {"compare", "--example", "transformer-57x", "--json"}},
    {"plan-window.json",
     {"plan", "--traces", "gb-2020,fr-2020", "--regions", "us-average", "--window",
      "2020-06-01T00:00Z/2020-06-08T00:00Z", "--every-hours", "12", "--top", "5", "--json"}},
    {"backtest-bpa.json", {"forecast", "backtest", "--trace", "bpa-2022", "--json"}},
};

class GoldenOutput : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenOutput, IsUnchanged) {
  const GoldenCase& c = GetParam();
  const auto r = run_chase(c.args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, golden(c.file)) << c.file;
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& golden_case) {
  std::string name = golden_case.param.file;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Commands, GoldenOutput, ::testing::ValuesIn(kCases), case_name);

// The policy benchmark's per-run and summary CSVs on one trace and profile (every run of every
// policy at every budget: 4 budgets × 4 policies × 193 starts, 3,088 runs).
TEST(GoldenOutput, PolicyBenchmarkCsvsAreUnchanged) {
  test::TempDir dir;
  const std::string runs = dir.path() / "runs.csv";
  const std::string summary = dir.path() / "summary.csv";
  const auto r = run_chase({"bench", "policies", "--traces", "gb-2020", "--profiles", "a40-resnet50", "--every-hours",
                            "48", "--json", "--csv", summary, "--runs-csv", runs});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(runs), golden("bench-runs.csv"));
  EXPECT_EQ(read_file(summary), golden("bench-summary.csv"));
}

}  // namespace
}  // namespace chase
