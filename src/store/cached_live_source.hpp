#pragma once
// A live provider's intensity source as a program opens it (`--provider` of the CLI, and the
// Python module to come): its own HTTP client with retries and timeouts, the SQLite cache on
// disk, and the static region that stands in when the provider fails and nothing is cached.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "carbon/http/http_client.hpp"
#include "carbon/intensity_source.hpp"
#include "carbon/live/api_key.hpp"
#include "carbon/live/intensity_cache.hpp"
#include "core/clock.hpp"

namespace chase {

struct CachedLiveSourceRequest {
  std::string provider;                           // a registered provider's name
  std::string zone;                               // its zone/region code; empty: its default
  std::optional<std::filesystem::path> key_file;  // else the provider's environment variable
  std::string base_url;                           // empty: the provider's public endpoint
  std::filesystem::path cache;                    // the SQLite file; empty: default_intensity_cache_path()
  std::string fallback_region;                    // a static region; empty: the zone's
  Duration timeout = Duration::seconds(10);       // of one HTTP request (connecting: at most 5 s of it)
  EnvironmentLookup environment = process_environment();  // the key variables, the cache's default place
  std::optional<int> fallback_year;               // the fallback region's year; none: its default
};

// The source and what it uses, kept alive together; `source` is declared last, so it goes first.
struct CachedLiveSource {
  std::unique_ptr<HttpClient> http;
  std::unique_ptr<IntensityCache> cache;
  std::unique_ptr<IntensitySource> source;
};

// $XDG_CACHE_HOME/chase/intensity.sqlite, else $HOME/.cache/chase/intensity.sqlite, else
// chase-intensity.sqlite in the working directory.
std::filesystem::path default_intensity_cache_path(const EnvironmentLookup& environment = process_environment());

// `clock` must outlive the result. Throws InputError naming the known providers for an unknown
// one (before anything is opened), Error when the cache cannot be opened, and what the
// provider's factory throws (an unreadable key file, say).
CachedLiveSource open_cached_live_source(const CachedLiveSourceRequest& request, Clock& clock);

}  // namespace chase
