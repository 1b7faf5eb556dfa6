#include "carbon/source_registry.hpp"

#include <fmt/format.h>

#include "carbon/live/live_source.hpp"
#include "carbon/region_catalog.hpp"
#include "carbon/static_source.hpp"
#include "carbon/trace_source.hpp"
#include "core/error.hpp"

namespace chase {

std::vector<std::string> intensity_source_names() {
  std::vector<std::string> names{"trace", "static"};
  for (const std::string& p : provider_names()) names.push_back(p);
  return names;
}

std::unique_ptr<IntensitySource> make_intensity_source(std::string_view name, const SourceSettings& settings) {
  if (name == "trace") return std::make_unique<TraceSource>(IntensityTrace::load(settings.trace));
  if (settings.provider.clock == nullptr) throw Error("make_intensity_source: settings need a clock");
  if (name == "static") {
    return std::make_unique<StaticSource>(resolve_region(settings.region, settings.year), *settings.provider.clock);
  }
  if (settings.cache == nullptr) throw Error("make_intensity_source: a live source needs a cache");
  std::unique_ptr<IntensityProvider> provider = make_provider(name, settings.provider);
  const std::string region = settings.region.empty() ? fallback_region_for(name, provider->zone()) : settings.region;
  std::optional<RegionPreset> fallback;
  if (!region.empty()) fallback = resolve_region(region, settings.year);
  return std::make_unique<LiveSource>(std::move(provider), *settings.cache, std::move(fallback), *settings.provider.clock,
                                      settings.refresh);
}

}  // namespace chase
