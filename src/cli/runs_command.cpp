// `chase runs list|show|export|delete`: the runs `chase measure` and `chase run` recorded in the
// run store (store/run_store.hpp). This file reads the flags, asks the store and prints; the
// JSON and CSV are export/stored_run_export.hpp's.

#include <fmt/format.h>

#include <algorithm>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/record_options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/quantity_format.hpp"
#include "export/stored_run_export.hpp"

namespace chase::cli {
namespace {

struct RunsOptions {
  RecordOptions record;
  RunId id = 0;
  std::string since;
  std::size_t limit = 0;
  bool json = false;
  bool csv = false;
  std::string output;
};

std::string carbon_text(const std::optional<Mass>& carbon) { return carbon ? format_mass(*carbon) : "—"; }

std::string command_text(const std::vector<std::string>& argv, std::size_t width) {
  std::string text = fmt::format("{}", fmt::join(argv, " "));
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

void print_list(const std::vector<StoredRun>& runs, const RunStore& store) {
  if (runs.empty()) {
    std::cout << fmt::format("no runs recorded in {}\n", store.path().string());
    return;
  }
  TextTable t;
  t.column("id").column("started", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft).column("time").column("energy").column("CO2e")
      .column("command", TextTable::Align::kLeft);
  for (const StoredRun& r : runs) {
    t.row({std::to_string(r.id), r.header.started_at.iso8601(), r.header.kind, to_string(r.status),
           format_duration(r.time), format_energy(r.energy), carbon_text(r.carbon), command_text(r.header.command, 40)});
  }
  std::cout << t.render() << fmt::format("{} run(s) in {}\n", runs.size(), store.path().string());
}

void print_show(const StoredRun& r) {
  std::cout << fmt::format("run {} ({}): {}\n", r.id, r.header.kind, to_string(r.status));
  std::cout << fmt::format("command: {}\n", fmt::join(r.header.command, " "));
  std::cout << fmt::format("started: {}  ended: {}  time: {}\n", r.header.started_at.iso8601(),
                           r.ended_at ? r.ended_at->iso8601() : "—", format_duration(r.time));
  std::cout << fmt::format("exit code: {}  host: {}  user: {}  chase {}\n",
                           r.exit_code ? std::to_string(*r.exit_code) : "—", r.header.host, r.header.user,
                           r.header.chase_version);
  std::cout << fmt::format("intensity: {}\n", r.header.intensity_source.value_or("none (energy only)"));
  for (const auto& [name, value] : r.header.context) std::cout << fmt::format("context: {}={}\n", name, value);
  if (r.note) std::cout << fmt::format("note: {}\n", *r.note);
  std::cout << '\n';
  // A data-parallel job's run lists every rank's devices: the rank is a column of its own.
  const bool ranked = std::any_of(r.devices.begin(), r.devices.end(), [](const RunDevice& d) { return d.rank.has_value(); });
  TextTable t;
  if (ranked) t.column("rank");
  t.column("device", TextTable::Align::kLeft).column("backend", TextTable::Align::kLeft)
      .column("metering", TextTable::Align::kLeft).column("energy").column("CO2e");
  const auto row = [&](std::vector<std::string> cells, const std::optional<int>& rank) {
    if (ranked) cells.insert(cells.begin(), rank ? std::to_string(*rank) : "");
    t.row(cells);
  };
  for (const RunDevice& d : r.devices) {
    if (d.metering == "none") continue;
    row({d.device_id, d.backend, d.metering, d.energy ? format_energy(*d.energy) : "—", carbon_text(d.carbon)}, d.rank);
  }
  t.rule();
  row({"total", "", r.totals_from_samples ? "as recorded" : "", format_energy(r.energy), carbon_text(r.carbon)},
      std::nullopt);
  std::cout << t.render();
  for (const RunDevice& d : r.devices) {
    if (d.metering == "none") std::cout << fmt::format("not metered: {} ({}): {}\n", d.device_id, d.name, d.reason);
  }
  std::cout << fmt::format("recorded: {} power sample(s), {} intensity step(s), {} decision(s)\n", r.sample_count,
                           r.step_count, r.decision_count);
}

// Writes `text` to --output (through core/output_file: a regular file replaced only once it is
// written whole, a device or FIFO with a reader written in place) or stdout.
void emit(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::cout << text;
    return;
  }
  with_flag("--output", [&] { write_output_file(output, text); });
}

void add_id(CLI::App& cmd, RunsOptions& o) {
  cmd.add_option("id", o.id, "The run's id (chase runs list)")->required()->check(CLI::Range(RunId{1}, INT64_MAX));
}

}  // namespace

void add_runs_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<RunsOptions>();
  CLI::App* cmd = root.add_subcommand("runs", "List, show, export and delete the runs recorded by measure and run");
  cmd->require_subcommand(1);
  cmd->footer(
      "Runs are recorded in $CHASE_DB, else $XDG_DATA_HOME/chase/runs.db (~/.local/share/chase/runs.db); --db picks\n"
      "another file. A run whose chase was killed is shown as interrupted, with what it recorded until then.\n"
      "Examples:\n  chase runs list\n  chase runs show 3 --json\n  chase runs export 3 --csv --output run3.csv\n"
      "  chase runs delete 3");

