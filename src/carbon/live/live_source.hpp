#pragma once
// A live provider behind the cache, with failover: a value is served from the cache while it
// is fresh; otherwise it is fetched (and cached). When the fetch fails, the last cached value
// stands in, then the region's static average; either way the reading says so (fallback =
// true, its source, and how stale it is), and last_failure() says why. After a failed fetch the
// fallback answers until the refresh period has passed, so that a provider that is down costs
// one timeout per refresh, not one per reading. Calls are serialised by
// a mutex, so a Monitor's sampler thread and a controller may share one source.

#include <memory>
#include <mutex>
#include <optional>

#include "carbon/intensity_source.hpp"
#include "carbon/live/intensity_cache.hpp"
#include "carbon/live/intensity_provider.hpp"
#include "carbon/region_table.hpp"
#include "core/clock.hpp"

namespace chase {

class LiveSource final : public IntensitySource {
 public:
  // `refresh`: how long a fetched value is served from the cache before asking again.
  LiveSource(std::unique_ptr<IntensityProvider> provider, IntensityCache& cache, std::optional<RegionPreset> fallback,
             const Clock& clock, Duration refresh = Duration::minutes(5));

  std::string name() const override;
  IntensityReading reading_at(UtcTime t) override;
  // From the cache when it covers [from, to) without a hole, else fetched (then cached); on a
  // failed fetch, what the cache has (marked fallback), else the error.
  std::vector<IntensityReading> history(UtcTime from, UtcTime to) override;
  UtcTime now() const override { return clock_.now(); }
  // The provider's forecast (cached under its own series); empty when it has none or fails.
  std::vector<ProviderPoint> provider_forecast();

  std::optional<std::string> last_failure() const;

 private:
  std::string series() const;
  IntensityReading fresh(const CachedIntensity& point, UtcTime t) const;
  IntensityReading fall_back(UtcTime t);
  std::vector<CachedIntensity> to_cached(const std::vector<ProviderPoint>& points) const;

  std::unique_ptr<IntensityProvider> provider_;
  IntensityCache& cache_;
  std::optional<RegionPreset> fallback_;
  const Clock& clock_;
  Duration refresh_;
  std::optional<std::string> last_failure_;
  std::optional<UtcTime> failed_at_;  // of the last fetch, while it is the latest one
  mutable std::mutex mutex_;
};

}  // namespace chase
