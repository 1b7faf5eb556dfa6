#pragma once
// The few things every SQLite file of chase needs (the intensity cache, the run store): open it
// with WAL, a busy timeout and foreign keys on; prepared statements that finalize themselves;
// transactions that roll back on an exception; and a schema version brought forward one step
// at a time. Every error names the file and what failed, e.g.
// "run store /home/a/.local/share/chase/runs.db: step failed: database is locked".

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace chase {

class SqliteDatabase;

// One prepared statement; bind() by 1-based index, step() while rows come.
class SqliteStatement {
 public:
  SqliteStatement(const SqliteDatabase& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int index, const std::string& text);
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, const std::optional<double>& value);  // nullopt: NULL
  SqliteStatement& bind(int index, const std::optional<std::int64_t>& value);
  SqliteStatement& bind(int index, const std::optional<std::string>& value);
  SqliteStatement& bind_null(int index);

  // True while a row is available; false once the statement is done. Throws Error otherwise.
  bool step();
  // Runs a statement that returns no rows.
  void run() { step(); }
  void reset();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<double> optional_real(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  [[noreturn]] void fail(const char* what) const;
  const SqliteDatabase& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// One schema step: brings the file from version `to - 1` to `to`.
struct SchemaStep {
  int to;
  std::vector<std::string> statements;
};

class SqliteDatabase {
 public:
  // Creates the parent directory and the file when missing. `label` starts every error
  // ("run store", "intensity cache"). Throws Error when the file cannot be opened.
  SqliteDatabase(std::string label, const std::filesystem::path& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  void execute(const std::string& sql) const;
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows on an exception.
  void transaction(const std::function<void()>& body) const;

  // Brings the file to the last step's version in one transaction (two processes opening an old
  // file at once: the second waits, then finds it migrated). The version lives in a one-row
  // table `schema_version`. Throws Error for a file newer than the last step.
  void migrate(const std::vector<SchemaStep>& steps, const std::string& newer_hint) const;
  int schema_version() const;  // 0 for a file without one
  std::int64_t last_insert_id() const;  // rowid of the last INSERT on this connection
  int changes() const;                  // rows changed by the last statement
  std::string journal_mode() const;

  // "<label> <path>: <what>": the prefix of every error about this file.
  std::string describe(const std::string& what) const;
  std::string last_error() const;

 private:
  std::string label_;
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace chase
