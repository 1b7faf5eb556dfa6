#include "store/sqlite_intensity_cache.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "carbon/intensity_bounds.hpp"
#include "core/error.hpp"

namespace chase {
namespace {

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql, const std::filesystem::path& path) : db_(db), path_(path) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) fail("prepare");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& bind(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
  }
  // True while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail("step");
    return false;
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  double real(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
  }
  CachedIntensity point() const {
    return CachedIntensity{UtcTime::from_epoch_ms(integer(0)), UtcTime::from_epoch_ms(integer(1)),
                           CarbonIntensity::g_per_kwh(real(2)), UtcTime::from_epoch_ms(integer(3))};
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw Error(fmt::format("intensity cache {}: {} failed: {}", path_.string(), what, sqlite3_errmsg(db_)));
  }
  sqlite3* db_;
  const std::filesystem::path& path_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kColumns = "from_ms, until_ms, intensity_g_per_kwh, fetched_ms";

// The rows a read may return: chase stores only plausible values (LiveSource checks every
// answer), so a row outside them was written by something else (a hand edit, a corrupt file):
// it is no data, never a value to price with. Same bounds as carbon/intensity_bounds.hpp.
const std::string kUsableRow = fmt::format(
    "typeof(intensity_g_per_kwh) IN ('real', 'integer') AND intensity_g_per_kwh BETWEEN 0 AND {} AND until_ms > from_ms",
    kMaxPlausibleIntensityGPerKwh);

}  // namespace

SqliteIntensityCache::SqliteIntensityCache(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(fmt::format("intensity cache {}: cannot open: {}", path.string(), reason));
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    execute("PRAGMA journal_mode=WAL");
    migrate();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

// Brings the file to kSchemaVersion, one step per version, in one transaction (two processes
// opening an old file at once: the second waits, then finds it migrated). Version 1: the
// intensity points; version 2 adds provider_hold_off (a provider's Retry-After).
void SqliteIntensityCache::migrate() {
  execute("BEGIN IMMEDIATE");
  try {
    execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    std::optional<std::int64_t> version;
    {
      Statement read(db_, "SELECT version FROM schema_version", path_);
      if (read.step()) version = read.integer(0);
    }
    if (version && *version > kSchemaVersion) {
      throw Error(fmt::format("intensity cache {}: schema version {} is newer than this chase understands ({}); "
                              "use another --cache file",
                              path_.string(), *version, kSchemaVersion));
    }
    if (!version || *version < 1) {
      execute(
          "CREATE TABLE IF NOT EXISTS intensity_cache ("
          " series TEXT NOT NULL,"
          " from_ms INTEGER NOT NULL,"
          " until_ms INTEGER NOT NULL,"
          " intensity_g_per_kwh REAL NOT NULL,"
          " fetched_ms INTEGER NOT NULL,"
          " PRIMARY KEY (series, from_ms))");
    }
    if (!version || *version < 2) {
      execute(
          "CREATE TABLE IF NOT EXISTS provider_hold_off ("
          " provider TEXT PRIMARY KEY,"
          " until_ms INTEGER NOT NULL,"
          " reason TEXT NOT NULL)");
    }
    if (!version) {
      Statement write(db_, "INSERT INTO schema_version (version) VALUES (?)", path_);
      write.bind(1, static_cast<std::int64_t>(kSchemaVersion)).step();
    } else if (*version < kSchemaVersion) {
      Statement write(db_, "UPDATE schema_version SET version = ?", path_);
      write.bind(1, static_cast<std::int64_t>(kSchemaVersion)).step();
    }
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

SqliteIntensityCache::~SqliteIntensityCache() { sqlite3_close(db_); }

void SqliteIntensityCache::execute(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw Error(fmt::format("intensity cache {}: {}", path_.string(), reason));
  }
}

int SqliteIntensityCache::schema_version() const {
  Statement read(db_, "SELECT version FROM schema_version", path_);
  return read.step() ? static_cast<int>(read.integer(0)) : 0;
}

std::string SqliteIntensityCache::journal_mode() const {
  Statement read(db_, "PRAGMA journal_mode", path_);
  return read.step() ? read.text(0) : "";
}

void SqliteIntensityCache::store(const std::string& series, const std::vector<CachedIntensity>& points) {
  execute("BEGIN IMMEDIATE");
  try {
    Statement insert(db_,
                     "INSERT OR REPLACE INTO intensity_cache (series, from_ms, until_ms, intensity_g_per_kwh, fetched_ms) "
                     "VALUES (?, ?, ?, ?, ?)",
                     path_);
    for (const CachedIntensity& p : points) {
      insert.bind(1, series)
          .bind(2, p.from.epoch_ms())
          .bind(3, p.until.epoch_ms())
          .bind(4, p.intensity.g_per_kwh())
          .bind(5, p.fetched_at.epoch_ms());
      insert.step();
      insert.reset();
    }
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<CachedIntensity> SqliteIntensityCache::holding(const std::string& series, UtcTime t) {
  Statement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms <= ? AND until_ms > ? AND {} "
                          "ORDER BY from_ms DESC LIMIT 1",
                          kColumns, kUsableRow)
                  .c_str(),
              path_);
  q.bind(1, series).bind(2, t.epoch_ms()).bind(3, t.epoch_ms());
  if (!q.step()) return std::nullopt;
  return q.point();
}

std::optional<CachedIntensity> SqliteIntensityCache::last_at_or_before(const std::string& series, UtcTime t) {
  Statement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms <= ? AND {} ORDER BY from_ms DESC "
                          "LIMIT 1",
                          kColumns, kUsableRow)
                  .c_str(),
              path_);
  q.bind(1, series).bind(2, t.epoch_ms());
  if (!q.step()) return std::nullopt;
  return q.point();
}

std::vector<CachedIntensity> SqliteIntensityCache::range(const std::string& series, UtcTime from, UtcTime to) {
  Statement q(db_,
              fmt::format("SELECT {} FROM intensity_cache WHERE series = ? AND from_ms >= ? AND from_ms < ? AND {} ORDER BY "
                          "from_ms",
                          kColumns, kUsableRow)
                  .c_str(),
              path_);
  q.bind(1, series).bind(2, from.epoch_ms()).bind(3, to.epoch_ms());
  std::vector<CachedIntensity> out;
  while (q.step()) out.push_back(q.point());
  return out;
}

void SqliteIntensityCache::hold_off(const std::string& provider, const ProviderHold& hold) {
  Statement upsert(db_,
                   "INSERT INTO provider_hold_off (provider, until_ms, reason) VALUES (?, ?, ?) "
                   "ON CONFLICT (provider) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason "
                   "WHERE excluded.until_ms > provider_hold_off.until_ms",
                   path_);
  upsert.bind(1, provider).bind(2, hold.until.epoch_ms()).bind(3, hold.reason).step();
}

std::optional<ProviderHold> SqliteIntensityCache::hold_at(const std::string& provider, UtcTime now) {
  Statement q(db_, "SELECT until_ms, reason FROM provider_hold_off WHERE provider = ? AND until_ms > ?", path_);
  q.bind(1, provider).bind(2, now.epoch_ms());
  if (!q.step()) return std::nullopt;
  return ProviderHold{UtcTime::from_epoch_ms(q.integer(0)), q.text(1)};
}

}  // namespace chase
