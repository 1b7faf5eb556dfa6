#include "carbon/region_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

#include "carbon/live/provider_settings.hpp"
#include "carbon/region_file_rows.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

using test::ember_value;
using test::zone_row;

std::string error_of(const std::string& name, std::optional<int> year = std::nullopt) {
  try {
    resolve_region(name, year);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// Every name of Germany is one entry: its 2024 row of the Electricity Maps file.
TEST(RegionCatalog, EveryNameOfAPlaceResolvesToTheSameEntry) {
  const auto row = zone_row("DE", 2024);
  ASSERT_EQ(row.size(), 7u);
  for (const char* name : {"DE", "de", "DEU", "deu", "Germany", "germany", "  GERMANY "}) {
    const RegionPreset r = resolve_region(name);
    EXPECT_EQ(r.key, "DE") << name;
    EXPECT_EQ(r.year, 2024) << name;
    EXPECT_DOUBLE_EQ(r.gross.g_per_kwh(), std::stod(row[4])) << name;
    EXPECT_DOUBLE_EQ(*r.renewable_fraction, std::stod(row[5]) / 100) << name;
    EXPECT_DOUBLE_EQ(*r.cfe_fraction, std::stod(row[6]) / 100) << name;
    EXPECT_EQ(describe_region(r), "DE 2024 (Electricity Maps yearly average)");
  }
  EXPECT_EQ(&region_catalog().get("DEU"), &region_catalog().get("Germany"));
}

TEST(RegionCatalog, SubNationalZonesByCodeAndName) {
  for (const auto& [zone, names] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"US-CAL-CISO", {"US-CAL-CISO", "us-cal-ciso", "California ISO"}},
           {"DK-DK1", {"DK-DK1", "dk-dk1", "West Denmark"}},
           {"US-TEX-ERCO", {"us-tex-erco", "ERCOT"}}}) {
    const auto row = zone_row(zone, 2024);
    ASSERT_EQ(row.size(), 7u) << zone;
    for (const auto& name : names) {
      const RegionPreset r = resolve_region(name);
      EXPECT_EQ(r.key, zone) << name;
      EXPECT_EQ(r.zone, zone) << name;
      EXPECT_DOUBLE_EQ(r.gross.g_per_kwh(), std::stod(row[4])) << name;
    }
  }
  EXPECT_EQ(resolve_region("DK-DK1").name, "West Denmark, Denmark");
  // A sub-national zone's country names the country: "USA" is the US zone.
  EXPECT_EQ(resolve_region("USA").key, "US");
}

TEST(RegionCatalog, YearPicksTheRowAndTheDefaultIsTheLatestCompleteYear) {
  EXPECT_EQ(region_catalog().latest_complete_year(), 2024);
  for (int year = 2021; year <= 2025; ++year) {
    const RegionPreset r = resolve_region("deu", year);
    EXPECT_EQ(r.year, year);
    EXPECT_DOUBLE_EQ(r.gross.g_per_kwh(), std::stod(zone_row("DE", year)[4])) << year;
  }
  EXPECT_EQ(describe_region(resolve_region("DE", 2025)),
            "DE 2025 (Electricity Maps average of a year not complete in the data)");
  EXPECT_EQ(error_of("DE", 2019), "region DE has no figure for 2019 (years: 2021–2025)");
  EXPECT_EQ(region_catalog().get("DE").years(), (std::vector<int>{2021, 2022, 2023, 2024, 2025}));
}

// Russia has no Electricity Maps zone of its own (only sub-zones): Ember's average stands in.
TEST(RegionCatalog, EmberWhereElectricityMapsHasNoZone) {
  const double rus = ember_value("RUS");
  ASSERT_GT(rus, 0);
  for (const char* name : {"RU", "RUS", "Russian Federation", "Russia"}) {
    const RegionPreset r = resolve_region(name);
    EXPECT_EQ(r.key, "RU") << name;
    EXPECT_EQ(r.year, 0) << name;
    EXPECT_DOUBLE_EQ(r.gross.g_per_kwh(), rus) << name;
    EXPECT_FALSE(r.cfe_fraction.has_value()) << name;
  }
  EXPECT_EQ(describe_region(resolve_region("RU")), "RU (Ember yearly average, year not given)");
  EXPECT_EQ(error_of("RU", 2024), "region RU has no figure by year, only Ember yearly average, year not given (leave out the year)");
  EXPECT_DOUBLE_EQ(resolve_region("world").gross.g_per_kwh(), ember_value("WORLD"));
  EXPECT_DOUBLE_EQ(resolve_region("UA").gross.g_per_kwh(), ember_value("UKR"));
  // Where a zone has the country, Electricity Maps wins over Ember.
  EXPECT_EQ(resolve_region("DEU").source, "Electricity Maps, yearly average (ODbL 1.0)");
}

