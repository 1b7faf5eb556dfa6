// Every live provider is registered here, one line each (the entry lives beside its provider).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "carbon/live/electricity_maps_provider.hpp"
#include "carbon/live/provider_settings.hpp"
#include "carbon/live/uk_carbon_intensity_provider.hpp"
#include "carbon/live/watttime_provider.hpp"
#include "carbon/region_table.hpp"
#include "core/error.hpp"

namespace chase {

Registry<ProviderEntry>& provider_registry() {
  static Registry<ProviderEntry> registry("provider", {electricity_maps_provider_entry(),  //
                                                       watttime_provider_entry(),
                                                       uk_carbon_intensity_provider_entry()});
  return registry;
}

std::vector<std::string> provider_names() { return provider_registry().names(); }

std::unique_ptr<IntensityProvider> make_provider(std::string_view name, const ProviderSettings& settings) {
  if (settings.http == nullptr || settings.clock == nullptr || !settings.environment) {
    throw Error("make_provider: settings need an HTTP client, a clock and an environment");
  }
  return provider_registry().get(name).make(settings);
}

std::string fallback_region_for(std::string_view provider, std::string_view zone) {
  const ProviderEntry& entry = provider_registry().get(provider);
  if (!entry.fallback_region.empty()) return entry.fallback_region;
  std::string key(zone);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& region : bundled_regions().all()) {
    if (region.key == key) return key;
  }
  return {};
}

}  // namespace chase
