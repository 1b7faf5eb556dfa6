// `chase plan`: Patterson et al.'s "where and when" — the same job in each region and at each
// start time of a window, at maximum power and under chase, best first, with the factor between
// the best and the worst choice.

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "carbon/region_table.hpp"
#include "cli/command.hpp"
#include "cli/data_sets.hpp"
#include "cli/flag_checks.hpp"
#include "cli/quantity_format.hpp"
#include "cli/simulation_flags.hpp"
#include "cli/text_table.hpp"
#include "control/operating_points.hpp"
#include "core/error.hpp"
#include "sim/where_and_when.hpp"

namespace chase::cli {
namespace {

struct PlanOptions {
  std::string traces;
  std::string regions;
  std::string profile = "a40-resnet50";
  std::string policy = "chase";
  std::string window;
  double every_hours = 24;
  double energy_kwh = 0;
  std::size_t top = 10;
  SimulationFlags job;
  bool json = false;
};

struct Window {
  UtcTime from;
  UtcTime to;
};

std::optional<Window> parse_window(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) {
    throw InputError(fmt::format("--window: '{}' is not FROM/TO (two ISO 8601 times with a zone)", text));
  }
  Window w{UtcTime::parse_iso8601_or_throw(text.substr(0, slash), "--window start"),
           UtcTime::parse_iso8601_or_throw(text.substr(slash + 1), "--window end")};
  if (!(w.from < w.to)) throw InputError(fmt::format("--window: '{}' ends before it starts", text));
  return w;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = text.find(',', from);
    const std::string item = text.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

// Start times every `step` from `from` while the whole job (at its slowest) fits in the trace.
std::vector<UtcTime> starts_in(const IntensityTrace& trace, UtcTime from, UtcTime to, Duration step, Duration span) {
  std::vector<UtcTime> starts;
  for (UtcTime t = std::max(from, trace.start()); t < to && t + span <= trace.end(); t = t + step) starts.push_back(t);
  return starts;
}

// A flat trace for a region known only by its average.
IntensityTrace flat_trace(const RegionPreset& region, UtcTime from, Duration span) {
  std::vector<IntensitySample> samples;
  for (UtcTime t = from; t < from + span + Duration::days(1); t = t + Duration::hours(1)) {
    samples.push_back({t, region.gross});
  }
  return IntensityTrace(fmt::format("static:{}", region.key), std::move(samples));
}

void run(const PlanOptions& o) {
  const PowerProfile profile = with_flag("--profile", [&] { return PowerProfile::load(o.profile); });
  const OperatingPoints points(profile);
  const std::optional<double> budget = o.job.budget();
  const std::optional<Window> window = parse_window(o.window);
  const Duration step = Duration::hours(o.every_hours);
  // The longest the job may take, and a frame to spare.
  double slowest = 1.0;
  for (const auto& p : points.all()) slowest = std::max(slowest, p.time_per_unit / points.max_limit().time_per_unit);
  const Duration frame = o.job.frame_length().value_or(Duration::hours(1));
  const Duration span = o.job.work() * (budget ? 1.0 + *budget : slowest) + frame;

  // Traces named directly, then regions: by their trace when the region table has one.
  std::vector<IntensityTrace> traces;
  std::vector<std::string> names;
  std::vector<bool> invariant;
  if (!o.traces.empty() || o.regions.empty()) {
    for (auto& t : load_traces(o.traces.empty() ? "bundled" : o.traces, "--traces")) {
      names.push_back(data_name(t.source()));
      traces.push_back(std::move(t));
      invariant.push_back(false);
    }
  }
  const std::vector<std::string> region_keys =
      o.regions == "all" ? [] {
        std::vector<std::string> keys;
        for (const auto& r : bundled_regions().all()) keys.push_back(r.key);
        return keys;
      }()
                         : split(o.regions);
  for (const auto& key : region_keys) {
    const RegionPreset& region = with_flag("--regions", [&]() -> const RegionPreset& { return bundled_regions().get(key); });
    names.push_back(region.key);
    if (!region.trace.empty()) {
      traces.push_back(IntensityTrace::load(region.trace));
      invariant.push_back(false);
    } else {
      traces.push_back(flat_trace(region, window ? window->from : UtcTime::parse_iso8601_or_throw("2020-01-01T00:00Z", "default"), span));
      invariant.push_back(true);
    }
  }

  std::vector<PlanSite> sites;
  std::vector<std::string> uncovered;
  for (std::size_t i = 0; i < traces.size(); ++i) {
    const IntensityTrace& t = traces[i];
    PlanSite site{names[i], &t, {}, invariant[i]};
    if (invariant[i]) {
      site.starts.push_back(t.start());
    } else if (window) {
      site.starts = starts_in(t, window->from, window->to, step, span);
    } else {
      // A day in, so that chase has a day of history behind it.
      site.starts = starts_in(t, t.start() + Duration::days(1), t.end(), step, span);
    }
    if (site.starts.empty()) {
      uncovered.push_back(names[i]);
    } else {
      sites.push_back(std::move(site));
    }
  }
  if (sites.empty()) {
    throw InputError(fmt::format("--window: no region's trace covers a {} h job starting in {} (uncovered: {})",
                                 format_sig(o.job.work_hours, 3), o.window, fmt::join(uncovered, ", ")));
  }

  SimulationSetup setup;
  setup.work_at_max = o.job.work();
  setup.slowdown_budget = budget;
  setup.frame_length = o.job.frame_length();
  setup.forecaster = o.job.forecaster;
  setup.history = o.job.history();
  const double max_energy_j = o.job.work().seconds() * points.max_limit().power.watts();
  const double scale = o.energy_kwh > 0 ? Energy::kwh(o.energy_kwh).joules() / max_energy_j : 1.0;
  const WhereAndWhen plan = with_flag("--policy", [&] { return plan_where_and_when(sites, profile, setup, o.policy, o.job.eta(), scale); });

  const auto start_text = [](const PlanRow& r) { return r.time_invariant ? std::string("any (static average)") : r.start.iso8601(); };
  if (o.json) {
    nlohmann::json j;
    j["profile"] = data_name(profile.source());
    j["policy"] = o.policy;
    j["work_hours"] = o.job.work_hours;
    j["energy_at_max_kwh"] = Energy::joules(max_energy_j * scale).kwh();
    j["slowdown_budget"] = budget ? nlohmann::json(*budget) : nlohmann::json(nullptr);
    j["window"] = window ? nlohmann::json({window->from.iso8601(), window->to.iso8601()}) : nlohmann::json(nullptr);
    j["uncovered"] = uncovered;
    j["factor"] = plan.spread_factor;
    j["factor_vs_max"] = plan.spread_factor_vs_max;
    nlohmann::json rows = nlohmann::json::array();
    for (const PlanRow& r : plan.rows) {
      rows.push_back({{"region", r.site},
                      {"start", r.time_invariant ? nlohmann::json(nullptr) : nlohmann::json(r.start.iso8601())},
                      {"max_carbon_g", r.max_carbon_g},
                      {"max_energy_j", r.max_energy_j},
                      {"carbon_g", r.policy_carbon_g},
                      {"energy_j", r.policy_energy_j},
                      {"time_s", r.policy_time_s},
                      {"carbon_saved_pct", r.carbon_saved_pct},
                      {"slowdown_pct", r.slowdown_pct}});
    }
    j["rows"] = rows;
    print_json(j);
    return;
  }

  std::cout << fmt::format("{:g} h of work on {} ({} at max power), {}, {} start times{}\n\n",
                           o.job.work_hours, data_name(profile.source()),
                           format_energy(Energy::joules(max_energy_j * scale)),
                           budget ? "budget " + format_pct(*budget * 100) : std::string("no budget"), plan.rows.size(),
                           window ? fmt::format(" in {}…{}", window->from.iso8601(), window->to.iso8601())
                                  : fmt::format(" every {:g} h", o.every_hours));
  TextTable table;
  table.column("rank")
      .column("region", TextTable::Align::kLeft)
      .column("start", TextTable::Align::kLeft)
      .column("CO2e at max")
      .column(fmt::format("CO2e {}", o.policy))
      .column("saved")
      .column("slowdown");
  const auto add = [&](std::size_t rank, const PlanRow& r) {
    table.row({fmt::format("{}", rank), r.site, start_text(r), format_mass(Mass::grams(r.max_carbon_g)),
               format_mass(Mass::grams(r.policy_carbon_g)), fmt::format("{:.1f} %", r.carbon_saved_pct),
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
                           best.site, start_text(best), format_mass(Mass::grams(best.policy_carbon_g)), worst.site,
                           start_text(worst), format_mass(Mass::grams(worst.policy_carbon_g)),
                           format_factor(plan.spread_factor), format_factor(plan.spread_factor_vs_max));
  if (!uncovered.empty()) std::cout << fmt::format("not covered by the window: {}\n", fmt::join(uncovered, ", "));
}

}  // namespace

void add_plan_command(CLI::App& root, CommandStatus& /*status*/) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* cmd = root.add_subcommand(
      "plan", "Where and when to train: a job's CO2e per region and start time, at max power and under chase");
  cmd->add_option("--traces", options->traces,
                  "Intensity traces: a directory of CSV files, a comma-separated list, or 'bundled' (the default)");
  cmd->add_option("--regions", options->regions,
                  "Regions of the static table, comma-separated or 'all' (see `chase presets`); those with a bundled "
                  "trace use it");
  cmd->add_option("--profile", options->profile, "GPU power profile: a CSV file or a bundled name")->capture_default_str();
  cmd->add_option("--policy", options->policy, "The policy to compare with " + baseline_policy_name() + ": " + policy_choices(/*live=*/false))->capture_default_str();
  cmd->add_option("--window", options->window, "Start times FROM/TO, ISO 8601 (default: every trace's whole span)");
  cmd->add_option("--every-hours", options->every_hours, "Hours between start times")->capture_default_str()->check(positive());
  cmd->add_option("--energy-kwh", options->energy_kwh,
                  "The job's energy at max power in kWh (scales every figure; default: the profile's GPU for --work-hours)")
      ->check(positive());
  cmd->add_option("--top", options->top, "Rows to show (the worst is always shown)")->capture_default_str();
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
