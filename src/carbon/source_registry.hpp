#pragma once
// Builds an IntensitySource by name: "trace", "static", or a live provider (see
// live/provider_registry.cpp), which comes wrapped in LiveSource (cache + fallbacks).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_source.hpp"
#include "carbon/live/intensity_cache.hpp"
#include "carbon/live/provider_settings.hpp"

namespace chase {

struct SourceSettings {
  std::string trace;            // "trace": a file or a bundled trace name
  std::string region;           // "static": a region (carbon/region_catalog.hpp); live: the fallback region ("" = by zone)
  std::optional<int> year;      // the region's year; none: its default
  ProviderSettings provider;    // live providers (its clock also serves "static")
  IntensityCache* cache = nullptr;
  Duration refresh = Duration::minutes(5);
};

std::unique_ptr<IntensitySource> make_intensity_source(std::string_view name, const SourceSettings& settings);
// "trace", "static", then the live providers.
std::vector<std::string> intensity_source_names();

}  // namespace chase
