// The SQLite intensity cache: schema version, WAL, lookups, and that a restart (a new process
// opening the same file) answers from it without refetching.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "carbon/live/live_source.hpp"
#include "core/error.hpp"
#include "store/sqlite_intensity_cache.hpp"
#include "support/temp_dir.hpp"

namespace chase {
namespace {

UtcTime at(const char* iso) { return *UtcTime::parse_iso8601(iso); }

CachedIntensity point(const char* from, double g, const char* fetched = "2024-05-01T12:00:00Z") {
  const UtcTime t = at(from);
  return {t, t + Duration::hours(1), CarbonIntensity::g_per_kwh(g), at(fetched)};
}

TEST(SqliteIntensityCache, CreatesAVersionedWalFile) {
  test::TempDir dir;
  const auto path = dir.path() / "sub" / "cache.sqlite";
  SqliteIntensityCache cache(path);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(cache.schema_version(), SqliteIntensityCache::kSchemaVersion);
  EXPECT_EQ(cache.journal_mode(), "wal");
}

TEST(SqliteIntensityCache, LooksUpByIntervalAndReplacesByStart) {
  test::TempDir dir;
  SqliteIntensityCache cache(dir.path() / "c.sqlite");
  cache.store("em:DE", {point("2024-05-01T10:00:00Z", 300), point("2024-05-01T11:00:00Z", 310)});
  cache.store("em:FR", {point("2024-05-01T11:00:00Z", 50)});
  EXPECT_DOUBLE_EQ(cache.holding("em:DE", at("2024-05-01T11:59:59Z"))->intensity.g_per_kwh(), 310);
  EXPECT_FALSE(cache.holding("em:DE", at("2024-05-01T12:00:00Z")).has_value());
  EXPECT_DOUBLE_EQ(cache.last_at_or_before("em:DE", at("2024-05-02T00:00:00Z"))->intensity.g_per_kwh(), 310);
  EXPECT_FALSE(cache.last_at_or_before("em:DE", at("2024-05-01T09:00:00Z")).has_value());
  cache.store("em:DE", {point("2024-05-01T11:00:00Z", 305, "2024-05-01T12:30:00Z")});
  const auto rows = cache.range("em:DE", at("2024-05-01T00:00:00Z"), at("2024-05-02T00:00:00Z"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_DOUBLE_EQ(rows[1].intensity.g_per_kwh(), 305);
  EXPECT_EQ(rows[1].fetched_at.iso8601(), "2024-05-01T12:30:00Z");
  EXPECT_EQ(cache.range("em:FR", at("2024-05-01T00:00:00Z"), at("2024-05-02T00:00:00Z")).size(), 1u);
}

TEST(SqliteIntensityCache, RefusesAFileFromANewerSchema) {
  test::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  { SqliteIntensityCache cache(path); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE schema_version SET version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  try {
    SqliteIntensityCache again(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99 is newer than this chase understands (1)"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
  }
}

class CountingProvider final : public IntensityProvider {
 public:
  explicit CountingProvider(int* calls) : calls_(calls) {}
  std::string name() const override { return "counting"; }
  std::string zone() const override { return "DE"; }
  ProviderPoint latest() override {
    ++*calls_;
    return {at("2024-05-01T12:00:00Z"), at("2024-05-01T13:00:00Z"), CarbonIntensity::g_per_kwh(321)};
  }
  std::vector<ProviderPoint> history(UtcTime, UtcTime) override { return {}; }
  std::vector<ProviderPoint> forecast() override { return {}; }

 private:
  int* calls_;
};

TEST(SqliteIntensityCache, ARestartDoesNotRefetch) {
  test::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  ManualClock clock(at("2024-05-01T12:10:00Z"));
  int calls = 0;
  {
    SqliteIntensityCache cache(path);
    LiveSource live(std::make_unique<CountingProvider>(&calls), cache, std::nullopt, clock);
    EXPECT_DOUBLE_EQ(live.reading_at(clock.now()).step.intensity.g_per_kwh(), 321);
  }
  clock.advance(Duration::minutes(2));
  SqliteIntensityCache reopened(path);
  LiveSource live(std::make_unique<CountingProvider>(&calls), reopened, std::nullopt, clock);
  const IntensityReading r = live.reading_at(clock.now());
  EXPECT_DOUBLE_EQ(r.step.intensity.g_per_kwh(), 321);
  EXPECT_DOUBLE_EQ(r.stale->seconds(), 120);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace chase
