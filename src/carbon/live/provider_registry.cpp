// Every live provider is registered here, one line each.

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
namespace {

struct Entry {
  const char* name;
  std::unique_ptr<IntensityProvider> (*make)(const ProviderSettings&);
};

constexpr Entry kProviders[] = {
    {"electricitymaps", make_electricity_maps_provider},
    {"watttime", make_watttime_provider},
    {"uk-carbon-intensity", make_uk_carbon_intensity_provider},
};

}  // namespace

std::vector<std::string> provider_names() {
  std::vector<std::string> names;
  for (const Entry& e : kProviders) names.emplace_back(e.name);
  return names;
}

std::unique_ptr<IntensityProvider> make_provider(std::string_view name, const ProviderSettings& settings) {
  if (settings.http == nullptr || settings.clock == nullptr || !settings.environment) {
    throw Error("make_provider: settings need an HTTP client, a clock and an environment");
  }
  for (const Entry& e : kProviders) {
    if (name == e.name) return e.make(settings);
  }
  throw InputError(fmt::format("unknown provider '{}' (known: {})", name, fmt::join(provider_names(), ", ")));
}

std::string fallback_region_for(std::string_view provider, std::string_view zone) {
  if (provider == "uk-carbon-intensity") return "gb";
  std::string key(zone);
  std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& region : bundled_regions().all()) {
    if (region.key == key) return key;
  }
  return {};
}

}  // namespace chase
