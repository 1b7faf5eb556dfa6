// chase: measure, forecast and cut the carbon footprint of DNN training.
// Errors leave as one line on stderr: exit 2 for bad input (flags, files, values), 1 otherwise.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "core/error.hpp"

namespace chase::cli {

void print_json(const nlohmann::json& document) { std::cout << document.dump(2) << '\n'; }

namespace {

constexpr CommandRegistrar kCommands[] = {
    add_estimate_command,
    add_compare_command,
    add_presets_command,
    add_devices_command,
    add_measure_command,
    add_forecast_command,
    add_intensity_command,
    add_simulate_command,
    add_bench_command,
    add_plan_command,
    add_run_command,
    add_runs_command,
    add_report_command,
    add_exporter_command,
};

int fail(int code, const std::string& message) {
  std::cout.flush();
  std::cerr << "chase: error: " << message << '\n';
  return code;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"chase: measure, forecast and cut the carbon footprint of deep-learning training", "chase"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "chase 0.1.0");
  CommandStatus status;
  for (CommandRegistrar add : kCommands) add(app, status);
  refuse_empty_values(app);
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (argc > 1 && argv[1][0] != '-' && std::find(names.begin(), names.end(), argv[1]) == names.end()) {
    return fail(2, fmt::format("unknown command '{}' (commands: {})", argv[1], fmt::join(names, ", ")));
  }
  if (argc == 1) return fail(2, "a command is required (try `chase --help`)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return fail(2, e.what());
  } catch (const InputError& e) {
    return fail(2, e.what());
  } catch (const Error& e) {
    return fail(1, e.what());
  } catch (const std::exception& e) {
    return fail(1, fmt::format("internal error: {}", e.what()));
  }
  return status.exit_code;
}

}  // namespace chase::cli

int main(int argc, char** argv) { return chase::cli::run_cli(argc, argv); }
