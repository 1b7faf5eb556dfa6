// The SQLite intensity cache: schema version (and the forward migration of an older file), WAL,
// lookups, a provider's hold-off, and that a restart (a new process opening the same file)
// answers from it without refetching, and does not ask a provider that asked to be left alone.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "carbon/live/live_source.hpp"
#include "carbon/region_table.hpp"
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

// A row chase would never have written (a hand edit: -7, 'nan' as text, 1e300) is no data: the
// reads skip it, so nothing prices with it.
TEST(SqliteIntensityCache, RowsOutsideThePlausibleRangeAreNotRead) {
  test::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  {
    SqliteIntensityCache cache(path);
    cache.store("uk:GB", {point("2024-05-01T10:00:00Z", 200), point("2024-05-01T11:00:00Z", 210),
                          point("2024-05-01T12:00:00Z", 220), point("2024-05-01T13:00:00Z", 230)});
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (const char* edit : {"UPDATE intensity_cache SET intensity_g_per_kwh = -7 WHERE intensity_g_per_kwh = 210",
                           "UPDATE intensity_cache SET intensity_g_per_kwh = 'nan' WHERE intensity_g_per_kwh = 220",
                           "UPDATE intensity_cache SET intensity_g_per_kwh = 1e300 WHERE intensity_g_per_kwh = 230"}) {
    ASSERT_EQ(sqlite3_exec(db, edit, nullptr, nullptr, nullptr), SQLITE_OK) << edit;
  }
  sqlite3_close(db);
  SqliteIntensityCache cache(path);
  EXPECT_FALSE(cache.holding("uk:GB", at("2024-05-01T11:30:00Z")).has_value());
  EXPECT_FALSE(cache.holding("uk:GB", at("2024-05-01T12:30:00Z")).has_value());
  EXPECT_DOUBLE_EQ(cache.last_at_or_before("uk:GB", at("2024-05-01T13:30:00Z"))->intensity.g_per_kwh(), 200);
  const auto rows = cache.range("uk:GB", at("2024-05-01T00:00:00Z"), at("2024-05-02T00:00:00Z"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].intensity.g_per_kwh(), 200);
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
    EXPECT_NE(std::string(e.what()).find("schema version 99 is newer than this chase understands (2)"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos);
  }
}

class CountingProvider final : public IntensityProvider {
 public:
  explicit CountingProvider(int* calls) : calls_(calls) {}
  std::string name() const override { return "counting"; }
  std::string zone() const override { return "DE"; }
  Duration period() const override { return Duration::hours(1); }
  ProviderPoint latest() override {
    ++*calls_;
    if (limited) {
      throw ProviderHoldOff("counting: HTTP 429 Too Many Requests from /latest (Retry-After: 3600; not asked again before "
                            "2024-05-01T13:10:00Z)",
                            at("2024-05-01T13:10:00Z"));
    }
    return {at("2024-05-01T12:00:00Z"), at("2024-05-01T13:00:00Z"), CarbonIntensity::g_per_kwh(321)};
  }
  bool limited = false;
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
  EXPECT_DOUBLE_EQ(r.stale->seconds(), 0);  // its hour (12:00-13:00) is still current
  EXPECT_EQ(calls, 1);
}

TEST(SqliteIntensityCache, AVersion1FileIsMigratedForwardKeepingItsValues) {
  test::TempDir dir;
  const auto path = dir.path() / "v1.sqlite";
  {
    // The file as chase wrote it before provider_hold_off existed.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                           "INSERT INTO schema_version (version) VALUES (1);"
                           "CREATE TABLE intensity_cache (series TEXT NOT NULL, from_ms INTEGER NOT NULL,"
                           " until_ms INTEGER NOT NULL, intensity_g_per_kwh REAL NOT NULL, fetched_ms INTEGER NOT NULL,"
                           " PRIMARY KEY (series, from_ms));"
                           "INSERT INTO intensity_cache VALUES ('em:DE', 1714557600000, 1714561200000, 300.5, 1714561200000);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  SqliteIntensityCache cache(path);
  EXPECT_EQ(cache.schema_version(), 2);
  const auto kept = cache.holding("em:DE", at("2024-05-01T10:30:00Z"));
  ASSERT_TRUE(kept.has_value());
  EXPECT_DOUBLE_EQ(kept->intensity.g_per_kwh(), 300.5);
  cache.hold_off("electricitymaps", {at("2024-05-01T13:00:00Z"), "electricitymaps: HTTP 429"});
  EXPECT_EQ(cache.hold_at("electricitymaps", at("2024-05-01T12:00:00Z"))->reason, "electricitymaps: HTTP 429");
  SqliteIntensityCache reopened(path);  // already at 2: opened as is
  EXPECT_EQ(reopened.schema_version(), 2);
  EXPECT_TRUE(reopened.hold_at("electricitymaps", at("2024-05-01T12:00:00Z")).has_value());
}

TEST(SqliteIntensityCache, AHoldOffLastsUntilItsTimeAndTheLaterOneIsKept) {
  test::TempDir dir;
  SqliteIntensityCache cache(dir.path() / "c.sqlite");
  EXPECT_FALSE(cache.hold_at("watttime", at("2024-05-01T12:00:00Z")).has_value());
  cache.hold_off("watttime", {at("2024-05-01T13:00:00Z"), "first"});
  cache.hold_off("watttime", {at("2024-05-01T12:30:00Z"), "earlier"});  // does not shorten it
  const auto hold = cache.hold_at("watttime", at("2024-05-01T12:59:59Z"));
  ASSERT_TRUE(hold.has_value());
  EXPECT_EQ(hold->until.iso8601(), "2024-05-01T13:00:00Z");
  EXPECT_EQ(hold->reason, "first");
  EXPECT_FALSE(cache.hold_at("watttime", at("2024-05-01T13:00:00Z")).has_value());
  EXPECT_FALSE(cache.hold_at("electricitymaps", at("2024-05-01T12:00:00Z")).has_value());
  cache.hold_off("watttime", {at("2024-05-01T14:00:00Z"), "second"});
  EXPECT_EQ(cache.hold_at("watttime", at("2024-05-01T13:30:00Z"))->reason, "second");
}

TEST(SqliteIntensityCache, ARetryAfterHoldsTheNextProcessToo) {
  test::TempDir dir;
  const auto path = dir.path() / "c.sqlite";
  ManualClock clock(at("2024-05-01T12:10:00Z"));
  int calls = 0;
  {
    SqliteIntensityCache cache(path);
    auto provider = std::make_unique<CountingProvider>(&calls);
    provider->limited = true;
    LiveSource live(std::move(provider), cache, bundled_regions().get("fr"), clock);
    EXPECT_EQ(live.reading_at(clock.now()).step.source, "static:fr");
  }
  EXPECT_EQ(calls, 1);
  clock.advance(Duration::minutes(30));
  SqliteIntensityCache reopened(path);
  LiveSource live(std::make_unique<CountingProvider>(&calls), reopened, bundled_regions().get("fr"), clock);
  const IntensityReading r = live.reading_at(clock.now());
  EXPECT_EQ(r.step.source, "static:fr");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(live.last_failure().value_or(""),
            "counting: HTTP 429 Too Many Requests from /latest (Retry-After: 3600; not asked again before "
            "2024-05-01T13:10:00Z)");
  clock.set(at("2024-05-01T13:10:00Z"));  // the time it named
  EXPECT_FALSE(live.reading_at(clock.now()).step.fallback);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace chase
