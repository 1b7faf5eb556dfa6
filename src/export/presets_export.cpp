#include "export/presets_export.hpp"

#include "account/hardware_presets.hpp"
#include "account/model_presets.hpp"
#include "account/what_if.hpp"
#include "carbon/region_catalog.hpp"
#include "export/json_optional.hpp"

namespace chase {

nlohmann::json presets_json(std::string_view kind) {
  nlohmann::json j = nlohmann::json::object();
  if (lists_kind(kind, "models")) {
    for (const auto& m : bundled_models().all()) {
      j["models"].push_back({{"key", m.key}, {"name", m.name}, {"processor", m.processor},
                             {"datacenter", m.datacenter}, {"when", m.when}, {"source", m.source}});
    }
  }
  if (lists_kind(kind, "processors")) {
    for (const auto& p : bundled_processors().all()) {
      nlohmann::json speedups = nlohmann::json::array();
      for (const auto& sp : p.speedups) speedups.push_back({{"over", sp.over}, {"factor", sp.factor}, {"source", sp.source}});
      j["processors"].push_back({{"key", p.key}, {"name", p.name}, {"kind", p.kind}, {"tdp_w", p.tdp.watts()},
                                 {"measured_avg_w", or_null(p.measured_avg, [](const Power& w) { return w.watts(); })},
                                 {"source", p.source}, {"speedups", speedups}});
    }
  }
  if (lists_kind(kind, "datacenters")) {
    for (const auto& d : bundled_datacenters().all()) {
      j["datacenters"].push_back({{"key", d.key}, {"name", d.name}, {"pue", d.pue}, {"source", d.source}});
    }
  }
  if (lists_kind(kind, "regions")) {
    // One entry per place, with its default figure (the one `--region KEY` gives).
    for (const RegionPlace& place : region_catalog().places()) {
      const RegionPreset& r = place.preferred();
      j["regions"].push_back({{"key", place.key},
                              {"name", r.name},
                              {"year", r.year != 0 ? nlohmann::json(r.year) : nlohmann::json()},  // 0: not given
                              {"years", place.years()},
                              {"zone", name_or_null(place.zone)},
                              {"alpha_2", name_or_null(place.alpha_2)},
                              {"alpha_3", name_or_null(place.alpha_3)},
                              {"intensity_g_per_kwh", r.gross.g_per_kwh()},
                              {"net_intensity_g_per_kwh", or_null(r.net, [](const CarbonIntensity& ci) { return ci.g_per_kwh(); })},
                              {"cfe", or_null(r.cfe_fraction)},
                              {"renewable_share", or_null(r.renewable_fraction)},
                              {"basis", describe_region(r)},
                              {"source", r.source}});
    }
  }
  if (lists_kind(kind, "examples")) {
    for (const auto& e : bundled_examples().all()) {
      j["examples"].push_back({{"key", e.key}, {"title", e.title}, {"source", e.source}});
    }
  }
  return j;
}

}  // namespace chase
