#pragma once
// The region tables' rows read straight from data/regions/ (split at commas: neither file quotes
// a field), so that tests compare what chase resolves with the file, not with itself.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace chase::test {

inline std::vector<std::vector<std::string>> region_file_rows(const std::string& name) {
  std::ifstream in(std::string(CHASE_SOURCE_DIR) + "/data/regions/" + name);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) fields.push_back(cell);
    if (line.back() == ',') fields.emplace_back();
    rows.push_back(std::move(fields));
  }
  return rows;
}

// The Electricity Maps row of a zone and year: {zone, zone_name, country_name, year, intensity,
// renewable_pct, carbon_free_pct}; empty if none.
inline std::vector<std::string> zone_row(const std::string& zone, int year) {
  for (auto& row : region_file_rows("electricitymaps-yearly.csv")) {
    if (row.at(0) == zone && row.at(3) == std::to_string(year)) return row;
  }
  return {};
}

// Ember's intensity for a code, -1 if none.
inline double ember_value(const std::string& code) {
  for (const auto& row : region_file_rows("ember-country-average.csv")) {
    if (row.at(0) == code) return std::stod(row.at(1));
  }
  return -1;
}

}  // namespace chase::test
