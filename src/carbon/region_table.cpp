#include "carbon/region_table.hpp"

#include <cmath>

#include "core/embedded_data.hpp"
#include "core/toml_fields.hpp"

namespace chase {

RegionTable parse_region_table(std::string_view toml_text, const std::string& source) {
  std::vector<RegionPreset> rows;
  for_each_toml_table(toml_text, source, [&](std::string key, const toml::table& t, const std::string& where) {
    RegionPreset r;
    r.key = std::move(key);
    r.name = toml_string(t, "name", where);
    const double year = toml_number(t, "year", where);
    // Checked before the conversion: a double outside int's range does not convert (UB).
    if (!(year >= 0 && year <= 9999) || year != std::floor(year)) {
      throw InputError(fmt::format("{}: year {} is not a whole year from 0 to 9999", where, year));
    }
    r.year = static_cast<int>(year);
    r.gross = CarbonIntensity::g_per_kwh(toml_number(t, "g_per_kwh", where));
    if (auto net = toml_optional_number(t, "net_g_per_kwh", where)) r.net = CarbonIntensity::g_per_kwh(*net);
    r.cfe_fraction = toml_optional_number(t, "cfe", where);
    if (r.cfe_fraction && (*r.cfe_fraction < 0 || *r.cfe_fraction > 1)) {
      throw InputError(fmt::format("{}: cfe {} is outside [0, 1]", where, *r.cfe_fraction));
    }
    if (r.gross.g_per_kwh() < 0) throw InputError(fmt::format("{}: g_per_kwh must not be negative", where));
    r.trace = toml_string_or(t, "trace", "", where);
    r.source = toml_string(t, "source", where);
    rows.push_back(std::move(r));
  });
  return RegionTable("region", std::move(rows));
}

const RegionTable& bundled_regions() {
  static const RegionTable table =
      parse_region_table(require_embedded("presets/regions.toml"), "bundled:presets/regions.toml");
  return table;
}

}  // namespace chase
