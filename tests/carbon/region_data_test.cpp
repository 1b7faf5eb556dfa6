#include "carbon/region_data.hpp"

#include <gtest/gtest.h>

#include "carbon/region_file_rows.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

const char* kHeader = "zone,zone_name,country_name,year,intensity_g_per_kwh,renewable_pct,carbon_free_pct\n";

std::string zone_error(const std::string& rows) {
  try {
    parse_zone_years(kHeader + rows, "z.csv");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RegionData, BundledTablesHoldEveryRow) {
  EXPECT_EQ(bundled_zone_years().size(), 1760u);
  EXPECT_EQ(bundled_ember_averages().size(), 222u);
  EXPECT_EQ(bundled_iso_countries().size(), 250u);
  const ZoneYear& first = bundled_zone_years().front();
  const auto row = test::region_file_rows("electricitymaps-yearly.csv").front();
  EXPECT_EQ(first.zone, row[0]);
  EXPECT_EQ(first.zone_name, row[1]);
  EXPECT_EQ(first.year, std::stoi(row[3]));
  EXPECT_DOUBLE_EQ(first.intensity.g_per_kwh(), std::stod(row[4]));
  EXPECT_DOUBLE_EQ(first.carbon_free_fraction, std::stod(row[6]) / 100);
  const IsoCountry& de = *std::find_if(bundled_iso_countries().begin(), bundled_iso_countries().end(),
                                       [](const IsoCountry& c) { return c.alpha_2 == "DE"; });
  EXPECT_EQ(de.alpha_3, "DEU");
  EXPECT_EQ(de.name, "Germany");
}

TEST(RegionData, RefusesRowsOutOfRange) {
  EXPECT_EQ(zone_error("DE,Germany,,2024,341,60,65\n"), "no error");
  EXPECT_EQ(zone_error("DE,Germany,,2024,341,60,165\n"), "z.csv:2: column 'carbon_free_pct': 165 is not a percentage");
  EXPECT_EQ(zone_error("DE,Germany,,2024,-3,60,65\n"), "z.csv:2: intensity -3 g/kWh is outside [0, 5000]");
  EXPECT_EQ(zone_error("DE,Germany,,2024.5,341,60,65\n"), "z.csv:2: year 2024.5 is not a whole year");
  EXPECT_EQ(zone_error(",Germany,,2024,341,60,65\n"), "z.csv:2: column 'zone' is empty");
  EXPECT_EQ(zone_error("DE,Germany,,2024,341,60,65\nDE,Germany,,2024,340,60,65\n"), "z.csv:3: zone DE has 2024 twice");
  EXPECT_THROW(parse_ember_averages("code,intensity_g_per_kwh\nDEU,nan\n", "e.csv"), InputError);
  EXPECT_THROW(parse_iso_countries("alpha_2,alpha_3,name,common_name\nDEU,DE,Germany,\n", "i.csv"), InputError);
  EXPECT_THROW(parse_zone_years("zone,year\nDE,2024\n", "z.csv"), ParseError);
}

}  // namespace
}  // namespace chase
