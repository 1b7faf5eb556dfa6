#pragma once
// JSON of the bundled presets (`chase presets --json`): models, processors, datacenters,
// regions and worked examples, each with its source.

#include <nlohmann/json.hpp>

#include <string_view>

namespace chase {

// Whether `kind` ("all", "models", "processors", "datacenters", "regions" or "examples") asks
// for the `listed` kind.
inline bool lists_kind(std::string_view kind, std::string_view listed) { return kind == "all" || kind == listed; }

// An object with one array per kind asked ("all": every kind; a kind: that one): models[{key,
// name, processor, datacenter, when, source}], processors[{key, name, kind, tdp_w,
// measured_avg_w}], datacenters[{key, name, pue}], regions[{key, name, year,
// intensity_g_per_kwh, net_intensity_g_per_kwh, cfe}], examples[{key, title}]; each with source.
nlohmann::json presets_json(std::string_view kind);

}  // namespace chase
