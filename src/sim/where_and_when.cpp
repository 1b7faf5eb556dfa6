#include "sim/where_and_when.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "sim/start_times.hpp"

namespace chase {

Duration plan_span(const OperatingPoints& points, Duration work_at_max, std::optional<double> budget, Duration frame) {
  double slowest = 1.0;
  for (const auto& p : points.all()) slowest = std::max(slowest, p.time_per_unit / points.max_limit().time_per_unit);
  return work_at_max * (budget ? 1.0 + *budget : slowest) + frame;
}

IntensityTrace flat_trace(const RegionPreset& region, UtcTime from, Duration span) {
  std::vector<IntensitySample> samples;
  for (UtcTime t = from; t < from + span + Duration::days(1); t = t + Duration::hours(1)) {
    samples.push_back({t, region.gross});
  }
  return IntensityTrace(fmt::format("static:{}", region.key), std::move(samples));
}

PlanWindow PlanWindow::parse(std::string_view text, std::string_view what) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    throw InputError(fmt::format("{}: '{}' is not FROM/TO (two ISO 8601 times with a zone)", what, text));
  }
  PlanWindow w{UtcTime::parse_iso8601_or_throw(text.substr(0, slash), fmt::format("{} start", what)),
               UtcTime::parse_iso8601_or_throw(text.substr(slash + 1), fmt::format("{} end", what))};
  if (!(w.from < w.to)) throw InputError(fmt::format("{}: '{}' ends before it starts", what, text));
  return w;
}

PlanPlace region_place(const RegionPreset& region, UtcTime flat_from, Duration span) {
  if (!region.trace.empty()) return PlanPlace{region.key, IntensityTrace::load(region.trace), false};
  return PlanPlace{region.key, flat_trace(region, flat_from, span), true};
}

PlanSites plan_sites(const std::vector<PlanPlace>& places, const std::optional<PlanWindow>& window, Duration step,
                     Duration span) {
  PlanSites out;
  for (const PlanPlace& place : places) {
    const IntensityTrace& t = place.trace;
    PlanSite site{place.name, &t, {}, place.time_invariant};
    if (place.time_invariant) {
      site.starts.push_back(t.start());
    } else if (window) {
      site.starts = start_times(t, window->from, window->to, step, span);
    } else {
      site.starts = start_times(t, t.start() + Duration::days(1), t.end(), step, span);
    }
    if (site.starts.empty()) {
      out.uncovered.push_back(place.name);
    } else {
      out.sites.push_back(std::move(site));
    }
  }
  return out;
}

WhereAndWhen plan_where_and_when(const std::vector<PlanSite>& sites, const PowerProfile& profile, const JobSpec& job,
                                 const std::string& policy,
                                 double energy_scale) {
  WhereAndWhen out;
  for (const PlanSite& site : sites) {
    const Simulator sim(*site.trace, profile);
    for (const UtcTime start : site.starts) {
      SimulationSetup s;
      s.job = job;
      s.start = start;
      s.record_frames = false;
      const SimulationResult max = sim.run(baseline_policy_name(), s);
      const PolicyComparison c = compare_with_max(sim.run(policy, s), max);
      PlanRow row;
      row.site = site.name;
      row.start = start;
      row.time_invariant = site.time_invariant;
      row.max_carbon = max.carbon * energy_scale;
      row.max_energy = max.energy * energy_scale;
      row.policy_carbon = c.run.carbon * energy_scale;
      row.policy_energy = c.run.energy * energy_scale;
      row.policy_time = c.run.time;
      row.carbon_saved_pct = c.carbon_saved_pct;
      row.slowdown_pct = c.slowdown_pct;
      out.rows.push_back(row);
    }
  }
  if (out.rows.empty()) throw InputError("where and when: no region covers a start time in the window");
  std::stable_sort(out.rows.begin(), out.rows.end(),
                   [](const PlanRow& a, const PlanRow& b) { return a.policy_carbon < b.policy_carbon; });
  const Mass best = out.rows.front().policy_carbon;
  Mass worst_max;
  for (const PlanRow& r : out.rows) worst_max = std::max(worst_max, r.max_carbon);
  if (best > Mass{}) {
    out.spread_factor = out.rows.back().policy_carbon / best;
    out.spread_factor_vs_max = worst_max / best;
  }
  return out;
}

}  // namespace chase
