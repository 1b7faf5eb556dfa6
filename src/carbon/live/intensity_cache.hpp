#pragma once
// Where live answers are kept so that a restart does not refetch and a failed fetch can fall
// back to the last value, and where a provider's "come back later" (Retry-After) is kept, so
// that no process asks it again before the time it named. The interface lives here; the SQLite implementation is in the store
// layer (store/sqlite_intensity_cache.hpp), which depends on carbon, not the other way round.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct CachedIntensity {
  UtcTime from;
  UtcTime until;
  CarbonIntensity intensity;
  UtcTime fetched_at;
};

// A provider's request to be left alone until `until` (its Retry-After), and the failure that
// carried it (shown as the fallback reason by every process that honours it).
struct ProviderHold {
  UtcTime until;
  std::string reason;
};

class IntensityCache {
 public:
  virtual ~IntensityCache() = default;
  // Inserts or replaces points of one series (e.g. "electricitymaps:DE") by their start time.
  virtual void store(const std::string& series, const std::vector<CachedIntensity>& points) = 0;
  // The point whose interval holds t.
  virtual std::optional<CachedIntensity> holding(const std::string& series, UtcTime t) = 0;
  // The latest point starting at or before t (the last known value).
  virtual std::optional<CachedIntensity> last_at_or_before(const std::string& series, UtcTime t) = 0;
  // Points starting in [from, to), in time order.
  virtual std::vector<CachedIntensity> range(const std::string& series, UtcTime from, UtcTime to) = 0;
  // Records that `provider` (a provider's name, e.g. "uk-carbon-intensity", not a series: a rate
  // limit is the account's, whatever the zone) must not be asked before hold.until. A record
  // with a later time is kept.
  virtual void hold_off(const std::string& provider, const ProviderHold& hold) = 0;
  // The provider's hold still in force at `now` (until > now), if any.
  virtual std::optional<ProviderHold> hold_at(const std::string& provider, UtcTime now) = 0;
};

// A cache that lives as long as the process (tests, and runs with no cache file).
class MemoryIntensityCache final : public IntensityCache {
 public:
  void store(const std::string& series, const std::vector<CachedIntensity>& points) override;
  std::optional<CachedIntensity> holding(const std::string& series, UtcTime t) override;
  std::optional<CachedIntensity> last_at_or_before(const std::string& series, UtcTime t) override;
  std::vector<CachedIntensity> range(const std::string& series, UtcTime from, UtcTime to) override;
  void hold_off(const std::string& provider, const ProviderHold& hold) override;
  std::optional<ProviderHold> hold_at(const std::string& provider, UtcTime now) override;

 private:
  struct Row {
    std::string series;
    CachedIntensity point;
  };
  std::vector<Row> rows_;
  std::map<std::string, ProviderHold> holds_;
};

}  // namespace chase