// The sourced presets keep their keys and values; gb and fr are the zones GB and FR's 2020,
// reached with the year, while every name of GB and FR gives the latest complete year.
TEST(RegionCatalog, PresetsKeepTheirKeysAndValues) {
  for (const RegionPreset& preset : bundled_regions().all()) {
    const RegionPreset r = resolve_region(preset.key, preset.year);
    EXPECT_EQ(r.key, preset.key);
    EXPECT_DOUBLE_EQ(r.gross.g_per_kwh(), preset.gross.g_per_kwh()) << preset.key;
    EXPECT_EQ(r.year, preset.year);
  }
  EXPECT_DOUBLE_EQ(resolve_region("google-iowa").gross.g_per_kwh(), 478);
  for (const char* name : {"gb", "GB", "GBR", "United Kingdom", "Great Britain"}) {
    EXPECT_DOUBLE_EQ(resolve_region(name).gross.g_per_kwh(), std::stod(zone_row("GB", 2024)[4])) << name;
    EXPECT_EQ(resolve_region(name).year, 2024) << name;
    EXPECT_DOUBLE_EQ(resolve_region(name, 2020).gross.g_per_kwh(), 217.6) << name;
  }
  EXPECT_DOUBLE_EQ(resolve_region("France").gross.g_per_kwh(), std::stod(zone_row("FR", 2024)[4]));
  EXPECT_DOUBLE_EQ(resolve_region("FRA", 2020).gross.g_per_kwh(), 56.7);
  EXPECT_EQ(region_catalog().get("fr").years(), (std::vector<int>{2020, 2021, 2022, 2023, 2024, 2025}));
  EXPECT_EQ(describe_region(resolve_region("fr")), "FR 2024 (Electricity Maps yearly average)");
  EXPECT_EQ(describe_region(resolve_region("fr", 2020)), "fr (France, 2020)");
  EXPECT_EQ(error_of("google-iowa", 2024), "region google-iowa has no figure for 2024 (years: 2020)");
}

TEST(RegionCatalog, UnknownAndAmbiguousNamesListCloseMatches) {
  EXPECT_EQ(error_of("germny"), "unknown region 'germny' (did you mean: Germany (DE)?)");
  EXPECT_EQ(error_of("DEUU"), "unknown region 'DEUU' (did you mean: Germany (DEU)?)");
  EXPECT_EQ(error_of("united"),
            "region 'united' is ambiguous (did you mean: United Kingdom (gb), United Arab Emirates (AE), United States (US)?)");
  EXPECT_EQ(error_of("atlantis"),
            "unknown region 'atlantis' (known: 385 regions by zone code, ISO 3166 code or English name; see `chase presets "
            "regions`)");
}

// Two zones that share a name: the name resolves to neither, and the error lists both.
TEST(RegionCatalog, ANameTwoPlacesShareIsAmbiguous) {
  const std::vector<ZoneYear> zones{{"AA-N", "North", "Aland", 2024, CarbonIntensity::g_per_kwh(100), 0.5, 0.6},
                                    {"BB-N", "North", "Bland", 2024, CarbonIntensity::g_per_kwh(200), 0.1, 0.2}};
  const RegionCatalog catalog(RegionTable("region", {}), zones, {}, {}, 2024);
  EXPECT_EQ(catalog.find("north"), nullptr);
  try {
    catalog.get("north");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "region 'north' is ambiguous (did you mean: North (AA-N), North (BB-N)?)");
  }
  EXPECT_DOUBLE_EQ(catalog.resolve("bb-n").gross.g_per_kwh(), 200);
  EXPECT_EQ(catalog.resolve("AA-N").name, "North, Aland");
}

// The catalog: the 10 presets (gb and fr are zones GB and FR), the other 350 zones, and Ember's
// codes no zone covers (12 countries and 13 aggregates; Kosovo's XKX is zone XK).
TEST(RegionCatalog, ListsEveryPlaceOnce) {
  const auto& places = region_catalog().places();
  std::set<std::string> zones;
  for (const auto& row : test::region_file_rows("electricitymaps-yearly.csv")) zones.insert(row.at(0));
  EXPECT_EQ(zones.size(), 352u);
  EXPECT_EQ(places.size(), bundled_regions().all().size() + zones.size() - 2 + 12 + 13);
  std::set<std::string> keys;
  for (const auto& p : places) {
    EXPECT_TRUE(keys.insert(p.key).second) << p.key;
    if (!p.zone.empty()) {
      EXPECT_EQ(zones.erase(p.zone), 1u) << p.zone;
    }
  }
  EXPECT_TRUE(zones.empty());
  EXPECT_EQ(places.front().key, bundled_regions().all().front().key);  // presets first
}

// A live provider's zone falls back on that zone's yearly average.
TEST(RegionCatalog, LiveFallbackByZone) {
  EXPECT_EQ(fallback_region_for("electricitymaps", "DE"), "DE");
  EXPECT_EQ(fallback_region_for("electricitymaps", "US-CAL-CISO"), "US-CAL-CISO");
  EXPECT_EQ(fallback_region_for("electricitymaps", "dk-dk1"), "DK-DK1");
  EXPECT_EQ(fallback_region_for("electricitymaps", "FR"), "fr");
  EXPECT_EQ(fallback_region_for("electricitymaps", "XX-NOWHERE"), "");
  EXPECT_EQ(fallback_region_for("electricitymaps", "Germany"), "");  // a zone, not a name
  EXPECT_EQ(fallback_region_for("uk-carbon-intensity", ""), "gb");
}

TEST(RegionCatalog, YearsAreWrittenAsRuns) {
  EXPECT_EQ(format_years({2021, 2022, 2023}), "2021–2023");
  EXPECT_EQ(format_years({2018, 2020, 2021}), "2018, 2020–2021");
  EXPECT_EQ(format_years({}), "");
}

}  // namespace
}  // namespace chase
