#include "account/what_if.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "account/hardware_presets.hpp"
#include "carbon/region_table.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

// Patterson et al. 2021, Section 2, Table 1 and Figure 1: Transformer (Big) on P100 in an
// average US datacenter -> Evolved Transformer (Medium) on TPU v2 in Google Iowa, ~57x.
TEST(WhatIf, PaperWorkedExampleIs57x) {
  const auto& ex = bundled_examples().get("transformer-57x");
  const WhatIfReport r = compare_chain(ex.baseline, ex.steps);
  // Table 1: 316 kWh and 0.1357 t for the baseline, 30 kWh and 0.0024 t at the end.
  EXPECT_NEAR(r.baseline.energy.kwh(), 316, 1);
  EXPECT_NEAR(r.baseline.co2e.tonnes(), 0.1357, 0.0005);
  EXPECT_NEAR(r.combined.energy.kwh(), 30, 0.5);
  EXPECT_NEAR(r.combined.co2e.tonnes(), 0.0024, 0.00005);
  ASSERT_EQ(r.rows.size(), 4u);
  // Each step as the paper states it: ET 1.1-1.3x less time; TPU v2 6.2x perf/W for ET;
  // PUE 1.4x; energy mix 5.4x.
  EXPECT_NEAR(r.rows[0].step_factor, 1.2, 0.05);
  EXPECT_NEAR(r.rows[1].step_factor, 6.2, 0.1);
  EXPECT_NEAR(r.rows[2].step_factor, 1.4, 0.05);
  EXPECT_NEAR(r.rows[3].step_factor, 5.4, 0.05);
  EXPECT_NEAR(r.combined_factor, ex.published_total_factor, 0.02 * ex.published_total_factor);
  EXPECT_NEAR(r.rows.back().factor_vs_baseline, r.combined_factor, 1e-9);
}

// Appendices C and D: Strubell et al.'s 284 t estimate vs the 3.2 t actually emitted, 88x.
TEST(WhatIf, NasCorrectionIs88x) {
  const auto& ex = bundled_examples().get("nas-correction");
  const WhatIfReport r = compare_chain(ex.baseline, ex.steps);
  EXPECT_NEAR(r.baseline.co2e.tonnes(), 284, 284 * 0.01);
  EXPECT_NEAR(r.rows[0].result.co2e.tonnes(), 15.2, 0.1);  // proxy task
  EXPECT_NEAR(r.combined.co2e.tonnes(), 3.2, 0.05);
  EXPECT_NEAR(r.combined_factor, 88, 88 * 0.02);
}

TEST(WhatIf, EachFactorAloneThenCombined) {
  // 8 P100s for 84 h in an enterprise datacenter on the US grid.
  const Scenario base{TrainingJob{Duration::hours(84), 8, Power::watts(271), 1.59}, CarbonIntensity::g_per_kwh(429), 1.0,
                      "baseline"};
  ScenarioChange location;
  location.factor = "location";
  location.intensity = bundled_regions().get("fr").gross;
  ScenarioChange datacenter;
  datacenter.factor = "datacenter";
  datacenter.pue = 1.11;
  ScenarioChange processor;
  processor.factor = "processor";
  processor.power = bundled_processors().get("tpu-v2").measured_avg;
  processor.speedup = 5.2;
  ScenarioChange sparsity;
  sparsity.factor = "sparsity";
  sparsity.energy_divisor = 10;
  const WhatIfReport r = compare_each(base, {location, datacenter, processor, sparsity});
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_NEAR(r.rows[0].factor_vs_baseline, 429 / 56.7, 0.01);       // location: ~5-10x
  EXPECT_NEAR(r.rows[1].factor_vs_baseline, 1.59 / 1.11, 1e-9);      // datacenter: ~1.4x
  EXPECT_NEAR(r.rows[2].factor_vs_baseline, 5.2 * 271 / 221, 1e-9);  // processor: speed x power
  EXPECT_NEAR(r.rows[3].factor_vs_baseline, 10, 1e-9);               // sparse: <1/10 energy
  double product = 1;
  for (const auto& row : r.rows) product *= row.factor_vs_baseline;
  EXPECT_NEAR(r.combined_factor, product, 1e-6 * product);           // ~100-1000x together
  EXPECT_GT(r.combined_factor, 100);
}

// A change whose result overflows is refused naming the input it came from; one that overflows
// only together with another names both (issue 12: never an infinite number or a 0x factor).
TEST(WhatIf, OverflowsNameTheChangesTheyCameFrom) {
  const Scenario base{TrainingJob{Duration::hours(84), 8, Power::watts(271), 1.59}, CarbonIntensity::g_per_kwh(429), 1.0,
                      "baseline"};
  const auto message = [&](const std::vector<ScenarioChange>& changes) -> std::string {
    try {
      compare_each(base, changes);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  ScenarioChange pue;
  pue.factor = "datacenter";
  pue.pue = 1e300;
  pue.origin = "--to-pue 1e300";
  EXPECT_EQ(message({pue}),
            "--to-pue 1e300: hours × processors × power per processor × PUE overflows (84 h × 8 × 271 W × 1e+300)");
  ScenarioChange slow;
  slow.factor = "processor";
  slow.speedup = 1e-308;
  EXPECT_EQ(message({slow}), "processor: training time 84 h ÷ speedup 1e-308 overflows");  // no origin: the factor
  // Finite alone (6.6e293 J and 1.0e25 J), infinite together.
  pue.pue = 1e285;
  pue.origin = "--to-pue 1e285";
  slow.speedup = 1e-16;
  slow.origin = "--speedup 1e-16";
  EXPECT_NE(message({pue, slow}).find("--to-pue 1e285 + --speedup 1e-16: hours × processors"), std::string::npos)
      << message({pue, slow});
  // A chain (a worked example) names the step.
  EXPECT_THROW(compare_chain(base, {pue, slow}), InputError);
}

}  // namespace
}  // namespace chase
