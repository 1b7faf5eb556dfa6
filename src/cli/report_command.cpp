// `chase report`: what is published about recorded runs. `--statement` writes the energy and
// CO2e disclosure Patterson et al. ask ML papers for (report/run_statement.hpp), for one run
// (ID), several (--runs ID,ID...) or every run since a date (--since), as text, Markdown or
// LaTeX; --json gives its figures. `--html FILE` writes one run's page (report/html_report.hpp),
// replacing FILE only once the page is written whole. This file picks the runs and prints.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/record_options.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "export/statement_export.hpp"
#include "report/html_report.hpp"
#include "report/run_statement.hpp"

namespace chase::cli {
namespace {

struct ReportOptions {
  RecordOptions record;
  RunId id = 0;
  std::vector<RunId> runs;
  std::string since;
  bool statement = false;
  std::string format = "text";
  double pue = 0;
  CLI::Option* pue_opt = nullptr;
  bool json = false;
  std::string html;
};

void check_chosen_once(const ReportOptions& o) {
  const int ways = (o.id > 0 ? 1 : 0) + (o.runs.empty() ? 0 : 1) + (o.since.empty() ? 0 : 1);
  if (ways != 1) throw InputError("name the runs one way: ID, --runs ID,ID... or --since DATE");
}

std::vector<StoredRun> chosen_runs(const ReportOptions& o, RunStore& store) {
  std::vector<RunId> ids = o.runs;
  if (o.id > 0) ids = {o.id};
  std::vector<StoredRun> out;
  if (!o.since.empty()) {
    out = store.list({UtcTime::parse_iso8601_or_throw(o.since, "--since"), std::nullopt});
    if (out.empty()) {
      throw InputError(fmt::format("--since: no run in {} started at or after {}", store.path().string(), o.since));
    }
    return out;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (ids[i] == ids[j]) throw InputError(fmt::format("--runs: run {} is named twice (it would count twice)", ids[i]));
    }
    out.push_back(find_run(store, ids[i]));
  }
  return out;
}

// Writes `text` to `path` through a temporary file beside it, renamed over it once complete.
// The page through core/output_file: a regular file is replaced only once the page is written
// whole; a device or FIFO with a reader is written in place, never replaced by a file.
void write_page(const std::string& text, const std::filesystem::path& path) {
  with_flag("--html", [&] { write_output_file(path, text); });
}

void write_html(const ReportOptions& o) {
  if (o.statement) throw InputError("--html and --statement: one report at a time");
  if (o.id <= 0 || !o.runs.empty() || !o.since.empty()) throw InputError("--html reports one run: name it by its ID");
  if (o.json || o.pue_opt->count() > 0) throw InputError("--json and --pue go with --statement, not --html");
  auto store = o.record.open_for_reading();
  const auto run = chosen_runs(o, *store).front();
  const RunSeries series{store->samples(run.id), store->steps(run.id), store->decisions(run.id)};
  write_page(render_html_report(run, series), o.html);
  std::cout << fmt::format("wrote run {} to {}\n", run.id, o.html);
}

void run(const ReportOptions& o) {
  if (!o.html.empty()) return write_html(o);
  if (!o.statement) throw InputError("say what to report: --statement or --html FILE");
  const auto format = parse_statement_format(o.format);
  check_chosen_once(o);
  auto store = o.record.open_for_reading();
  const auto runs = chosen_runs(o, *store);
  const std::optional<double> pue = o.pue_opt->count() > 0 ? std::optional<double>(o.pue) : std::nullopt;
  const RunStatement statement = with_flag("--pue", [&] { return build_statement(runs, pue); });
  print_result(o.json, [&] { return statement_json(statement); },
               [&] { std::cout << render_statement(statement, *format); });
}

}  // namespace

void add_report_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = root.add_subcommand("report", "Report recorded runs: the energy and CO2e statement for a paper, or one run as an HTML page");
  o->record.add_to(*cmd, /*recording=*/false);
  cmd->add_option("id", o->id, "One run's id (chase runs list)")->check(CLI::Range(RunId{1}, INT64_MAX));
  cmd->add_option("--runs", o->runs, "Several runs, summed: ID,ID,...")
      ->delimiter(',')
      ->check(CLI::Range(RunId{1}, INT64_MAX));
  cmd->add_option("--since", o->since, "Every run started at or after this time (ISO 8601 with a zone)");
  cmd->add_flag("--statement", o->statement, "The disclosure Patterson et al. (2021) ask ML papers for");
  cmd->add_option("--format", o->format, "The statement as text, markdown or latex")
      ->check(CLI::IsMember({"text", "markdown", "latex"}))
      ->capture_default_str();
  o->pue_opt = cmd->add_option("--pue", o->pue, "The datacenter's PUE, applied to the processors' energy (default: none)")
                   ->check(within(1, 10));
  cmd->add_flag("--json", o->json, "Print the statement's figures as JSON");
  cmd->add_option("--html", o->html, "Write one run's report to FILE: a self-contained HTML page with charts");
  cmd->footer(
      "A statement sums its runs: energy, CO2e and device-hours add up; the intensity is energy-weighted.\n"
      "Examples:\n  chase report 3 --statement\n  chase report --runs 3,4,7 --statement --format latex --pue 1.1\n"
      "  chase report --since 2026-01-01T00:00:00Z --statement --format markdown\n"
      "  chase report 3 --html run-3.html");
  cmd->callback([o] { run(*o); });
}

}  // namespace chase::cli
