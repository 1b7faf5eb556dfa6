// `chase compare` as a real process.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace chase {
namespace {

using test::run_chase;

TEST(CompareCli, PaperExampleIs57x) {
  const auto r = run_chase({"compare", "--example", "transformer-57x", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mode"], "chain");
  EXPECT_EQ(j["factors"].size(), 4u);
  EXPECT_NEAR(j["combined_factor"].get<double>(), 57, 57 * 0.02);
  EXPECT_EQ(j["published_total_factor"], 57);
  const auto table = run_chase({"compare", "--example", "transformer-57x"});
  EXPECT_NE(table.out.find("energy mix"), std::string::npos);
  EXPECT_NE(table.out.find("paper: 57.0x"), std::string::npos) << table.out;
}

TEST(CompareCli, EachFactorOfOneJob) {
  const auto r = run_chase({"compare", "--hours", "84", "--processors", "8", "--processor", "p100", "--datacenter",
                            "enterprise", "--region", "us-average", "--to-region", "us-nw-bpa", "--to-datacenter",
                            "hyperscale", "--to-processor", "tpu-v2", "--speedup", "5.2", "--sparse-energy-fraction",
                            "0.1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["factors"].size(), 4u);
  EXPECT_EQ(j["factors"][0]["factor"], "location");
  EXPECT_NEAR(j["factors"][0]["factor_vs_baseline"].get<double>(), 429 / 54.7, 0.01);
  EXPECT_NEAR(j["factors"][1]["factor_vs_baseline"].get<double>(), 1.59 / 1.11, 1e-9);
  EXPECT_NEAR(j["factors"][2]["factor_vs_baseline"].get<double>(), 5.2 * 271 / 221, 1e-9);
  EXPECT_NEAR(j["factors"][3]["factor_vs_baseline"].get<double>(), 10, 1e-9);
  EXPECT_GT(j["combined_factor"].get<double>(), 500);
}

TEST(CompareCli, PresetBaseline) {
  const auto r = run_chase({"compare", "--preset", "gpt-3", "--to-region", "fr", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["baseline"]["co2e_t"].get<double>(), 553.1, 0.2);
  // US average 2020 (429) against FR's latest complete year, 2024 (33 gCO2e/kWh, Electricity Maps).
  EXPECT_NEAR(j["factors"][0]["factor_vs_baseline"].get<double>(), 429 / 33.0, 0.01);
  EXPECT_EQ(j["factors"][0]["change"], "FR 2024 (33.00 gCO2e/kWh)");
}

TEST(CompareCli, BadInput) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"compare", "--example", "nope"}, "--example: unknown worked example 'nope' (known: nas-correction, transformer-57x)"},
      {{"compare", "--preset", "t5"}, "nothing to compare"},
      {{"compare", "--preset", "t5", "--to-processor", "a100"}, "--speedup is required"},
      {{"compare", "--preset", "t5", "--sparse-energy-fraction", "0"}, "--sparse-energy-fraction: 0 must be within (0, 1]"},
      {{"compare", "--preset", "t5", "--to-region", "x"}, "--to-region: unknown region 'x'"},
  };
  for (const auto& c : cases) {
    const auto r = run_chase(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace chase
