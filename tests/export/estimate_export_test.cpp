#include "export/estimate_export.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "account/what_if.hpp"
#include "carbon/region_catalog.hpp"
#include "carbon/region_table.hpp"
#include "export/comparison_export.hpp"
#include "export/presets_export.hpp"

namespace chase {
namespace {

// 100 h × 8 processors × 300 W × PUE 1.5 = 360 kWh; at 400 g/kWh, 144 kg.
TrainingJob small_job() { return {Duration::hours(100), 8, Power::watts(300), 1.5}; }

TEST(EstimateExport, WritesTheEstimateInFixedUnitsWithNullsForWhatIsAbsent) {
  const GridFactors grid{CarbonIntensity::g_per_kwh(400), std::nullopt, std::nullopt};
  const nlohmann::json j = estimate_json(small_job(), grid, estimate_footprint(small_job(), grid));
  EXPECT_DOUBLE_EQ(j["hours"], 100);
  EXPECT_NEAR(j["training_days"].get<double>(), 100.0 / 24, 1e-12);
  EXPECT_DOUBLE_EQ(j["processors"], 8);
  EXPECT_DOUBLE_EQ(j["power_w"], 300);
  EXPECT_DOUBLE_EQ(j["pue"], 1.5);
  EXPECT_NEAR(j["energy_kwh"].get<double>(), 360, 1e-9);
  EXPECT_NEAR(j["energy_mwh"].get<double>(), 0.36, 1e-12);
  EXPECT_NEAR(j["co2e_kg"].get<double>(), 144, 1e-9);
  EXPECT_NEAR(j["co2e_t"].get<double>(), 0.144, 1e-12);
  EXPECT_EQ(j["intensity_basis"], "gross");
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 400);
  EXPECT_TRUE(j["net_intensity_g_per_kwh"].is_null());
  EXPECT_TRUE(j["cfe"].is_null());
  EXPECT_TRUE(j["co2e_net_t"].is_null());
  EXPECT_TRUE(j["co2e_24x7_cfe_t"].is_null());
}

TEST(EstimateExport, UsesTheNetFigureAsTheHeadlineWhenThereIsOne) {
  const GridFactors grid{CarbonIntensity::g_per_kwh(400), CarbonIntensity::g_per_kwh(100), 0.25};
  const NamedJob job{small_job(), grid, "p100", "", "us-average", ""};
  const nlohmann::json j = estimate_json(job, estimate_footprint(job.job, job.grid));
  EXPECT_EQ(j["intensity_basis"], "net");
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], 100);
  EXPECT_DOUBLE_EQ(j["net_intensity_g_per_kwh"], 100);
  EXPECT_DOUBLE_EQ(j["cfe"], 0.25);
  EXPECT_NEAR(j["co2e_t"].get<double>(), 0.036, 1e-12);
  EXPECT_NEAR(j["co2e_gross_t"].get<double>(), 0.144, 1e-12);
  EXPECT_NEAR(j["co2e_24x7_cfe_t"].get<double>(), 0.108, 1e-12);
  EXPECT_EQ(j["processor"], "p100");
  EXPECT_TRUE(j["datacenter"].is_null());  // a PUE was given, not a preset
  EXPECT_EQ(j["region"], "us-average");
}

TEST(EstimateExport, SetsAPaperModelBesideItsPublishedFigures) {
  const ModelPreset& m = bundled_models().get("gpt-3");
  const FootprintEstimate est = estimate_footprint(m.job, m.grid);
  const nlohmann::json j = preset_estimate_json(m, est);
  EXPECT_EQ(j["preset"], "gpt-3");
  EXPECT_EQ(j["model"], m.name);
  EXPECT_DOUBLE_EQ(j["published_energy_mwh"], m.published_energy.mwh());
  EXPECT_DOUBLE_EQ(j["energy_deviation_pct"], (est.energy.mwh() / m.published_energy.mwh() - 1) * 100);
  EXPECT_DOUBLE_EQ(j["co2e_deviation_pct"], (est.co2e.tonnes() / m.published_co2e_net.tonnes() - 1) * 100);
}

TEST(ComparisonExport, WritesTheBaselineEachFactorAndTheCombinedResult) {
  const Scenario base{small_job(), CarbonIntensity::g_per_kwh(400), 1.0, "base"};
  ScenarioChange cleaner;
  cleaner.factor = "location";
  cleaner.label = "100 gCO2e/kWh";
  cleaner.intensity = CarbonIntensity::g_per_kwh(100);
  const nlohmann::json j = comparison_json(compare_each(base, {cleaner}));
  EXPECT_EQ(j["mode"], "each");
  EXPECT_EQ(j["baseline"]["label"], "base");
  EXPECT_DOUBLE_EQ(j["baseline"]["intensity_g_per_kwh"], 400);
  EXPECT_NEAR(j["baseline"]["co2e_kg"].get<double>(), 144, 1e-9);
  ASSERT_EQ(j["factors"].size(), 1u);
  EXPECT_EQ(j["factors"][0]["factor"], "location");
  EXPECT_EQ(j["factors"][0]["change"], "100 gCO2e/kWh");
  EXPECT_NEAR(j["factors"][0]["step_factor"].get<double>(), 4, 1e-12);
  EXPECT_NEAR(j["combined"]["co2e_kg"].get<double>(), 36, 1e-9);
  EXPECT_NEAR(j["combined_factor"].get<double>(), 4, 1e-12);
}

TEST(ComparisonExport, NamesTheWorkedExampleAndThePaperFigures) {
  const WorkedExample& ex = bundled_examples().get("transformer-57x");
  const nlohmann::json j = worked_example_json(ex, compare_chain(ex.baseline, ex.steps));
  EXPECT_EQ(j["mode"], "chain");
  EXPECT_EQ(j["example"], "transformer-57x");
  EXPECT_DOUBLE_EQ(j["published_total_factor"], ex.published_total_factor);
  EXPECT_EQ(j["factors"].size(), ex.steps.size());
}

TEST(PresetsExport, ListsOnlyTheKindAsked) {
  const nlohmann::json regions = presets_json("regions");
  ASSERT_EQ(regions.size(), 1u);
  const auto gb = std::find_if(regions["regions"].begin(), regions["regions"].end(),
                               [](const nlohmann::json& r) { return r["key"] == "gb"; });
  ASSERT_NE(gb, regions["regions"].end());
  // The place gb lists its default figure: the zone GB's latest complete year, not the 2020 preset.
  EXPECT_DOUBLE_EQ((*gb)["intensity_g_per_kwh"], resolve_region("GB").gross.g_per_kwh());
  EXPECT_EQ((*gb)["year"], 2024);
  const nlohmann::json all = presets_json("all");
  for (const char* kind : {"models", "processors", "datacenters", "regions", "examples"}) EXPECT_TRUE(all.contains(kind)) << kind;
  EXPECT_EQ(all["models"].size(), bundled_models().all().size());
}

}  // namespace
}  // namespace chase
