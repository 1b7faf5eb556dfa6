// Every live provider is registered here, one line each (the entry lives beside its provider).

#include <fmt/format.h>


#include "carbon/live/electricity_maps_provider.hpp"
#include "carbon/live/provider_settings.hpp"
#include "carbon/live/uk_carbon_intensity_provider.hpp"
#include "carbon/live/watttime_provider.hpp"
#include "carbon/region_catalog.hpp"
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
  // An Electricity Maps zone's fallback is that zone's yearly average; a preset's key is its own.
  const RegionPlace* place = region_catalog().find_zone(zone);
  return place != nullptr ? place->key : std::string();
}

}  // namespace chase
