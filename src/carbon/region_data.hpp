#pragma once
// The three tables behind every grid zone and country (data/regions/): Electricity Maps' yearly
// averages per zone, Ember's latest yearly average per country, and the ISO 3166-1 codes and
// English names that tie them together. Each reader checks its rows and says which line failed.

#include <string>
#include <string_view>
#include <vector>

#include "core/units.hpp"

namespace chase {

// One zone's one year (electricitymaps-yearly.csv).
struct ZoneYear {
  std::string zone;          // the Electricity Maps zone code: "DE", "US-CAL-CISO", "DK-DK1"
  std::string zone_name;     // "Germany", "California ISO", "West Denmark"
  std::string country_name;  // empty where the zone is a whole country
  int year = 0;
  CarbonIntensity intensity;  // life-cycle, of consumed electricity
  double renewable_fraction = 0;  // [0, 1]
  double carbon_free_fraction = 0;  // nuclear + renewables, [0, 1]
};

// Ember's latest yearly average (ember-country-average.csv): no year is given per row.
struct EmberAverage {
  std::string code;  // ISO 3166-1 alpha-3, or an aggregate ("WORLD", "EU", "G20", ...)
  CarbonIntensity intensity;
};

struct IsoCountry {
  std::string alpha_2, alpha_3, name, common_name;  // common_name: empty where none
};

// Throw ParseError (a malformed file) or InputError (a value out of range) naming source:line.
std::vector<ZoneYear> parse_zone_years(std::string_view csv_text, const std::string& source);
std::vector<EmberAverage> parse_ember_averages(std::string_view csv_text, const std::string& source);
std::vector<IsoCountry> parse_iso_countries(std::string_view csv_text, const std::string& source);

// The bundled tables, parsed once.
const std::vector<ZoneYear>& bundled_zone_years();
const std::vector<EmberAverage>& bundled_ember_averages();
const std::vector<IsoCountry>& bundled_iso_countries();

// The Electricity Maps table was published in December 2025 (@tgwf/co2 0.18), so its 2025 is
// the year to date: the latest year complete in it is 2024.
inline constexpr int kZoneTablePublishedYear = 2025;

}  // namespace chase
