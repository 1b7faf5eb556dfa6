// chase: measure, forecast and cut the carbon footprint of DNN training.
// Errors leave as one line on stderr: exit 2 for bad input (flags, files, values), 1 otherwise.

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "core/close_matches.hpp"
#include "core/error.hpp"
#include "runs/run_identity.hpp"

namespace chase::cli {

// Text that is not UTF-8 (a command's argument may be any bytes) is written with U+FFFD in place
// of each bad byte: JSON cannot hold it, and a report must not fail over it.
void print_json(const nlohmann::json& document) {
  std::cout << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

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

// The arguments a command did not expect, said as a person would: the first unknown flag and
// the command's flags closest to it ("did you mean"), instead of CLI11's list of leftovers.
std::optional<std::string> unknown_flag_message(CLI::App& app) {
  for (CLI::App* command : app.get_subcommands()) {
    CLI::App* deepest = command;
    while (!deepest->get_subcommands().empty()) deepest = deepest->get_subcommands().front();
    for (const std::string& extra : deepest->remaining()) {
      if (extra.size() < 2 || extra[0] != '-' || extra == "--") continue;
      const std::string flag = extra.substr(0, extra.find('='));
      std::vector<std::string> known;
      for (const CLI::Option* option : deepest->get_options()) {
        for (const std::string& name : option->get_lnames()) known.push_back("--" + name);
      }
      std::vector<std::string> folded;
      for (const std::string& k : known) folded.push_back(fold_name(k));
      std::vector<std::string> suggestions;
      for (const CloseMatch& m : close_matches(flag, folded)) {
        if (suggestions.size() < 3) suggestions.push_back(known[m.index]);
      }
      const std::string command_path = "chase " + (deepest == command ? command->get_name()
                                                                       : command->get_name() + " " + deepest->get_name());
      return fmt::format("unknown flag {} for '{}'{}", flag, command_path,
                         suggestions.empty() ? fmt::format(" (see `{} --help`)", command_path)
                                             : fmt::format(" (did you mean {}?)", fmt::join(suggestions, ", ")));
    }
  }
  return std::nullopt;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"chase: measure, forecast and cut the carbon footprint of deep-learning training", "chase"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fmt::format("chase {}", chase_version()));
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
  } catch (const CLI::ExtrasError& e) {
    const auto said = unknown_flag_message(app);
    return fail(2, said ? *said : std::string(e.what()));
  } catch (const CLI::ParseError& e) {
    return fail(2, e.what());
  } catch (const InputError& e) {
    return fail(2, e.what());
  } catch (const Error& e) {
    return fail(1, e.what());
  } catch (const std::exception& e) {
    return fail(1, fmt::format("internal error: {}", e.what()));
  }
  // Everything printed must have reached stdout: a full disk or a closed pipe is an error, not a
  // silent success (the measured command's own failure status is kept).
  errno = 0;
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    const int error = errno;
    std::cerr << "chase: error: cannot write standard output: " << (error != 0 ? std::strerror(error) : "write failed")
              << '\n';
    return status.exit_code != 0 ? status.exit_code : 1;
  }
  return status.exit_code;
}

}  // namespace chase::cli

int main(int argc, char** argv) { return chase::cli::run_cli(argc, argv); }
