// `chase estimate` and `chase presets` as a real process: output contract and bad input.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/bad_input.hpp"
#include "support/process.hpp"

namespace chase {
namespace {

using test::run_chase;

TEST(EstimateCli, AllPresetsJsonReproducesTable4) {
  const auto r = run_chase({"estimate", "--all-presets", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 6u);
  for (const auto& row : j) {
    EXPECT_LT(std::abs(row["energy_deviation_pct"].get<double>()), 2.0) << row["preset"];
    EXPECT_LT(std::abs(row["co2e_deviation_pct"].get<double>()), 2.0) << row["preset"];
    EXPECT_EQ(row["intensity_basis"], "net");
  }
  EXPECT_EQ(j[5]["preset"], "gpt-3");
  EXPECT_NEAR(j[5]["energy_mwh"].get<double>(), 1289.4, 0.1);
  EXPECT_EQ(j[5]["published_energy_mwh"], 1287);
}

TEST(EstimateCli, PresetTableShowsOursBesideThePapers) {
  const auto r = run_chase({"estimate", "--preset", "gshard-600b"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("GShard-600B"), std::string::npos);
  EXPECT_NE(r.out.find("23.92"), std::string::npos);  // ours (MWh)
  EXPECT_NE(r.out.find("24.1"), std::string::npos);   // the paper's
  EXPECT_NE(r.out.find("4.233"), std::string::npos);  // net t, ours
}

TEST(EstimateCli, CustomJobJsonEchoesInputsWithUnits) {
  const auto r = run_chase({"estimate", "--hours", "100", "--processors", "8", "--power-w", "300", "--pue", "1.1",
                            "--intensity", "400", "--cfe", "0.25", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["hours"], 100);
  EXPECT_DOUBLE_EQ(j["processors"], 8);
  EXPECT_DOUBLE_EQ(j["power_w"], 300);
  EXPECT_DOUBLE_EQ(j["pue"], 1.1);
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 400);
  EXPECT_DOUBLE_EQ(j["cfe"], 0.25);
  EXPECT_NEAR(j["energy_mwh"].get<double>(), 100 * 8 * 300 * 1.1 / 1e6, 1e-12);  // 0.264 MWh
  EXPECT_NEAR(j["co2e_t"].get<double>(), 0.264 * 0.4, 1e-12);
  EXPECT_NEAR(j["co2e_24x7_cfe_t"].get<double>(), 0.264 * 0.4 * 0.75, 1e-12);
}

TEST(EstimateCli, RegionAndPresetsResolve) {
  const auto r = run_chase({"estimate", "--hours", "84", "--processors", "8", "--processor", "p100", "--datacenter",
                            "enterprise", "--region", "us-average", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_DOUBLE_EQ(j["power_w"], 271);
  EXPECT_DOUBLE_EQ(j["pue"], 1.59);
  EXPECT_EQ(j["region"], "us-average");
  EXPECT_NEAR(j["energy_kwh"].get<double>(), 84 * 8 * 271 * 1.59 / 1000, 1e-9);
}

using test::BadInput;

class EstimateBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(EstimateBadInput, OneLineOnStderrAndExit2) {
  test::expect_bad_input_rejected(GetParam());
}

const std::vector<std::string> kJob = {"--hours", "10", "--processors", "2", "--power-w", "300", "--pue", "1.1"};

std::vector<std::string> job_with(std::vector<std::string> extra) {
  std::vector<std::string> args{"estimate"};
  args.insert(args.end(), kJob.begin(), kJob.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EstimateBadInput,
    ::testing::Values(
        BadInput{{"estimate", "--preset", "bert"}, "--preset: unknown model preset 'bert' (known: evolved-transformer-nas"},
        BadInput{job_with({"--region", "atlantis"}), "--region: unknown region 'atlantis' (known: "},
        BadInput{job_with({"--intensity", "-3"}), "--intensity: -3 must be within [0, 5000] gCO2e/kWh"},
        BadInput{job_with({"--intensity", "lots"}), "--intensity: 'lots' is not a number"},
        BadInput{job_with({"--intensity", "300", "--cfe", "1.5"}), "--cfe: 1.5 must be within [0, 1]"},
        BadInput{{"estimate", "--hours", "-1"}, "--hours: -1 must be positive"},
        BadInput{{"estimate", "--hours", "10", "--processors", "2"}, "missing --power-w or --processor"},
        BadInput{{"estimate"}, "missing --hours (or use --preset NAME / --all-presets)"},
        BadInput{job_with({}), "missing --intensity or --region"},
        BadInput{job_with({"--intensity", "300", "--region", "fr"}), "--intensity excludes --region"},
        BadInput{{"estimate", "--preset", "t5", "--hours", "3"}, "--hours excludes --preset"},
        BadInput{{"estimate", "--pue", "0.5"}, "--pue: 0.5 must be within [1, 10]"},
        BadInput{{"estimate", "--frobnicate"}, "unknown flag --frobnicate for 'chase estimate' (see `chase estimate --help`)"},
        BadInput{{"estimate", "--hour", "3"}, "unknown flag --hour for 'chase estimate' (did you mean --hours?)"},
        BadInput{{"simulate", "--polciy", "chase"}, "unknown flag --polciy for 'chase simulate' (did you mean --policy?)"},
        BadInput{{"bench", "policies", "--seed=2"}, "unknown flag --seed for 'chase bench policies' (did you mean --seeds?)"},
        BadInput{{"launch"}, "unknown command 'launch' (commands: estimate, compare, presets"}));

TEST(PresetsCli, ListsEveryKindWithJson) {
  const auto r = run_chase({"presets", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["models"].size(), 6u);
  EXPECT_GE(j["processors"].size(), 8u);
  EXPECT_GE(j["regions"].size(), 8u);
  EXPECT_EQ(j["examples"].size(), 2u);
  const auto table = run_chase({"presets", "models"});
  EXPECT_NE(table.out.find("switch-transformer"), std::string::npos);
  EXPECT_EQ(table.out.find("TDP"), std::string::npos);  // only the models table
}

TEST(Cli, HelpShowsAnExample) {
  const auto r = run_chase({"estimate", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("chase estimate --all-presets"), std::string::npos);
}

}  // namespace
}  // namespace chase
