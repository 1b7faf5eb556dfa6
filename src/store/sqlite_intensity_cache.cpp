#include "store/sqlite_intensity_cache.hpp"

#include <fmt/format.h>

#include "carbon/intensity_bounds.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

CachedIntensity point_of(const SqliteStatement& row) {
  return CachedIntensity{UtcTime::from_epoch_ms(row.integer(0)), UtcTime::from_epoch_ms(row.integer(1)),
                         CarbonIntensity::g_per_kwh(row.real(2)), UtcTime::from_epoch_ms(row.integer(3))};
}

constexpr const char* kColumns = "from_ms, until_ms, intensity_g_per_kwh, fetched_ms";

// The rows a read may return: chase stores only plausible values (LiveSource checks every
// answer), so a row outside them was written by something else (a hand edit, a corrupt file):
// it is no data, never a value to price with. Same bounds as carbon/intensity_bounds.hpp.
const std::string kUsableRow = fmt::format(
    "typeof(intensity_g_per_kwh) IN ('real', 'integer') AND intensity_g_per_kwh BETWEEN 0 AND {} AND until_ms > from_ms",
    kMaxPlausibleIntensityGPerKwh);

}  // namespace

// Version 1: the intensity points; version 2 adds provider_hold_off (a provider's Retry-After).
static const std::vector<SchemaStep>& intensity_cache_schema() {
  static const std::vector<SchemaStep> steps = {
      {1,
       {"CREATE TABLE IF NOT EXISTS intensity_cache ("
        " series TEXT NOT NULL,"
        " from_ms INTEGER NOT NULL,"
        " until_ms INTEGER NOT NULL,"
        " intensity_g_per_kwh REAL NOT NULL,"
        " fetched_ms INTEGER NOT NULL,"
        " PRIMARY KEY (series, from_ms))"}},
      {2,
       {"CREATE TABLE IF NOT EXISTS provider_hold_off ("
        " provider TEXT PRIMARY KEY,"
        " until_ms INTEGER NOT NULL,"
        " reason TEXT NOT NULL)"}},
  };
  return steps;
}

SqliteIntensityCache::SqliteIntensityCache(const std::filesystem::path& path) : db_("intensity cache", path) {
  db_.migrate(intensity_cache_schema(), "use another --cache file");
}

void SqliteIntensityCache::store(const std::string& series, const std::vector<CachedIntensity>& points) {
  db_.transaction([&] {
    SqliteStatement insert(db_,
                     "INSERT OR REPLACE INTO intensity_cache (series, from_ms, until_ms, intensity_g_per_kwh, fetched_ms) "
                     "VALUES (?, ?, ?, ?, ?)");
    for (const CachedIntensity& p : points) {
      insert.bind(1, series)
          .bind(2, p.from.epoch_ms())
          .bind(3, p.until.epoch_ms())
          .bind(4, p.intensity.g_per_kwh())
          .bind(5, p.fetched_at.epoch_ms());
      insert.step();
      insert.reset();
    }
  });
}

std::optional<CachedIntensity> SqliteIntensityCache::holding(const std::string& series, UtcTime t) {
  SqliteStatement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms <= ? AND until_ms > ? AND {} "
                          "ORDER BY from_ms DESC LIMIT 1",
                          kColumns, kUsableRow));
  q.bind(1, series).bind(2, t.epoch_ms()).bind(3, t.epoch_ms());
  if (!q.step()) return std::nullopt;
  return point_of(q);
}

std::optional<CachedIntensity> SqliteIntensityCache::last_at_or_before(const std::string& series, UtcTime t) {
  SqliteStatement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms <= ? AND {} ORDER BY from_ms DESC "
                          "LIMIT 1",
                          kColumns, kUsableRow));
  q.bind(1, series).bind(2, t.epoch_ms());
  if (!q.step()) return std::nullopt;
  return point_of(q);
}

std::vector<CachedIntensity> SqliteIntensityCache::range(const std::string& series, UtcTime from, UtcTime to) {
  SqliteStatement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms >= ? AND from_ms < ? AND {} ORDER BY "
                          "from_ms",
                          kColumns, kUsableRow));
  q.bind(1, series).bind(2, from.epoch_ms()).bind(3, to.epoch_ms());
  std::vector<CachedIntensity> out;
  while (q.step()) out.push_back(point_of(q));
  return out;
}

void SqliteIntensityCache::hold_off(const std::string& provider, const ProviderHold& hold) {
  SqliteStatement upsert(db_,
                   "INSERT INTO provider_hold_off (provider, until_ms, reason) VALUES (?, ?, ?) "
                   "ON CONFLICT (provider) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason "
                   "WHERE excluded.until_ms > provider_hold_off.until_ms");
  upsert.bind(1, provider).bind(2, hold.until.epoch_ms()).bind(3, hold.reason).step();
}

std::optional<ProviderHold> SqliteIntensityCache::hold_at(const std::string& provider, UtcTime now) {
  SqliteStatement q(db_, "SELECT until_ms, reason FROM provider_hold_off WHERE provider = ? AND until_ms > ?");
  q.bind(1, provider).bind(2, now.epoch_ms());
  if (!q.step()) return std::nullopt;
  return ProviderHold{UtcTime::from_epoch_ms(q.integer(0)), q.text(1)};
}

}  // namespace chase
