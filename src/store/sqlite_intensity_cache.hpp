#pragma once
// The intensity cache on disk (SQLite, WAL), so that a restart does not refetch what a live
// provider already answered, a failed fetch can fall back to the last value, and a provider's
// Retry-After holds for every process sharing the file. The file carries a schema version; an
// older file is migrated forward on open, a file written by a newer chase is refused rather
// than misread.

#include <filesystem>

#include "carbon/live/intensity_cache.hpp"
#include "store/sqlite_database.hpp"

namespace chase {

class SqliteIntensityCache final : public IntensityCache {
 public:
  // 1: intensity_cache (series, from_ms, until_ms, intensity_g_per_kwh, fetched_ms).
  // 2: + provider_hold_off (provider, until_ms, reason).
  static constexpr int kSchemaVersion = 2;

  // Opens or creates the file (and its folder). Throws Error naming the path on failure.
  explicit SqliteIntensityCache(const std::filesystem::path& path);

  void store(const std::string& series, const std::vector<CachedIntensity>& points) override;
  std::optional<CachedIntensity> holding(const std::string& series, UtcTime t) override;
  std::optional<CachedIntensity> last_at_or_before(const std::string& series, UtcTime t) override;
  std::vector<CachedIntensity> range(const std::string& series, UtcTime from, UtcTime to) override;
  void hold_off(const std::string& provider, const ProviderHold& hold) override;
  std::optional<ProviderHold> hold_at(const std::string& provider, UtcTime now) override;

  int schema_version() const { return db_.schema_version(); }
  std::string journal_mode() const { return db_.journal_mode(); }
  const std::filesystem::path& path() const { return db_.path(); }

 private:
  SqliteDatabase db_;
};

}  // namespace chase
