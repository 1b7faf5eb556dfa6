#pragma once
// The intensity cache on disk (SQLite, WAL), so that a restart does not refetch what a live
// provider already answered, and a failed fetch can fall back to the last value. The file
// carries a schema version; a file written by a newer chase is refused rather than misread.

#include <filesystem>
#include <memory>

#include "carbon/live/intensity_cache.hpp"

struct sqlite3;

namespace chase {

class SqliteIntensityCache final : public IntensityCache {
 public:
  static constexpr int kSchemaVersion = 1;

  // Opens or creates the file (and its folder). Throws Error naming the path on failure.
  explicit SqliteIntensityCache(const std::filesystem::path& path);
  ~SqliteIntensityCache() override;
  SqliteIntensityCache(const SqliteIntensityCache&) = delete;
  SqliteIntensityCache& operator=(const SqliteIntensityCache&) = delete;

  void store(const std::string& series, const std::vector<CachedIntensity>& points) override;
  std::optional<CachedIntensity> holding(const std::string& series, UtcTime t) override;
  std::optional<CachedIntensity> last_at_or_before(const std::string& series, UtcTime t) override;
  std::vector<CachedIntensity> range(const std::string& series, UtcTime from, UtcTime to) override;

  int schema_version() const;
  std::string journal_mode() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  void execute(const char* sql) const;

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace chase
