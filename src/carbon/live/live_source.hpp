#pragma once
// A live provider behind the cache, with failover: a value is served from the cache while it
// is fresh; otherwise it is fetched (and cached). When the fetch fails, the last cached value
// stands in, then the region's static average; either way the reading says so (fallback =
// true, its source, and how stale it is), and last_failure() says why. After a failed fetch the
// fallback answers until the refresh period has passed, so that a provider that is down costs
// one timeout per refresh, not one per reading. Calls are serialised by a mutex, so a Monitor's
// sampler thread and a controller may share one source.
//
// Two ways live data can look fresh without being so are failures here, for every provider:
// - Stale or future-dated data. An answer whose newest value ended more than kStalePeriods of
//   the provider's period() before the time asked (or starts that far after now) is a failed
//   fetch ("uk-carbon-intensity: newest data ended 48.0 h ago (bound 2 h)"), and a cached value
//   that far from the time asked does not stand in either: the static average does.
// - A provider that named a time to come back (ProviderHoldOff: a Retry-After beyond what the
//   HTTP client waits) is asked nothing before that time: not by this source (every later
//   reading, history or forecast, e.g. the frames of `chase run`), nor by another process
//   sharing the cache, which keeps the time (IntensityCache::hold_off). Meanwhile the fallback
//   answers, with the provider's refusal as the reason.
//
// A provider's newest value is asked for at most once per refresh, however many readings of
// recent times come in meanwhile (a Monitor's every read, each frame of `chase run`, however
// short): the last answer, kept in memory, answers them as a fetch would have, also for times
// it does not hold (before it, or after it when the provider lags).
//
// A reading's `stale` is the age of its data: now minus the end of the interval the value
// covers, 0 while that interval is still current, on every path (live, cache).

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
  // How many of a provider's periods its newest value may lie from the time asked. Four: a
  // value one or two periods late is normal (UK Carbon Intensity's current half hour closes
  // after it is asked for, Electricity Maps fills in estimates an hour or two late), while four
  // missed publications in a row is an outage, not a lag. Bounds: 2 h for a half-hourly
  // provider, 4 h hourly, 20 min for WattTime's 5-minute MOER.
  static constexpr int kStalePeriods = 4;

  // `refresh`: how long a fetched value is served from the cache before asking again.
  LiveSource(std::unique_ptr<IntensityProvider> provider, IntensityCache& cache, std::optional<RegionPreset> fallback,
             const Clock& clock, Duration refresh = Duration::minutes(5));

  std::string name() const override;
  IntensityReading reading_at(UtcTime t) override;
  // From the cache when it covers [from, to) without a hole, else fetched (then cached); on a
  // failed fetch, what the cache has (marked fallback), else the error. When the newest step
  // ends more than the bound before min(to, now), the steps are still returned (they are true
  // values of their intervals) and last_failure() says how old they are.
  std::vector<IntensityReading> history(UtcTime from, UtcTime to) override;
  UtcTime now() const override { return clock_.now(); }
  // The provider's forecast (cached under its own series); empty when it has none or fails.
  std::vector<ProviderPoint> provider_forecast();

  // kStalePeriods × the provider's period.
  Duration stale_bound() const;
  // Why the last fetch failed (and, when a cached value was too old to stand in, why not).
  std::optional<std::string> last_failure() const;

 private:
  std::string series() const;
  IntensityReading fresh(const CachedIntensity& point, UtcTime t) const;
  IntensityReading fall_back(UtcTime t);
  std::vector<CachedIntensity> to_cached(const std::vector<ProviderPoint>& points) const;
  std::optional<std::string> out_of_bounds(UtcTime from, UtcTime until, UtcTime t, const char* what) const;
  std::optional<ProviderHold> hold_in_force(UtcTime now);
  // Runs one provider call unless a hold is in force (then throws its reason), and records the
  // hold a ProviderHoldOff names.
  template <class Fn>
  auto ask(Fn&& call);
  // Throws NetworkError (a failed fetch) for a value outside [0, kMaxPlausibleIntensityGPerKwh]
  // or an empty interval in a provider's answer.
  void check_answer(const ProviderPoint& point) const;
  void check_answer(const std::vector<ProviderPoint>& points) const;

  std::unique_ptr<IntensityProvider> provider_;
  IntensityCache& cache_;
  std::optional<RegionPreset> fallback_;
  const Clock& clock_;
  Duration refresh_;
  std::optional<std::string> last_failure_;
  std::optional<std::string> cache_note_;  // why the cached value did not stand in
  std::optional<UtcTime> failed_at_;       // of the last fetch, while it is the latest one
  std::optional<ProviderHold> hold_;       // the provider's latest Retry-After, as known here
  std::optional<CachedIntensity> latest_;  // the provider's latest() answer, and when it was fetched
  mutable std::mutex mutex_;
};

}  // namespace chase
