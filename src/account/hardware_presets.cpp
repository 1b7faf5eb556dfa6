#include "account/hardware_presets.hpp"

#include "core/embedded_data.hpp"
#include "core/toml_fields.hpp"

namespace chase {

ProcessorTable parse_processor_table(std::string_view toml_text, const std::string& source) {
  std::vector<ProcessorPreset> rows;
  for_each_toml_table(toml_text, source, [&](std::string key, const toml::table& t, const std::string& where) {
    ProcessorPreset p;
    p.key = std::move(key);
    p.name = toml_string(t, "name", where);
    p.kind = toml_string(t, "kind", where);
    p.tdp = Power::watts(toml_number(t, "tdp_w", where));
    if (auto avg = toml_optional_number(t, "measured_avg_w", where)) p.measured_avg = Power::watts(*avg);
    p.source = toml_string(t, "source", where);
    if (p.tdp.watts() <= 0) throw InputError(fmt::format("{}: tdp_w must be positive", where));
    rows.push_back(std::move(p));
  });
  return ProcessorTable("processor", std::move(rows));
}

DatacenterTable parse_datacenter_table(std::string_view toml_text, const std::string& source) {
  std::vector<DatacenterPreset> rows;
  for_each_toml_table(toml_text, source, [&](std::string key, const toml::table& t, const std::string& where) {
    DatacenterPreset d;
    d.key = std::move(key);
    d.name = toml_string(t, "name", where);
    d.pue = toml_number(t, "pue", where);
    d.source = toml_string(t, "source", where);
    if (d.pue < 1.0) throw InputError(fmt::format("{}: pue {} is below 1.0", where, d.pue));
    rows.push_back(std::move(d));
  });
  return DatacenterTable("datacenter", std::move(rows));
}

const ProcessorTable& bundled_processors() {
  static const ProcessorTable table =
      parse_processor_table(require_embedded("presets/processors.toml"), "bundled:presets/processors.toml");
  return table;
}

const DatacenterTable& bundled_datacenters() {
  static const DatacenterTable table =
      parse_datacenter_table(require_embedded("presets/datacenters.toml"), "bundled:presets/datacenters.toml");
  return table;
}

}  // namespace chase
