#include "store/run_schema.hpp"

namespace chase {

const std::vector<SchemaStep>& run_store_schema() {
  static const std::vector<SchemaStep> steps = {
      {1,
       {"CREATE TABLE runs ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " kind TEXT NOT NULL,"
        " command_json TEXT NOT NULL,"
        " started_ms INTEGER NOT NULL,"
        " heartbeat_ms INTEGER NOT NULL,"
        " ended_ms INTEGER,"
        " status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),"
        " exit_code INTEGER,"
        " host TEXT NOT NULL,"
        " user TEXT NOT NULL,"
        " chase_version TEXT NOT NULL,"
        " pid INTEGER NOT NULL,"
        " pid_start_ticks INTEGER NOT NULL,"
        " boot_id TEXT NOT NULL,"
        " intensity_source TEXT,"
        " time_s REAL,"
        " energy_j REAL,"
        " carbon_g REAL,"
        " note TEXT)",
        "CREATE INDEX runs_by_start ON runs (started_ms)",
        "CREATE TABLE run_context ("
        " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
        " name TEXT NOT NULL,"
        " value TEXT NOT NULL,"
        " PRIMARY KEY (run_id, name))",
        "CREATE TABLE run_devices ("
        " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
        " device_index INTEGER NOT NULL,"
        " device_id TEXT NOT NULL,"
        " name TEXT NOT NULL,"
        " uuid TEXT NOT NULL,"
        " backend TEXT NOT NULL,"
        " metering TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " estimated INTEGER NOT NULL,"
        " energy_j REAL,"
        " carbon_g REAL,"
        " PRIMARY KEY (run_id, device_index))",
        "CREATE TABLE power_samples ("
        " run_id INTEGER NOT NULL,"
        " device_index INTEGER NOT NULL,"
        " at_ms INTEGER NOT NULL,"
        " energy_j REAL NOT NULL,"
        " power_w REAL,"
        " FOREIGN KEY (run_id, device_index) REFERENCES run_devices (run_id, device_index) ON DELETE CASCADE)",
        "CREATE INDEX power_samples_by_run ON power_samples (run_id, device_index, at_ms)",
        "CREATE TABLE intensity_steps ("
        " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
        " from_ms INTEGER NOT NULL,"
        " until_ms INTEGER NOT NULL,"
        " intensity_g_per_kwh REAL NOT NULL,"
        " source TEXT NOT NULL,"
        " fallback INTEGER NOT NULL,"
        " age_s REAL,"
        " energy_j REAL,"
        " carbon_g REAL,"
        " PRIMARY KEY (run_id, from_ms))",
        "CREATE TABLE decisions ("
        " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
        " frame INTEGER NOT NULL,"
        " from_ms INTEGER NOT NULL,"
        " until_ms INTEGER NOT NULL,"
        " limit_w REAL NOT NULL,"
        " predicted_g_per_kwh REAL NOT NULL,"
        " actual_g_per_kwh REAL,"
        " source TEXT NOT NULL,"
        " fallback INTEGER NOT NULL,"
        " PRIMARY KEY (run_id, frame))"}},
      {2,
       {"CREATE TABLE profile_points ("
        " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
        " limit_w REAL NOT NULL,"
        " time_s REAL NOT NULL,"
        " energy_j REAL NOT NULL,"
        " PRIMARY KEY (run_id, limit_w))"}},
      {3, {"ALTER TABLE runs ADD COLUMN intensity_basis TEXT"}},
      // A data-parallel job's run holds every rank's devices; NULL: a single-process run.
      {4, {"ALTER TABLE run_devices ADD COLUMN rank INTEGER"}},
  };
  return steps;
}

}  // namespace chase
