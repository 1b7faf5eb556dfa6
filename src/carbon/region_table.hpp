#pragma once
// The sourced region presets (data/presets/regions.toml): Patterson et al.'s datacenter sites and
// the bundled traces' means. Together with every grid zone and country they make the region
// catalog (carbon/region_catalog.hpp) that `--region` and the live providers' fallback read.

#include <optional>
#include <string>
#include <string_view>

#include "core/preset_table.hpp"
#include "core/units.hpp"

namespace chase {

struct RegionPreset {
  std::string key;
  std::string name;
  int year = 0;                           // 0: not given (Ember's latest average)
  CarbonIntensity gross;                  // what the local grid emits on average
  std::optional<CarbonIntensity> net;     // a datacenter's figure after 24/7 clean-energy purchases
  std::optional<double> cfe_fraction;     // 24/7 carbon-free-energy share, [0, 1]
  std::string trace;                      // bundled trace the average was computed from, if any
  std::string source;
  // Set for the entries of the zone table (carbon/region_catalog.hpp), empty for a preset:
  std::string zone;                       // the Electricity Maps zone the figure is of
  std::optional<double> renewable_fraction;  // renewables' share, [0, 1]
  std::string basis;                      // what the figure is: "Electricity Maps yearly average"
};

using RegionTable = PresetTable<RegionPreset>;

RegionTable parse_region_table(std::string_view toml_text, const std::string& source);
// The bundled table, parsed once.
const RegionTable& bundled_regions();

}  // namespace chase
