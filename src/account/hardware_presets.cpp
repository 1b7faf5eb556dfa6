#include "account/hardware_presets.hpp"

#include <algorithm>

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
    if (const toml::node* node = t.get("speedups")) {
      const toml::array* list = node->as_array();
      if (list == nullptr) throw InputError(fmt::format("{}: speedups must be an array of tables", where));
      for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string item_where = fmt::format("{} speedups #{}", where, i + 1);
        const toml::table* item = (*list)[i].as_table();
        if (item == nullptr) throw InputError(item_where + ": expected a table");
        ProcessorSpeedup sp{toml_string(*item, "over", item_where), toml_number(*item, "factor", item_where),
                            toml_string(*item, "source", item_where)};
        if (!(sp.factor > 0)) throw InputError(fmt::format("{}: factor {} must be positive", item_where, sp.factor));
        p.speedups.push_back(std::move(sp));
      }
    }
    rows.push_back(std::move(p));
  });
  for (const ProcessorPreset& p : rows) {
    for (const ProcessorSpeedup& sp : p.speedups) {
      const bool known = std::any_of(rows.begin(), rows.end(), [&](const ProcessorPreset& o) { return o.key == sp.over; });
      if (!known || sp.over == p.key) {
        throw InputError(fmt::format("{}: [{}] speedups: over = '{}' names no other processor", source, p.key, sp.over));
      }
    }
  }
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
