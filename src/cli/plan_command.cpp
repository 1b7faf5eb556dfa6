// `chase plan`: Patterson et al.'s "where and when" — the same job in each region and at each
// start time of a window, at maximum power and under chase, best first, with the factor between
// the best and the worst choice.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "carbon/region_catalog.hpp"
#include "carbon/region_table.hpp"
#include "cli/command.hpp"
#include "cli/flag_checks.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "control/job_spec.hpp"
#include "control/operating_points.hpp"
#include "control/policy.hpp"
#include "core/error.hpp"
#include "core/quantity_format.hpp"
#include "core/text_list.hpp"
#include "core/time_grid.hpp"
#include "export/plan_export.hpp"
#include "sim/data_sets.hpp"
#include "sim/where_and_when.hpp"

namespace chase::cli {
namespace {

// World electricity generation, about 29,000 TWh in 2022 (IEA, Electricity 2023): no training
// job's energy comes near it, so a larger --energy-kwh is a slip, not a job.
constexpr double kWorldElectricityKwhPerYear = 2.9e13;

struct PlanOptions {
  std::string traces;
  std::string regions;
  std::string profile = "a40-resnet50";
  std::string policy = default_policy_name();
  std::string window;
  double every_hours = 24;
  double energy_kwh = 0;
  std::size_t top = 10;
  SimulationFlags job;
  bool json = false;
};

std::optional<PlanWindow> parse_window(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return PlanWindow::parse(text, "--window");
}

std::vector<std::string> region_keys(const std::string& regions) {
  if (regions == "all") return bundled_regions().keys();
  auto keys = split_list(regions, ',', EmptyItems::kDrop);
  with_flag("--regions", [&] { refuse_repeated_items(keys); });
  return keys;
}

// A region's figure for the plan: the year of a bundled trace when the place has one (a plan
// asks "when", which a yearly average cannot answer), else its default year.
RegionPreset plan_region(const std::string& key) {
  const RegionPlace& place = region_catalog().get(key);
  for (const RegionPreset& entry : place.entries) {
    if (!entry.trace.empty()) return entry;
  }
  return place.preferred();
}

// Traces named directly, then regions: by their trace when the region table has one, else
// their average held flat from the window's start.
std::vector<PlanPlace> places_from(const PlanOptions& o, const std::optional<PlanWindow>& window, Duration span) {
  std::vector<PlanPlace> places;
  if (!o.traces.empty() || o.regions.empty()) {
    for (auto& t : with_flag("--traces", [&] { return load_traces(o.traces.empty() ? "bundled" : o.traces); })) {
      std::string name = data_name(t.source());
      places.push_back({std::move(name), std::move(t), false});
    }
  }
  const UtcTime flat_from = window ? window->from : UtcTime::parse_iso8601_or_throw("2020-01-01T00:00Z", "default");
  for (const auto& key : region_keys(o.regions)) {
    const RegionPreset region = with_flag("--regions", [&] { return plan_region(key); });
    places.push_back(region_place(region, flat_from, span));
  }
  return places;
}

void print_plan(const PlanOptions& o, const PlanInputs& in, const WhereAndWhen& plan) {
  const auto start_text = [](const PlanRow& r) { return r.time_invariant ? std::string("any (static average)") : r.start.iso8601(); };
  std::cout << fmt::format("{:g} h of work on {} ({} at max power), {}, {} start times{}\n\n", in.work_hours, in.profile,
                           format_energy(in.energy_at_max),
                           in.slowdown_budget ? "budget " + format_pct(*in.slowdown_budget * 100) : std::string("no budget"),
                           plan.rows.size(),
                           in.window ? fmt::format(" in {}…{}", in.window->from.iso8601(), in.window->to.iso8601())
                                     : fmt::format(" every {:g} h", o.every_hours));
  TextTable table;
  table.column("rank")
      .column("region", TextTable::Align::kLeft)
      .column("start", TextTable::Align::kLeft)
      .column("CO2e at max")
      .column(fmt::format("CO2e {}", in.policy))
      .column("saved")
      .column("slowdown");
  const auto add = [&](std::size_t rank, const PlanRow& r) {
    table.row({fmt::format("{}", rank), r.site, start_text(r), format_mass(r.max_carbon),
               format_mass(r.policy_carbon), format_percent(r.carbon_saved_pct, 1),
               format_pct(r.slowdown_pct)});
  };
  const std::size_t shown = std::min(o.top, plan.rows.size());
  for (std::size_t i = 0; i < shown; ++i) add(i + 1, plan.rows[i]);
  if (shown < plan.rows.size()) {
    table.rule();
    add(plan.rows.size(), plan.rows.back());
  }
  std::cout << table.render();
  const PlanRow& best = plan.rows.front();
  const PlanRow& worst = plan.rows.back();
  std::cout << fmt::format("\nbest: {} from {}, {}; worst: {} from {}, {}: a factor of {} (and {} against the worst at max power)\n",
                           best.site, start_text(best), format_mass(best.policy_carbon), worst.site,
                           start_text(worst), format_mass(worst.policy_carbon),
                           format_factor(plan.spread_factor.value_or(kNotANumber)),
                           format_factor(plan.spread_factor_vs_max.value_or(kNotANumber)));
  if (!in.uncovered.empty()) std::cout << fmt::format("not covered by the window: {}\n", fmt::join(in.uncovered, ", "));
}

void run(const PlanOptions& o) {
  const PowerProfile profile = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  const OperatingPoints points(profile);
  PlanInputs in{data_name(profile.source()), o.policy, o.job.work_hours, {}, o.job.budget(), parse_window(o.window), {}};
  const Duration span = plan_span(points, o.job.work(), in.slowdown_budget, o.job.frame_length().value_or(Duration::hours(1)));
  const std::vector<PlanPlace> places = places_from(o, in.window, span);
  PlanSites sites = with_step_flags({{kStartGrid, "--every-hours"}}, [&] { return plan_sites(places, in.window, Duration::hours(o.every_hours), span); });
  in.uncovered = std::move(sites.uncovered);
  if (sites.sites.empty() && o.window.empty()) {
    throw InputError(fmt::format("no trace is long enough for a {} h job (it may take {} with its slowdown budget and "
                                 "a frame to spare; too short: {})",
                                 format_sig(o.job.work_hours, 3), format_duration(span), fmt::join(in.uncovered, ", ")));
  }
  if (sites.sites.empty()) {
    throw InputError(fmt::format("--window: no region's trace covers a {} h job starting in {} (uncovered: {})",
                                 format_sig(o.job.work_hours, 3), o.window, fmt::join(in.uncovered, ", ")));
  }
  const JobSpec job = o.job.spec();
  const double max_energy_j = o.job.work().seconds() * points.max_limit().power.watts();
  const double scale = o.energy_kwh > 0 ? Energy::kwh(o.energy_kwh).joules() / max_energy_j : 1.0;
  in.energy_at_max = Energy::joules(max_energy_j * scale);
  with_flag("--policy", [&] {
    if (policy_registry().find(o.policy) == nullptr) throw InputError(policy_registry().unknown(o.policy));
  });
  const WhereAndWhen plan = with_step_flags({{kFrameGrid, "--frame-minutes"}}, [&] { return plan_where_and_when(sites.sites, profile, job, o.policy, scale); });
  print_result(o.json, [&] { return plan_json(in, plan); }, [&] { print_plan(o, in, plan); });
}

}  // namespace

void add_plan_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* cmd = root.add_subcommand(
      "plan", "Where and when to train: a job's CO2e per region and start time, at max power and under chase");
  cmd->add_option("--traces", options->traces,
                  "Intensity traces: a directory of CSV files, a comma-separated list, or 'bundled' (the default)");
  cmd->add_option("--regions", options->regions,
                  "Regions (grid zones, countries, presets), comma-separated, or 'all' (every region preset); those "
                  "with a bundled trace use it (see `chase presets regions`)");
  cmd->add_option("--profile", options->profile, "GPU power profile: a CSV file or a bundled name")->capture_default_str();
  cmd->add_option("--policy", options->policy, "The policy to compare with " + baseline_policy_name() + ": " + policy_choices(/*live=*/false))->capture_default_str();
  cmd->add_option("--window", options->window, "Start times FROM/TO, ISO 8601 (default: every trace's whole span)");
  cmd->add_option("--every-hours", options->every_hours, "Hours between start times")
      ->capture_default_str()
      ->check(positive())
      ->check(at_most(kLongestJobHours, "ten years"));
  cmd->add_option("--energy-kwh", options->energy_kwh,
                  "The job's energy at max power in kWh (scales every figure; default: the profile's GPU for --work-hours)")
      ->check(positive())
      // Past this the figures stop meaning anything long before the arithmetic overflows.
      ->check(at_most(kWorldElectricityKwhPerYear, "the world's yearly electricity generation, IEA 2023"));
  cmd->add_option("--top", options->top, "Rows to show (the worst is always shown)")
      ->capture_default_str()
      ->check(within(1, 1e6));
  options->job.add_to(*cmd);
  cmd->add_flag("--json", options->json, "Print JSON (every row) instead of a table");
  cmd->footer(
      "Examples:\n"
      "  chase plan --work-hours 24\n"
      "  chase plan --traces gb-2020,fr-2020 --window 2020-06-01T00:00Z/2020-06-08T00:00Z --every-hours 6\n"
      "  chase plan --regions gb,fr,us-average,google-iowa --work-hours 100 --energy-kwh 850 --json");
  cmd->callback([options] { run(*options); });
}

}  // namespace chase::cli
