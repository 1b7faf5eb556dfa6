#include "carbon/region_data.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <utility>

#include "carbon/intensity_bounds.hpp"
#include "core/csv.hpp"
#include "core/embedded_data.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

CarbonIntensity intensity_cell(const CsvTable& t, const CsvRow& row, std::size_t column) {
  const double v = t.number(row, column);
  if (!plausible_intensity(v)) {
    t.fail(row, fmt::format("intensity {} g/kWh is outside [0, {}]", v, kMaxPlausibleIntensityGPerKwh));
  }
  return CarbonIntensity::g_per_kwh(v);
}

double percent_cell(const CsvTable& t, const CsvRow& row, std::size_t column) {
  const double v = t.number(row, column);
  if (v < 0 || v > 100) t.fail(row, fmt::format("column '{}': {} is not a percentage", t.header()[column], v));
  return v / 100;
}

std::string required_text(const CsvTable& t, const CsvRow& row, std::size_t column) {
  const std::string& s = t.text(row, column);
  if (s.empty()) t.fail(row, fmt::format("column '{}' is empty", t.header()[column]));
  return s;
}

}  // namespace

std::vector<ZoneYear> parse_zone_years(std::string_view csv_text, const std::string& source) {
  const CsvTable t = CsvTable::parse(csv_text, source);
  const std::size_t zone = t.column("zone"), zone_name = t.column("zone_name"), country = t.column("country_name"),
                    year = t.column("year"), intensity = t.column("intensity_g_per_kwh"),
                    renewable = t.column("renewable_pct"), carbon_free = t.column("carbon_free_pct");
  std::vector<ZoneYear> out;
  out.reserve(t.rows().size());
  std::set<std::pair<std::string, int>> seen;
  for (const CsvRow& row : t.rows()) {
    ZoneYear z;
    z.zone = required_text(t, row, zone);
    z.zone_name = required_text(t, row, zone_name);
    z.country_name = t.text(row, country);
    const double y = t.number(row, year);
    if (!(y >= 1900 && y <= 2200) || y != std::floor(y)) t.fail(row, fmt::format("year {} is not a whole year", y));
    z.year = static_cast<int>(y);
    z.intensity = intensity_cell(t, row, intensity);
    z.renewable_fraction = percent_cell(t, row, renewable);
    z.carbon_free_fraction = percent_cell(t, row, carbon_free);
    if (!seen.emplace(z.zone, z.year).second) t.fail(row, fmt::format("zone {} has {} twice", z.zone, z.year));
    out.push_back(std::move(z));
  }
  return out;
}

std::vector<EmberAverage> parse_ember_averages(std::string_view csv_text, const std::string& source) {
  const CsvTable t = CsvTable::parse(csv_text, source);
  const std::size_t code = t.column("code"), intensity = t.column("intensity_g_per_kwh");
  std::vector<EmberAverage> out;
  for (const CsvRow& row : t.rows()) out.push_back({required_text(t, row, code), intensity_cell(t, row, intensity)});
  return out;
}

std::vector<IsoCountry> parse_iso_countries(std::string_view csv_text, const std::string& source) {
  const CsvTable t = CsvTable::parse(csv_text, source);
  const std::size_t a2 = t.column("alpha_2"), a3 = t.column("alpha_3"), name = t.column("name"),
                    common = t.column("common_name");
  std::vector<IsoCountry> out;
  for (const CsvRow& row : t.rows()) {
    IsoCountry c{required_text(t, row, a2), required_text(t, row, a3), required_text(t, row, name), t.text(row, common)};
    if (c.alpha_2.size() != 2 || c.alpha_3.size() != 3) {
      t.fail(row, fmt::format("'{}'/'{}' are not alpha-2/alpha-3 codes", c.alpha_2, c.alpha_3));
    }
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<ZoneYear>& bundled_zone_years() {
  static const std::vector<ZoneYear> rows =
      parse_zone_years(require_embedded("regions/electricitymaps-yearly.csv"), "bundled:regions/electricitymaps-yearly.csv");
  return rows;
}

const std::vector<EmberAverage>& bundled_ember_averages() {
  static const std::vector<EmberAverage> rows =
      parse_ember_averages(require_embedded("regions/ember-country-average.csv"), "bundled:regions/ember-country-average.csv");
  return rows;
}

const std::vector<IsoCountry>& bundled_iso_countries() {
  static const std::vector<IsoCountry> rows =
      parse_iso_countries(require_embedded("regions/iso-3166-1.csv"), "bundled:regions/iso-3166-1.csv");
  return rows;
}

}  // namespace chase
