#pragma once
// Every region `--region` accepts: the sourced presets (regions.toml), every Electricity Maps
// zone with its yearly averages, and the countries only Ember covers. A region resolves by
// preset key, zone code ("US-CAL-CISO", "DK-DK1"), ISO 3166 alpha-2 or alpha-3 code or English
// name, case-insensitively; every name of one place resolves to the same place.
//
// A place's default figure is the zone table's latest complete year, also where a preset is one
// of a zone's years (gb, fr: the bundled traces' 2020 means, kept as that year's figure). `--year`
// picks another of the place's years; a preset that is no zone's is its own place and default.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "carbon/region_data.hpp"
#include "carbon/region_table.hpp"

namespace chase {

struct RegionPlace {
  std::string key;                    // a preset key, a zone code, or Ember's code
  std::string name;                   // English name
  std::string zone;                   // its Electricity Maps zone; empty if none
  std::string alpha_2, alpha_3;       // a country's ISO 3166 codes; empty otherwise
  std::vector<std::string> names;     // every name it resolves by (case-insensitively)
  std::vector<RegionPreset> entries;  // by year; Ember's average alone has year 0 (not given)
  std::size_t default_entry = 0;

  const RegionPreset& preferred() const { return entries.at(default_entry); }
  std::vector<int> years() const;  // the entries' years, 0 left out
};

class RegionCatalog {
 public:
  RegionCatalog(const RegionTable& presets, const std::vector<ZoneYear>& zones, const std::vector<EmberAverage>& ember,
                const std::vector<IsoCountry>& countries, int latest_complete_year);

  // Presets first (in their file's order), then the zones by code, then Ember's other codes.
  const std::vector<RegionPlace>& places() const { return places_; }
  int latest_complete_year() const { return latest_complete_year_; }

  // By any name; nullptr when none (or more than one) place has it.
  const RegionPlace* find(std::string_view name) const;
  // By zone code or preset key only: how a live provider's zone finds its static fallback.
  const RegionPlace* find_zone(std::string_view zone) const;
  // Throws InputError "unknown region 'x' (did you mean: Germany (DE)?)", or "... is ambiguous".
  const RegionPlace& get(std::string_view name) const;
  // The place's figure for `year`, else its default. Throws InputError for a year it lacks,
  // naming the years it has.
  RegionPreset resolve(std::string_view name, std::optional<int> year = std::nullopt) const;

 private:
  void add_name(std::size_t place, const std::string& name);

  std::vector<RegionPlace> places_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;  // folded name → places
  std::vector<std::string> folded_names_;                              // for close matches
  std::vector<std::pair<std::string, std::size_t>> name_list_;         // as written, with its place
  int latest_complete_year_;
};

// The bundled catalog, built once.
const RegionCatalog& region_catalog();
inline RegionPreset resolve_region(std::string_view name, std::optional<int> year = std::nullopt) {
  return region_catalog().resolve(name, year);
}

// How output names a figure: "DE 2024 (Electricity Maps yearly average)", "RU (Ember yearly
// average, year not given)", "fr (France, 2020)" for a preset.
std::string describe_region(const RegionPreset& region);
// 2021, 2022, 2023 → "2021–2025"-style runs: "2020–2025", "2018, 2020".
std::string format_years(const std::vector<int>& years);

}  // namespace chase
