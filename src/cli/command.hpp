#pragma once
// The contract between main() and the subcommands. Each command lives in its own file and
// exposes one add_*_command function; main.cpp lists them (one line per command).

#include <CLI/CLI.hpp>
#include <nlohmann/json_fwd.hpp>

namespace chase::cli {

// What a command hands back to main(): the process exit status (e.g. a measured child's).
struct CommandStatus {
  int exit_code = 0;
};

using CommandRegistrar = void (*)(CLI::App& root, CommandStatus& status);

void add_estimate_command(CLI::App& root, CommandStatus& status);
void add_compare_command(CLI::App& root, CommandStatus& status);
void add_presets_command(CLI::App& root, CommandStatus& status);
void add_devices_command(CLI::App& root, CommandStatus& status);
void add_measure_command(CLI::App& root, CommandStatus& status);
void add_forecast_command(CLI::App& root, CommandStatus& status);
void add_intensity_command(CLI::App& root, CommandStatus& status);
void add_simulate_command(CLI::App& root, CommandStatus& status);
void add_bench_command(CLI::App& root, CommandStatus& status);
void add_plan_command(CLI::App& root, CommandStatus& status);
void add_run_command(CLI::App& root, CommandStatus& status);
void add_runs_command(CLI::App& root, CommandStatus& status);
void add_report_command(CLI::App& root, CommandStatus& status);
void add_exporter_command(CLI::App& root, CommandStatus& status);

// Pretty-printed JSON on stdout, one document per command run.
void print_json(const nlohmann::json& document);

// What every command prints: with --json the document `make_json` returns (from export/),
// else what `print_tables` prints for people.
template <class MakeJson, class PrintTables>
void print_result(bool json, MakeJson&& make_json, PrintTables&& print_tables) {
  if (json) {
    print_json(make_json());
  } else {
    print_tables();
  }
}

}  // namespace chase::cli
