#include "carbon/region_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/close_matches.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

constexpr const char* kElectricityMapsSource = "Electricity Maps, yearly average (ODbL 1.0)";
constexpr const char* kEmberSource = "Ember, latest yearly average (CC BY-SA 4.0)";

RegionPreset zone_entry(const ZoneYear& z, const std::string& name, int latest_complete_year) {
  RegionPreset r;
  r.key = z.zone;
  r.name = name;
  r.year = z.year;
  r.gross = z.intensity;
  r.cfe_fraction = z.carbon_free_fraction;
  r.renewable_fraction = z.renewable_fraction;
  r.zone = z.zone;
  r.source = kElectricityMapsSource;
  r.basis = z.year > latest_complete_year ? "Electricity Maps average of a year not complete in the data"
                                          : "Electricity Maps yearly average";
  return r;
}

RegionPreset ember_entry(const EmberAverage& e, const std::string& key, const std::string& name) {
  RegionPreset r;
  r.key = key;
  r.name = name;
  r.gross = e.intensity;
  r.source = kEmberSource;
  r.basis = "Ember yearly average, year not given";
  return r;
}

std::string country_name(const IsoCountry& c) { return c.common_name.empty() ? c.name : c.common_name; }

void add_country_names(RegionPlace& place, const IsoCountry& c) {
  place.alpha_2 = c.alpha_2;
  place.alpha_3 = c.alpha_3;
  for (const std::string* n : {&c.alpha_2, &c.alpha_3, &c.name, &c.common_name}) {
    if (!n->empty()) place.names.push_back(*n);
  }
}

}  // namespace

std::vector<int> RegionPlace::years() const {
  std::vector<int> out;
  for (const RegionPreset& e : entries) {
    if (e.year != 0) out.push_back(e.year);
  }
  return out;
}

