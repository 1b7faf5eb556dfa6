#include "account/what_if_changes.hpp"

#include <gtest/gtest.h>

namespace chase {
namespace {

TEST(WhatIfChanges, LabelEachChangeAsTheReportShowsIt) {
  RegionPreset region;
  region.key = "fr";
  region.gross = CarbonIntensity::g_per_kwh(56.3);
  region.source = "RTE";
  const ScenarioChange location = location_change(region);
  EXPECT_EQ(location.factor, "location");
  EXPECT_EQ(location.label, "fr (56.30 gCO2e/kWh)");
  EXPECT_EQ(location.source, "RTE");
  EXPECT_EQ(location.intensity, CarbonIntensity::g_per_kwh(56.3));

  const ScenarioChange pue = datacenter_change(1.1);
  EXPECT_EQ(pue.label, "PUE 1.10");
  EXPECT_EQ(pue.pue, 1.1);
  EXPECT_TRUE(pue.source.empty());

  const ScenarioChange tpu = processor_change("tpu-v2", Power::watts(221), 5.2, "Patterson et al. 2021");
  EXPECT_EQ(tpu.label, "tpu-v2 at 221.0 W, 5.20x faster");
  EXPECT_EQ(tpu.speedup, 5.2);
  EXPECT_EQ(processor_change("", Power::watts(300), 2, "").label, "processor at 300.0 W, 2.00x faster");

  const ScenarioChange sparse = sparsity_change(0.1);
  EXPECT_EQ(sparse.label, "sparse model using 0.100 of the dense energy");
  EXPECT_DOUBLE_EQ(sparse.energy_divisor, 10);
}

TEST(WhatIfChanges, AJobScenarioNamesItsProcessorOrItsPowerAndItsRegion) {
  NamedJob job{{Duration::hours(84), 8, Power::watts(296), 1.58}, {CarbonIntensity::g_per_kwh(429), {}, {}},
               "p100", "", "us-average", ""};
  Scenario s = job_scenario(job);
  EXPECT_EQ(s.label, "8.00000 x p100 for 84.00 h, PUE 1.58, 429.0 gCO2e/kWh (us-average)");
  EXPECT_EQ(s.intensity, CarbonIntensity::g_per_kwh(429));
  job.processor.clear();
  job.region.clear();
  EXPECT_EQ(job_scenario(job).label, "8.00000 x 296.0 W for 84.00 h, PUE 1.58, 429.0 gCO2e/kWh");
}

TEST(WhatIfChanges, AModelScenarioIsAtItsNetIntensity) {
  const ModelPreset& m = bundled_models().get("gpt-3");
  const Scenario s = model_scenario(m);
  EXPECT_EQ(s.label, m.name + " (" + m.datacenter + ")");
  EXPECT_EQ(s.intensity, m.grid.net.value_or(m.grid.gross));
}

}  // namespace
}  // namespace chase
