#pragma once
// Patterson et al.'s "where and when": the same training job started in different regions and
// at different times, at the maximum power limit and under a power-limit policy (chase by
// default), ranked by the policy's CO2e, best first.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "carbon/region_table.hpp"
#include "control/operating_points.hpp"
#include "core/units.hpp"
#include "energy/power_profile.hpp"
#include "sim/simulator.hpp"

namespace chase {

struct PlanSite {
  std::string name;            // region or trace name
  const IntensityTrace* trace;  // outlives the call
  std::vector<UtcTime> starts;
  bool time_invariant = false;  // a static average: one start stands for all
};

struct PlanRow {
  std::string site;
  UtcTime start;
  bool time_invariant = false;
  Mass max_carbon;        // the same job at the maximum limit
  Energy max_energy;
  Mass policy_carbon;     // under the policy
  Energy policy_energy;
  Duration policy_time;
  double carbon_saved_pct = 0;
  double slowdown_pct = 0;
};

struct WhereAndWhen {
  std::vector<PlanRow> rows;  // best (least policy CO2e) first
  // Worst policy CO2e ÷ best; and the worst at max power ÷ the best under the policy. None when
  // the best emits nothing (a zero-carbon grid): a factor against 0 g is undefined.
  std::optional<double> spread_factor;
  std::optional<double> spread_factor_vs_max;
};

// A place to train: its intensity over time, or its static average held flat.
struct PlanPlace {
  std::string name;  // region or trace name
  IntensityTrace trace;
  bool time_invariant = false;
};

// Start times FROM/TO (a window of the plan).
struct PlanWindow {
  UtcTime from;
  UtcTime to;

  // "FROM/TO", two ISO 8601 times with a zone, FROM before TO. Throws InputError led by `what`
  // (e.g. the flag it came from): "<what>: '<text>' is not FROM/TO ...", "<what> start: ...".
  static PlanWindow parse(std::string_view text, std::string_view what);
};

// The longest the job may take, and a frame to spare: at the budget's slowdown, or without a
// budget at the profile's slowest limit.
Duration plan_span(const OperatingPoints& points, Duration work_at_max, std::optional<double> budget, Duration frame);


// A region known only by its average, as hourly samples from `from` for `span` and a day more.
IntensityTrace flat_trace(const RegionPreset& region, UtcTime from, Duration span);

// A region of the table: its bundled trace when it has one (throws what loading it throws),
// else its average as a flat trace from `flat_from`.
PlanPlace region_place(const RegionPreset& region, UtcTime flat_from, Duration span);

// The places as sites (pointing into `places`, which must outlive them) with their starts: in
// the window, or without one from a day into each trace (so that chase has a day of history
// behind it); a static average gets one start that stands for all. Places without a start are
// named in `uncovered`.
struct PlanSites {
  std::vector<PlanSite> sites;
  std::vector<std::string> uncovered;
};

PlanSites plan_sites(const std::vector<PlanPlace>& places, const std::optional<PlanWindow>& window, Duration step,
                     Duration span);

// The job at every site's starts; energy_scale multiplies every energy and carbon figure (a
// job's energy at max power ÷ the profile's).
WhereAndWhen plan_where_and_when(const std::vector<PlanSite>& sites, const PowerProfile& profile, const JobSpec& job,
                                 const std::string& policy,
                                 double energy_scale = 1.0);

}  // namespace chase
