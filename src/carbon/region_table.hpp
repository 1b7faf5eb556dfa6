#pragma once
// Static average grid intensity per region (data/presets/regions.toml): the fallback of every
// live provider and the `--region` choice of the estimator.

#include <optional>
#include <string>
#include <string_view>

#include "core/preset_table.hpp"
#include "core/units.hpp"

namespace chase {

struct RegionPreset {
  std::string key;
  std::string name;
  int year = 0;
  CarbonIntensity gross;                  // what the local grid emits on average
  std::optional<CarbonIntensity> net;     // a datacenter's figure after 24/7 clean-energy purchases
  std::optional<double> cfe_fraction;     // 24/7 carbon-free-energy share, [0, 1]
  std::string trace;                      // bundled trace the average was computed from, if any
  std::string source;
};

using RegionTable = PresetTable<RegionPreset>;

RegionTable parse_region_table(std::string_view toml_text, const std::string& source);
// The bundled table, parsed once.
const RegionTable& bundled_regions();

}  // namespace chase
