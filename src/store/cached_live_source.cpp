#include "store/cached_live_source.hpp"

#include <algorithm>

#include "carbon/http/curl_http_client.hpp"
#include "carbon/live/provider_settings.hpp"
#include "carbon/source_registry.hpp"
#include "core/error.hpp"
#include "store/sqlite_intensity_cache.hpp"

namespace chase {

std::filesystem::path default_intensity_cache_path(const EnvironmentLookup& environment) {
  const auto set = [&](const char* name) {
    auto value = environment(name);
    return value && !value->empty() ? value : std::nullopt;
  };
  if (const auto xdg = set("XDG_CACHE_HOME")) return *xdg + "/chase/intensity.sqlite";
  if (const auto home = set("HOME")) return *home + "/.cache/chase/intensity.sqlite";
  return "chase-intensity.sqlite";
}

CachedLiveSource open_cached_live_source(const CachedLiveSourceRequest& request, Clock& clock) {
  if (provider_registry().find(request.provider) == nullptr) {
    throw InputError(provider_registry().unknown(request.provider));
  }
  CachedLiveSource out;
  RetryPolicy policy;
  policy.timeout = request.timeout;
  policy.connect_timeout = Duration::seconds(std::min(request.timeout.seconds(), 5.0));
  out.http = std::make_unique<CurlHttpClient>(policy, clock);
  out.cache = std::make_unique<SqliteIntensityCache>(
      request.cache.empty() ? default_intensity_cache_path(request.environment) : request.cache);
  SourceSettings settings;
  settings.provider = {request.zone, request.key_file, request.base_url, out.http.get(), &clock, request.environment};
  settings.region = request.fallback_region;
  settings.year = request.fallback_year;
  settings.cache = out.cache.get();
  out.source = make_intensity_source(request.provider, settings);
  return out;
}

}  // namespace chase