  CLI::App* list = cmd->add_subcommand("list", "List the recorded runs, oldest first");
  o->record.add_to(*list, /*recording=*/false);
  list->add_option("--since", o->since, "Only runs started at or after this time (ISO 8601 with a zone)");
  list->add_option("--limit", o->limit, "Only the newest N runs")->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  list->add_flag("--json", o->json, "Print JSON instead of a table");
  list->callback([o] {
    auto store = o->record.open_for_reading();
    RunListFilter filter;
    if (!o->since.empty()) filter.since = UtcTime::parse_iso8601_or_throw(o->since, "--since");
    if (o->limit > 0) filter.limit = o->limit;
    const auto runs = store->list(filter);
    print_result(o->json, [&] { return stored_runs_json(runs); }, [&] { print_list(runs, *store); });
  });

  CLI::App* show = cmd->add_subcommand("show", "Show one run: command, status, devices, energy and CO2e");
  o->record.add_to(*show, /*recording=*/false);
  add_id(*show, *o);
  show->add_flag("--json", o->json, "Print JSON instead of tables");
  show->callback([o] {
    auto store = o->record.open_for_reading();
    const StoredRun run = find_run(*store, o->id);
    print_result(o->json, [&] { return stored_run_json(run); }, [&] { print_show(run); });
  });

  CLI::App* exp = cmd->add_subcommand("export", "Export one run with its power samples, intensity steps and decisions");
  o->record.add_to(*exp, /*recording=*/false);
  add_id(*exp, *o);
  auto* csv = exp->add_flag("--csv", o->csv, "The power samples as CSV (as chase measure --csv writes them)");
  auto* json = exp->add_flag("--json", o->json, "Everything as one JSON document");
  csv->excludes(json);
  exp->add_option("--output", o->output, "Write to this file instead of stdout");
  exp->callback([o] {
    if (!o->csv && !o->json) throw InputError("give --csv or --json");
    auto store = o->record.open_for_reading();
    const StoredRun run = find_run(*store, o->id);
    std::ostringstream text;
    if (o->csv) {
      write_stored_samples_csv(text, run, store->samples(run.id));
    } else {
      text << stored_run_export_json(run, store->samples(run.id), store->steps(run.id), store->decisions(run.id))
                  .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
           << '\n';
    }
    emit(text.str(), o->output);
  });

  CLI::App* del = cmd->add_subcommand("delete", "Delete one run and everything recorded with it");
  o->record.add_to(*del, /*recording=*/false);
  add_id(*del, *o);
  del->callback([o] {
    auto store = o->record.open_for_reading();
    if (!store->remove(o->id)) {
      throw InputError(fmt::format("no run {} in {} (chase runs list shows the ids)", o->id, store->path().string()));
    }
    std::cout << fmt::format("deleted run {} from {}\n", o->id, store->path().string());
  });
}

}  // namespace chase::cli
