// `chase intensity`: the grid's carbon intensity at a time, or its steps over an interval, from
// a trace, the static table or a live provider (with cache and fallbacks shown).

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "carbon/intensity_range.hpp"
#include "carbon/region_catalog.hpp"
#include "carbon/static_source.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/intensity_options.hpp"
#include "cli/text_table.hpp"
#include "core/error.hpp"
#include "core/quantity_format.hpp"
#include "export/intensity_export.hpp"

namespace chase::cli {
namespace {

struct IntensityOptions {
  IntensityInputOptions input;
  std::string at, from, to;
  bool json = false;
};

UtcTime time_flag(const std::string& flag, const std::string& text) {
  return UtcTime::parse_iso8601_or_throw(text, flag);  // "--at: time stamp "x" is not ISO 8601 ..."
}

std::string stale_text(const IntensityReading& r) { return r.stale ? format_sig(r.stale->seconds(), 3) : "-"; }

void print_range(const IntensityRange& range, const std::optional<std::string>& failure) {
  TextTable table;
  table.column("from", TextTable::Align::kLeft)
      .column("until", TextTable::Align::kLeft)
      .column("gCO2e/kWh")
      .column("source", TextTable::Align::kLeft)
      .column("stale_s");
  for (const IntensityReading& r : range.steps) {
    table.row({r.step.from.iso8601(), r.step.until.iso8601(), format_sig(r.step.intensity.g_per_kwh(), 4),
               r.step.source + (r.step.fallback ? " (fallback)" : ""), stale_text(r)});
  }
  std::cout << table.render();
  std::cout << fmt::format("{} steps, time-weighted mean {} gCO2e/kWh", range.steps.size(),
                           format_sig(range.mean.g_per_kwh(), 4));
  if (!range.gaps.empty()) std::cout << fmt::format("; the trace has {} gap(s) (held values marked fallback)", range.gaps.size());
  std::cout << "\n";
  if (failure) std::cout << "fallback: " << *failure << "\n";
}

// What a static average is of: "DE 2024 (Electricity Maps yearly average)"; empty for other sources.
std::string region_basis(const IntensitySource& source) {
  const auto* s = dynamic_cast<const StaticSource*>(&source);
  return s != nullptr ? describe_region(s->region()) : std::string();
}

void print_reading(UtcTime at, const IntensityReading& r, const std::optional<std::string>& failure,
                   const std::string& basis) {
  TextTable table;
  table.column("quantity", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
  table.row({"at", at.iso8601()});
  table.row({"intensity", fmt::format("{} gCO2e/kWh", format_sig(r.step.intensity.g_per_kwh(), 4))});
  table.row({"valid", r.step.from.iso8601() + " to " + r.step.until.iso8601()});
  table.row({"source", r.step.source + (r.step.fallback ? " (fallback)" : "")});
  if (!basis.empty()) table.row({"region", basis});
  table.row({"stale_s", stale_text(r)});
  if (failure) table.row({"fallback reason", *failure});
  std::cout << table.render();
}

void run_range(IntensityOptions& o, IntensitySource& source) {
  const UtcTime from = time_flag("--from", o.from);
  const UtcTime to = time_flag("--to", o.to);
  if (!(from < to)) throw InputError(fmt::format("--from {} must be before --to {}", o.from, o.to));
  const IntensityRange range = read_intensity_range(source, from, to);
  const std::optional<std::string> failure = o.input.last_failure();
  print_result(o.json, [&] { return range_json(range, failure); }, [&] { print_range(range, failure); });
}

void run(IntensityOptions& o) {
  if (!o.at.empty() && (!o.from.empty() || !o.to.empty())) throw InputError("--at excludes --from/--to");
  if (o.from.empty() != o.to.empty()) throw InputError("--from and --to go together");
  IntensitySource& source = o.input.source();
  const std::optional<std::string> failure_before = o.input.last_failure();
  if (!o.from.empty()) return run_range(o, source);
  const UtcTime at = o.at.empty() ? source.now() : time_flag("--at", o.at);
  const IntensityReading r = source.reading_at(at);
  const std::optional<std::string> failure = o.input.last_failure() ? o.input.last_failure() : failure_before;
  print_result(
      o.json, [&] { return reading_at_json(at, r, source.name(), failure, source_gaps(source)); },
      [&] { print_reading(at, r, failure, region_basis(source)); });
}

}  // namespace

void add_intensity_command(CLI::App& root, CommandStatus& /*status*/) {
  auto o = std::make_shared<IntensityOptions>();
  CLI::App* cmd = root.add_subcommand("intensity", "Grid carbon intensity now, at a time, or over an interval");
  o->input.add_to(*cmd, /*allow_region=*/true);
  cmd->add_option("--at", o->at, "A time, ISO 8601 with zone (default: now; for a trace, its last sample)");
  cmd->add_option("--from", o->from, "Start of an interval (with --to): every step of the source's own grid");
  cmd->add_option("--to", o->to, "End of the interval");
  cmd->add_flag("--json", o->json, "Print JSON instead of a table");
  cmd->footer(
      "Examples:\n"
      "  chase intensity --trace gb-2020 --at 2020-06-01T12:00:00Z\n"
      "  chase intensity --trace fr-2020 --from 2020-03-01T00:00:00Z --to 2020-03-01T03:00:00Z --json\n"
      "  chase intensity --region gb\n"
      "  chase intensity --provider uk-carbon-intensity\n"
      "  ELECTRICITYMAPS_API_KEY=... chase intensity --provider electricitymaps --zone DE --json\n"
      "Every answer names its source and how stale it is (stale_s: the data's age, seconds from the end\n"
      "of the interval it covers to now, 0 while current; none for a static average). When a provider\n"
      "fails, answers data older than 4 of its periods, or asked not to be called before a time\n"
      "(Retry-After, kept in the cache for every run), the last cached value within that bound stands\n"
      "in, then the region's static average; both are marked fallback, with the reason.");
  cmd->callback([o] { run(*o); });
}

}  // namespace chase::cli
