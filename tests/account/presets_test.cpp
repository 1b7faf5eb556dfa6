#include <gtest/gtest.h>

#include <cmath>

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

double deviation(double ours, double published) { return std::fabs(ours / published - 1.0); }

// Patterson et al. 2021, Table 4: every row's energy and net CO2e are reproduced within 2 %
// (the paper rounds its inputs).
TEST(ModelPresets, ReproduceTable4WithinTwoPercent) {
  const auto& models = bundled_models().all();
  ASSERT_EQ(models.size(), 6u);
  for (const auto& m : models) {
    const auto est = estimate_footprint(m.job, m.grid);
    EXPECT_LT(deviation(est.energy.mwh(), m.published_energy.mwh()), 0.02) << m.key << " " << est.energy.mwh();
    EXPECT_LT(deviation(est.co2e.tonnes(), m.published_co2e_net.tonnes()), 0.02) << m.key << " " << est.co2e.tonnes();
    ASSERT_TRUE(m.published_co2e_gross) << m.key;
    EXPECT_LT(deviation(est.co2e_gross.tonnes(), m.published_co2e_gross->tonnes()), 0.02) << m.key;
  }
}

TEST(ModelPresets, CarryTheTableColumnsInPaperOrder) {
  const auto keys = bundled_models().keys();
  EXPECT_EQ(keys, (std::vector<std::string>{"evolved-transformer-nas", "t5", "meena", "gshard-600b",
                                            "switch-transformer", "gpt-3"}));
  const auto& gshard = bundled_models().get("gshard-600b");
  EXPECT_DOUBLE_EQ(*gshard.parameters_billion, 619);
  EXPECT_DOUBLE_EQ(*gshard.activated_per_token_pct, 0.25);
  EXPECT_DOUBLE_EQ(gshard.grid.net->kg_per_kwh(), 0.177);
  EXPECT_DOUBLE_EQ(*gshard.grid.cfe_fraction, 0.73);
  EXPECT_EQ(bundled_models().get("gpt-3").grid.cfe_fraction, std::nullopt);  // n/a in the paper
  EXPECT_NE(bundled_models().get("evolved-transformer-nas").notes.find("284 tCO2e"), std::string::npos);
}

TEST(HardwarePresets, Table3AveragePowerAndPue) {
  EXPECT_DOUBLE_EQ(bundled_processors().get("tpu-v2").measured_avg->watts(), 221);
  EXPECT_DOUBLE_EQ(bundled_processors().get("tpu-v3").measured_avg->watts(), 283);
  EXPECT_DOUBLE_EQ(bundled_processors().get("p100").measured_avg->watts(), 271);
  EXPECT_DOUBLE_EQ(bundled_processors().get("v100").measured_avg->watts(), 325);
  // Without a published average, the estimator falls back to TDP.
  EXPECT_DOUBLE_EQ(bundled_processors().get("h100").estimation_power().watts(), 700);
  EXPECT_DOUBLE_EQ(bundled_datacenters().get("enterprise").pue, 1.59);
  EXPECT_DOUBLE_EQ(bundled_datacenters().get("hyperscale").pue, 1.11);
  EXPECT_THROW(bundled_processors().get("abacus"), InputError);
}

TEST(HardwarePresets, SpeedupsAreSourcedAndNameAnotherProcessor) {
  const auto& tpu = bundled_processors().get("tpu-v2");
  ASSERT_EQ(tpu.speedups.size(), 1u);
  EXPECT_EQ(tpu.speedups[0].over, "p100");
  EXPECT_NEAR(tpu.speedups[0].factor, 3.2 / 0.62, 0.005);  // Table 1: 3.2 days on P100, 0.62 on TPU v2
  EXPECT_NE(tpu.speedups[0].source.find("Table 1"), std::string::npos);
  EXPECT_TRUE(bundled_processors().get("a40").speedups.empty());
  const std::string row = "[a]\nname = \"A\"\nkind = \"gpu\"\ntdp_w = 300\nsource = \"s\"\n";
  try {
    parse_processor_table(row + "speedups = [{ over = \"zz\", factor = 2, source = \"s\" }]\n", "p.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "p.toml: [a] speedups: over = 'zz' names no other processor");
  }
  try {
    parse_processor_table(row + "speedups = [{ over = \"a\", factor = 0, source = \"s\" }]\n", "p.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "p.toml [a] speedups #1: factor 0 must be positive");
  }
}

TEST(ModelPresets, MalformedFileIsAClearError) {
  try {
    parse_model_table("[[model]]\nkey = \"x\"\nname = \"X\"\n", "m.toml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "m.toml [x]: missing string 'developer'");
  }
}

}  // namespace
}  // namespace chase