RegionCatalog::RegionCatalog(const RegionTable& presets, const std::vector<ZoneYear>& zones,
                             const std::vector<EmberAverage>& ember, const std::vector<IsoCountry>& countries,
                             int latest_complete_year)
    : latest_complete_year_(latest_complete_year) {
  std::map<std::string, const IsoCountry*> by_alpha_2, by_alpha_3;
  for (const IsoCountry& c : countries) {
    by_alpha_2.emplace(c.alpha_2, &c);
    by_alpha_3.emplace(c.alpha_3, &c);
  }

  // The zones, by code, each with its years.
  std::map<std::string, RegionPlace> zone_places;
  for (const ZoneYear& z : zones) {
    RegionPlace& place = zone_places[z.zone];
    if (place.key.empty()) {
      place.key = place.zone = z.zone;
      place.name = z.country_name.empty() ? z.zone_name : z.zone_name + ", " + z.country_name;
      place.names = {z.zone, z.zone_name};
      if (const auto c = by_alpha_2.find(z.zone); c != by_alpha_2.end()) add_country_names(place, *c->second);
    }
    place.entries.push_back(zone_entry(z, place.name, latest_complete_year));
  }
  for (auto& [code, place] : zone_places) {
    std::sort(place.entries.begin(), place.entries.end(),
              [](const RegionPreset& a, const RegionPreset& b) { return a.year < b.year; });
    place.default_entry = place.entries.size() - 1;
    for (std::size_t i = 0; i < place.entries.size(); ++i) {
      if (place.entries[i].year == latest_complete_year) place.default_entry = i;
    }
  }

  // The presets: a preset whose key is a zone's code is that zone's figure for its year, and
  // its default; the others are places of their own.
  for (const RegionPreset& p : presets.all()) {
    RegionPlace place;
    const auto zone = std::find_if(zone_places.begin(), zone_places.end(),
                                   [&](const auto& z) { return fold_name(z.first) == fold_name(p.key); });
    if (zone != zone_places.end()) {
      place = std::move(zone->second);
      zone_places.erase(zone);
      place.entries.erase(std::remove_if(place.entries.begin(), place.entries.end(),
                                         [&](const RegionPreset& e) { return e.year == p.year; }),
                          place.entries.end());
    } else {
      place.name = p.name;
    }
    place.key = p.key;
    place.names.push_back(p.key);
    place.entries.push_back(p);
    std::sort(place.entries.begin(), place.entries.end(),
              [](const RegionPreset& a, const RegionPreset& b) { return a.year < b.year; });
    // A zone's default is its latest complete year, whatever a preset adds: a preset of an
    // older year (the bundled traces' 2020 means) stays reachable with --year.
    place.default_entry = place.entries.size() - 1;
    bool has_latest_complete_year = false;
    for (std::size_t i = 0; i < place.entries.size(); ++i) {
      if (place.entries[i].year == latest_complete_year) {
        place.default_entry = i;
        has_latest_complete_year = true;
      }
    }
    if (!has_latest_complete_year) {
      for (std::size_t i = 0; i < place.entries.size(); ++i) {
        if (place.entries[i].key == p.key && place.entries[i].zone.empty()) place.default_entry = i;
      }
    }
    places_.push_back(std::move(place));
  }
  for (auto& [code, place] : zone_places) places_.push_back(std::move(place));

  // Ember, where no zone has the country.
  std::map<std::string, std::size_t> by_code;
  for (std::size_t i = 0; i < places_.size(); ++i) {
    if (!places_[i].alpha_2.empty()) by_code.emplace(places_[i].alpha_2, i);
  }
  std::vector<RegionPlace> ember_places;
  for (const EmberAverage& e : ember) {
    const auto c = by_alpha_3.find(e.code);
    if (c != by_alpha_3.end() && by_code.count(c->second->alpha_2) != 0) continue;
    RegionPlace place;
    if (c != by_alpha_3.end()) {
      place.key = c->second->alpha_2;
      place.name = country_name(*c->second);
      add_country_names(place, *c->second);
    } else {
      place.key = place.name = e.code;
      place.names = {e.code};
    }
    place.entries.push_back(ember_entry(e, place.key, place.name));
    ember_places.push_back(std::move(place));
  }
  std::sort(ember_places.begin(), ember_places.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  for (auto& place : ember_places) places_.push_back(std::move(place));

  for (std::size_t i = 0; i < places_.size(); ++i) {
    for (const std::string& n : places_[i].names) add_name(i, n);
  }
  // A sub-national zone's country ("USA", "Russia") names the country's place, where it has one
  // and the name is not taken.
  for (const ZoneYear& z : zones) {
    const std::size_t dash = z.zone.find('-');
    if (z.country_name.empty() || dash == std::string::npos || by_name_.count(fold_name(z.country_name)) != 0) continue;
    for (std::size_t i = 0; i < places_.size(); ++i) {
      if (places_[i].alpha_2 == z.zone.substr(0, dash)) {
        places_[i].names.push_back(z.country_name);
        add_name(i, z.country_name);
      }
    }
  }
}

void RegionCatalog::add_name(std::size_t place, const std::string& name) {
  const std::string folded = fold_name(name);
  std::vector<std::size_t>& found = by_name_[folded];
  if (std::find(found.begin(), found.end(), place) != found.end()) return;
  found.push_back(place);
  folded_names_.push_back(folded);
  name_list_.emplace_back(name, place);
}

const RegionPlace* RegionCatalog::find(std::string_view name) const {
  const auto it = by_name_.find(fold_name(name));
  if (it == by_name_.end() || it->second.size() != 1) return nullptr;
  return &places_[it->second.front()];
}

const RegionPlace* RegionCatalog::find_zone(std::string_view zone) const {
  const std::string folded = fold_name(zone);
  for (const RegionPlace& p : places_) {
    if (fold_name(p.key) == folded || (!p.zone.empty() && fold_name(p.zone) == folded)) return &p;
  }
  return nullptr;
}

const RegionPlace& RegionCatalog::get(std::string_view name) const {
  if (const RegionPlace* p = find(name)) return *p;
  const auto suggest = [&](const std::vector<std::size_t>& name_indexes) {
    std::vector<std::size_t> seen;
    std::vector<std::string> out;
    for (const std::size_t i : name_indexes) {
      const auto& [written, place] = name_list_[i];
      if (std::find(seen.begin(), seen.end(), place) != seen.end()) continue;
      seen.push_back(place);
      const RegionPlace& p = places_[place];
      const std::string w = fold_name(written);
      const bool code = w == fold_name(p.key) || w == fold_name(p.zone) || w == fold_name(p.alpha_2) || w == fold_name(p.alpha_3);
      out.push_back(code ? fmt::format("{} ({})", p.name, written) : fmt::format("{} ({})", written, p.key));
      if (out.size() == 6) break;
    }
    return fmt::format("did you mean: {}?", fmt::join(out, ", "));
  };
  if (const auto it = by_name_.find(fold_name(name)); it != by_name_.end()) {
    std::vector<std::size_t> same;
    for (std::size_t i = 0; i < name_list_.size(); ++i) {
      if (folded_names_[i] == it->first) same.push_back(i);
    }
    throw InputError(fmt::format("region '{}' is ambiguous ({})", name, suggest(same)));
  }
  const std::vector<CloseMatch> close = close_matches(name, folded_names_);
  std::vector<std::size_t> indexes, prefix_places;
  for (const CloseMatch& m : close) {
    indexes.push_back(m.index);
    const std::size_t place = name_list_[m.index].second;
    if (m.prefix && std::find(prefix_places.begin(), prefix_places.end(), place) == prefix_places.end()) {
      prefix_places.push_back(place);
    }
  }
  if (prefix_places.size() > 1) throw InputError(fmt::format("region '{}' is ambiguous ({})", name, suggest(indexes)));
  if (!indexes.empty()) throw InputError(fmt::format("unknown region '{}' ({})", name, suggest(indexes)));
  throw InputError(fmt::format(
      "unknown region '{}' (known: {} regions by zone code, ISO 3166 code or English name; see `chase presets regions`)",
      name, places_.size()));
}

RegionPreset RegionCatalog::resolve(std::string_view name, std::optional<int> year) const {
  const RegionPlace& place = get(name);
  if (!year) return place.preferred();
  for (const RegionPreset& e : place.entries) {
    if (e.year == *year) return e;
  }
  const std::vector<int> years = place.years();
  if (years.empty()) {
    throw InputError(fmt::format("region {} has no figure by year, only {} (leave out the year)", place.key,
                                 place.preferred().basis));
  }
  throw InputError(fmt::format("region {} has no figure for {} (years: {})", place.key, *year, format_years(years)));
}

const RegionCatalog& region_catalog() {
  static const RegionCatalog catalog = [] {
    int latest = 0;
    for (const ZoneYear& z : bundled_zone_years()) latest = std::max(latest, z.year);
    return RegionCatalog(bundled_regions(), bundled_zone_years(), bundled_ember_averages(), bundled_iso_countries(),
                         std::min(latest, kZoneTablePublishedYear - 1));
  }();
  return catalog;
}

std::string describe_region(const RegionPreset& region) {
  if (region.basis.empty()) return fmt::format("{} ({})", region.key, region.name);
  if (region.year == 0) return fmt::format("{} ({})", region.key, region.basis);
  return fmt::format("{} {} ({})", region.key, region.year, region.basis);
}

std::string format_years(const std::vector<int>& years) {
  std::vector<std::string> runs;
  for (std::size_t i = 0; i < years.size();) {
    std::size_t end = i;
    while (end + 1 < years.size() && years[end + 1] == years[end] + 1) ++end;
    runs.push_back(end == i ? std::to_string(years[i]) : fmt::format("{}–{}", years[i], years[end]));
    i = end + 1;
  }
  return fmt::format("{}", fmt::join(runs, ", "));
}

}  // namespace chase
