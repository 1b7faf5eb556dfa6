#include "store/sqlite_database.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/error.hpp"

namespace chase {

SqliteStatement::SqliteStatement(const SqliteDatabase& db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) fail("prepare");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::bind(int index, const std::string& text) {
  sqlite3_bind_text(stmt_, index, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<double>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

SqliteStatement& SqliteStatement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

SqliteStatement& SqliteStatement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) fail("step");
  return false;
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
std::int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }
double SqliteStatement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string SqliteStatement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p));
}

std::optional<double> SqliteStatement::optional_real(int column) const {
  return is_null(column) ? std::nullopt : std::optional<double>(real(column));
}

std::optional<std::int64_t> SqliteStatement::optional_integer(int column) const {
  return is_null(column) ? std::nullopt : std::optional<std::int64_t>(integer(column));
}

std::optional<std::string> SqliteStatement::optional_text(int column) const {
  return is_null(column) ? std::nullopt : std::optional<std::string>(text(column));
}

void SqliteStatement::fail(const char* what) const {
  throw Error(db_.describe(fmt::format("{} failed: {}", what, db_.last_error())));
}

SqliteDatabase::SqliteDatabase(std::string label, const std::filesystem::path& path)
    : label_(std::move(label)), path_(path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string reason = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(describe(fmt::format("cannot open: {}", reason)));
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    execute("PRAGMA foreign_keys=ON");
    execute("PRAGMA journal_mode=WAL");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db_); }

std::string SqliteDatabase::describe(const std::string& what) const {
  return fmt::format("{} {}: {}", label_, path_.string(), what);
}

std::string SqliteDatabase::last_error() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "not open"; }

void SqliteDatabase::execute(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string reason = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw Error(describe(reason));
  }
}

void SqliteDatabase::transaction(const std::function<void()>& body) const {
  execute("BEGIN IMMEDIATE");
  try {
    body();
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void SqliteDatabase::migrate(const std::vector<SchemaStep>& steps, const std::string& newer_hint) const {
  const int latest = steps.empty() ? 0 : steps.back().to;
  transaction([&] {
    execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    std::optional<std::int64_t> version;
    {
      SqliteStatement read(*this, "SELECT version FROM schema_version");
      if (read.step()) version = read.integer(0);
    }
    if (version && *version > latest) {
      throw Error(describe(fmt::format("schema version {} is newer than this chase understands ({}); {}", *version,
                                       latest, newer_hint)));
    }
    const std::int64_t from = version.value_or(0);
    for (const SchemaStep& step : steps) {
      if (step.to <= from) continue;
      for (const std::string& sql : step.statements) execute(sql);
    }
    if (!version) {
      SqliteStatement write(*this, "INSERT INTO schema_version (version) VALUES (?)");
      write.bind(1, static_cast<std::int64_t>(latest)).run();
    } else if (*version < latest) {
      SqliteStatement write(*this, "UPDATE schema_version SET version = ?");
      write.bind(1, static_cast<std::int64_t>(latest)).run();
    }
  });
}

int SqliteDatabase::schema_version() const {
  SqliteStatement read(*this, "SELECT version FROM schema_version");
  return read.step() ? static_cast<int>(read.integer(0)) : 0;
}

std::int64_t SqliteDatabase::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

int SqliteDatabase::changes() const { return sqlite3_changes(db_); }

std::string SqliteDatabase::journal_mode() const {
  SqliteStatement read(*this, "PRAGMA journal_mode");
  return read.step() ? read.text(0) : "";
}

}  // namespace chase
