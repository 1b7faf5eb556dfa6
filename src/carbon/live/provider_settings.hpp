#pragma once
// What a live provider is built from, and the registry that builds one by name. Adding a
// provider is one file with its make_* function and its entry, plus one line in
// provider_registry.cpp (CONTRIBUTING.md).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/http/http_client.hpp"
#include "carbon/live/api_key.hpp"
#include "carbon/live/intensity_provider.hpp"
#include "core/clock.hpp"
#include "core/registry.hpp"

namespace chase {

struct ProviderSettings {
  std::string zone;                                // the provider's zone/region code; empty: its default
  std::optional<std::filesystem::path> key_file;   // else the provider's environment variable
  std::string base_url;                            // empty: the provider's public endpoint (tests: 127.0.0.1)
  HttpClient* http = nullptr;
  const Clock* clock = nullptr;
  EnvironmentLookup environment;
};

// One registered provider: what it is, how it is reached, and its factory.
struct ProviderEntry {
  std::string name;
  std::string description;    // one line: whose API, what signal, where, what credentials
  std::string key_variables;  // the environment variables of its credentials ("" = no key)
  std::string zone_examples;  // zones to show in help ("DE, FR")
  std::string default_zone;   // the zone used when none is given
  // The static-table region that stands in when the provider fails and nothing is cached;
  // "" = the region whose key is the zone, if there is one.
  std::string fallback_region;
  std::unique_ptr<IntensityProvider> (*make)(const ProviderSettings&) = nullptr;
};

// The registry of live providers (provider_registry.cpp: the built-in ones, one line each).
Registry<ProviderEntry>& provider_registry();

// Throws InputError naming the known providers for an unknown name.
std::unique_ptr<IntensityProvider> make_provider(std::string_view name, const ProviderSettings& settings);
std::vector<std::string> provider_names();
// The static-table region that stands in for a provider's zone when all else fails ("" if none).
std::string fallback_region_for(std::string_view provider, std::string_view zone);

}  // namespace chase
