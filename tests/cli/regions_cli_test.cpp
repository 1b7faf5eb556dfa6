// Every grid zone and country as `--region`, through a real process: estimate, presets regions,
// intensity and a live provider's fallback. Values come from data/regions/ as the files hold them.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "carbon/region_file_rows.hpp"
#include "support/local_http_server.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

using test::run_chase;
using test::zone_row;

const std::vector<std::string> kJob{"estimate", "--hours", "100", "--processors", "8", "--power-w", "300", "--pue", "1.1"};

std::vector<std::string> job_with(std::vector<std::string> extra) {
  std::vector<std::string> args = kJob;
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// DE 2024 from the file: 341 g/kWh, 65 % carbon-free; the CFE feeds gross × (1 − CFE).
TEST(RegionsCli, EstimateByAlpha3AndAlpha2GivesTheZonesLatestCompleteYear) {
  const auto row = zone_row("DE", 2024);
  ASSERT_EQ(row.size(), 7u);
  const double gross = std::stod(row[4]), cfe = std::stod(row[6]) / 100;
  const double energy_kwh = 100 * 8 * 300 * 1.1 / 1000;  // 264 kWh
  for (const char* name : {"DEU", "de", "Germany"}) {
    const auto r = run_chase(job_with({"--region", name, "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["region"], "DE") << name;
    EXPECT_EQ(j["region_basis"], "DE 2024 (Electricity Maps yearly average)") << name;
    EXPECT_DOUBLE_EQ(j["gross_intensity_g_per_kwh"], gross) << name;
    EXPECT_DOUBLE_EQ(j["cfe"], cfe) << name;
    EXPECT_NEAR(j["co2e_gross_t"].get<double>(), energy_kwh * gross / 1e6, 1e-12) << name;
    EXPECT_NEAR(j["co2e_24x7_cfe_t"].get<double>(), energy_kwh * gross * (1 - cfe) / 1e6, 1e-12) << name;
  }
  const auto table = run_chase(job_with({"--region", "DEU"}));
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("341.0 gCO2e/kWh, DE 2024 (Electricity Maps yearly average)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("24/7 carbon-free energy      65 %"), std::string::npos) << table.out;
}

TEST(RegionsCli, YearAndCfeFlags) {
  const auto r2021 = nlohmann::json::parse(run_chase(job_with({"--region", "DEU", "--year", "2021", "--json"})).out);
  EXPECT_DOUBLE_EQ(r2021["gross_intensity_g_per_kwh"], std::stod(zone_row("DE", 2021)[4]));
  EXPECT_DOUBLE_EQ(r2021["cfe"], std::stod(zone_row("DE", 2021)[6]) / 100);
  // --cfe given wins over the region's share.
  const auto given = nlohmann::json::parse(run_chase(job_with({"--region", "DEU", "--cfe", "0.9", "--json"})).out);
  EXPECT_DOUBLE_EQ(given["cfe"], 0.9);
  // Ember where Electricity Maps has no zone: no year, no carbon-free share.
  const auto ru = nlohmann::json::parse(run_chase(job_with({"--region", "russia", "--json"})).out);
  EXPECT_DOUBLE_EQ(ru["gross_intensity_g_per_kwh"], test::ember_value("RUS"));
  EXPECT_EQ(ru["region_basis"], "RU (Ember yearly average, year not given)");
  EXPECT_TRUE(ru["cfe"].is_null());
}

// GPT-3's 429 gCO2e/kWh (Patterson et al., Table 4) against Germany's 2024 average.
TEST(RegionsCli, CompareToAZone) {
  const double de = std::stod(zone_row("DE", 2024)[4]);
  const auto r = run_chase({"compare", "--preset", "gpt-3", "--to-region", "Germany", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["factors"][0]["factor_vs_baseline"].get<double>(), 429 / de, 1e-9);
  const auto table = run_chase({"compare", "--preset", "gpt-3", "--to-region", "DEU"});
  EXPECT_NE(table.out.find("DE 2024 (341.0 gCO2e/kWh)"), std::string::npos) << table.out;
}

TEST(RegionsCli, PresetsRegionsListsEveryPlace) {
  const auto r = run_chase({"presets", "regions", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto regions = nlohmann::json::parse(r.out)["regions"];
  EXPECT_EQ(regions.size(), 385u);  // 10 presets + 350 other zones + 25 Ember codes (see region_catalog_test)
  bool found = false;
  for (const auto& p : regions) {
    if (p["key"] != "DK-DK1") continue;
    found = true;
    EXPECT_EQ(p["year"], 2024);
    EXPECT_EQ(p["years"], (std::vector<int>{2021, 2022, 2023, 2024, 2025}));
    EXPECT_DOUBLE_EQ(p["intensity_g_per_kwh"], std::stod(zone_row("DK-DK1", 2024)[4]));
    EXPECT_EQ(p["source"], "Electricity Maps, yearly average (ODbL 1.0)");
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(regions[0]["key"], "fr");  // the presets first, in their table's (key) order
  EXPECT_EQ(regions[0]["year"], 2024);  // the zone FR's latest complete year; the 2020 preset by --year
  EXPECT_EQ(regions[0]["years"], (std::vector<int>{2020, 2021, 2022, 2023, 2024, 2025}));
  EXPECT_DOUBLE_EQ(regions[0]["intensity_g_per_kwh"], std::stod(zone_row("FR", 2024)[4]));
  EXPECT_EQ(regions[0]["zone"], "FR");
  const auto table = run_chase({"presets", "regions"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("region (--region) ", 0), 0u) << table.out.substr(0, 400);
  EXPECT_NE(table.out.find("years (--year)"), std::string::npos);
  EXPECT_NE(table.out.find("385 regions, by key, zone code, ISO code or English name (any case). Default year: 2024"),
            std::string::npos);
}

TEST(RegionsCli, StaticIntensityOfAZone) {
  const auto r = run_chase({"intensity", "--region", "us-cal-ciso", "--year", "2023", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["source"], "static:US-CAL-CISO");
  EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], std::stod(zone_row("US-CAL-CISO", 2023)[4]));
  const auto table = run_chase({"intensity", "--region", "California ISO", "--year", "2023"});
  EXPECT_NE(table.out.find("region     US-CAL-CISO 2023 (Electricity Maps yearly average)"), std::string::npos)
      << table.out;
}

// A live Electricity Maps zone whose provider fails, with nothing cached, falls back on that
// zone's yearly average (--year picks the year).
TEST(RegionsCli, LiveZoneFallsBackOnItsYearlyAverage) {
  test::LocalHttpServer server;
  test::TempDir dir;
  server.on("/v3/carbon-intensity/latest", {test::Reply{401, "{}", {}, 0}});  // not retried
  for (const auto& [year, expected] : std::vector<std::pair<std::string, std::string>>{
           {"", zone_row("DK-DK1", 2024)[4]}, {"2022", zone_row("DK-DK1", 2022)[4]}}) {
    std::vector<std::string> args{"intensity", "--provider", "electricitymaps", "--zone", "DK-DK1", "--base-url",
                                  server.base_url(), "--cache", (dir.path() / "c.sqlite").string(), "--json"};
    if (!year.empty()) args.insert(args.end(), {"--year", year});
    const auto r = run_chase(args, {{"ELECTRICITYMAPS_API_KEY", "test-key-3f9a"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["source"], "static:DK-DK1");
    EXPECT_EQ(j["fallback"], true);
    EXPECT_DOUBLE_EQ(j["intensity_g_per_kwh"], std::stod(expected)) << year;
  }
}

}  // namespace
}  // namespace chase
