#include "control/plan/plan_certificate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chase {
namespace {

// Effort caps: past them the plan is kept (or improved) but not proven optimal.
constexpr std::size_t kMaxStates = 4096;       // per layer of the search
constexpr std::size_t kMaxCoreFrames = 96;     // frames left with more than one limit
constexpr std::size_t kMaxExpansions = 400000; // over the whole call

// Prices tried for the bound, as multiples of the sweep's: the best bound for a plan that ends
// late or early is at a lower or higher price than the one the sweep stopped at.
constexpr int kPriceSteps = 17;
constexpr double kPriceSpan = 4.0;  // from price / 4 to price × 4

struct State {
  double work = 0;      // done by the core frames so far
  double cost_g = 0;    // their carbon
  double excess_g = 0;  // Σρ over them
  std::uint32_t parent = 0;
  std::uint16_t point = 0;
};

struct Bound {
  double lower_g = -std::numeric_limits<double>::infinity();  // LB_K
  double price_g = 0;                                         // the price that gave it
};

}  // namespace

bool certify_plan(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                  double work_value_g, CarbonPlan& plan) {
  if (!plan.feasible || frames.empty()) return false;
  const auto& all = points.all();
  const std::size_t n = frames.size();
  const std::size_t m = all.size();

  // Per frame and limit: work, carbon, and the carbon of one unit of work done there.
  std::vector<double> work(n * m), cost(n * m), unit_cost(n * m);
  for (std::size_t f = 0; f < n; ++f) {
    for (std::size_t p = 0; p < m; ++p) {
      work[f * m + p] = frames[f].duration_s * all[p].rate_per_s;
      cost[f * m + p] = frames[f].duration_s * all[p].power.watts() * frames[f].intensity_g_per_kwh / kJoulesPerKwh;
      unit_cost[f * m + p] = frames[f].intensity_g_per_kwh * all[p].energy_per_unit.joules() / kJoulesPerKwh;
    }
  }
  // LB_K(v) = Σ_{f<K} min_l (carbon − v·work) + v·W + min(0, min_l capacity·(unit carbon − v)),
  // maximised over a grid of prices for every K at once.
  std::vector<Bound> bounds(n);
  for (int step = 0; step < kPriceSteps; ++step) {
    const double v = work_value_g * std::pow(kPriceSpan, 2.0 * step / (kPriceSteps - 1) - 1.0);
    double before = 0;
    for (std::size_t k = 0; k < n; ++k) {
      double end = 0;
      double least = std::numeric_limits<double>::infinity();
      for (std::size_t p = 0; p < m; ++p) {
        const std::size_t i = k * m + p;
        end = std::min(end, work[i] * (unit_cost[i] - v));
        least = std::min(least, cost[i] - v * work[i]);
      }
      const double lower = before + v * work_units + end;
      if (lower > bounds[k].lower_g) bounds[k] = {lower, v};
      before += least;
    }
  }

  double incumbent = plan.carbon_g;
  const double tolerance = 1e-12 * incumbent;
  // The frames the job could end in, most promising (lowest bound) first.
  std::vector<std::size_t> ends;
  for (std::size_t k = 0; k < n; ++k) {
    if (incumbent - tolerance - bounds[k].lower_g > 0) ends.push_back(k);
  }
  std::sort(ends.begin(), ends.end(), [&](std::size_t a, std::size_t b) { return bounds[a].lower_g < bounds[b].lower_g; });

  bool exhaustive = true;
  double unsearched_bound = std::numeric_limits<double>::infinity();  // least LB_K of the K cut short
  bool improved = false;
  std::size_t expansions = 0;
  std::vector<std::size_t> best_points;
  double best_time = plan.time_s;
  std::vector<double> excess(n * m);
  std::vector<std::size_t> choice(n);
  std::vector<std::size_t> core;
  std::vector<std::vector<State>> layers;
  for (const std::size_t last : ends) {
    const double gap = incumbent - tolerance - bounds[last].lower_g;
    if (!(gap > 0)) continue;  // the incumbent improved meanwhile
    const double v = bounds[last].price_g;
    for (std::size_t f = 0; f < last; ++f) {
      double least = std::numeric_limits<double>::infinity();
      for (std::size_t p = 0; p < m; ++p) least = std::min(least, cost[f * m + p] - v * work[f * m + p]);
      for (std::size_t p = 0; p < m; ++p) excess[f * m + p] = cost[f * m + p] - v * work[f * m + p] - least;
    }
    // Frames with one limit left are fixed; the others form the core.
    core.clear();
    double fixed_work = 0;
    double fixed_cost = 0;
    for (std::size_t f = 0; f < last; ++f) {
      std::size_t options = 0;
      for (std::size_t p = 0; p < m; ++p) {
        if (excess[f * m + p] < gap) {
          ++options;
          choice[f] = p;
        }
      }
      if (options > 1) {
        core.push_back(f);
      } else {
        fixed_work += work[f * m + choice[f]];
        fixed_cost += cost[f * m + choice[f]];
      }
    }
    if (core.size() > kMaxCoreFrames) {
      exhaustive = false;
      unsearched_bound = std::min(unsearched_bound, bounds[last].lower_g);
      continue;
    }
    // The job must still be running at the start of `last` and finish inside it.
    const double need_low = work_units - fixed_work - points.fastest().rate_per_s * frames[last].duration_s;
    const double need_high = work_units - fixed_work;
    // What the core frames not yet decided can still add, at least and at most.
    std::vector<double> add_min(core.size() + 1, 0.0), add_max(core.size() + 1, 0.0);
    for (std::size_t i = core.size(); i-- > 0;) {
      double lo = std::numeric_limits<double>::infinity(), hi = 0;
      for (std::size_t p = 0; p < m; ++p) {
        if (excess[core[i] * m + p] < gap) {
          lo = std::min(lo, work[core[i] * m + p]);
          hi = std::max(hi, work[core[i] * m + p]);
        }
      }
      add_min[i] = add_min[i + 1] + lo;
      add_max[i] = add_max[i + 1] + hi;
    }

    layers.assign(1, std::vector<State>{State{}});
    bool cut = false;
    for (std::size_t i = 0; i < core.size() && !cut; ++i) {
      const std::size_t f = core[i];
      std::vector<State> next;
      const auto& current = layers.back();
      for (std::uint32_t s = 0; s < current.size(); ++s) {
        for (std::size_t p = 0; p < m; ++p) {
          const double e = current[s].excess_g + excess[f * m + p];
          if (!(e < gap)) continue;
          const double w = current[s].work + work[f * m + p];
          if (w + add_min[i + 1] >= need_high || w + add_max[i + 1] < need_low) continue;
          next.push_back({w, current[s].cost_g + cost[f * m + p], e, s, static_cast<std::uint16_t>(p)});
        }
      }
      expansions += next.size();
      // Equal work: the same future, so only the cheapest matters. (Sums of the same works in
      // another order differ in the last bits: equal within 1e-12 of the job.)
      std::sort(next.begin(), next.end(), [](const State& a, const State& b) {
        return a.work != b.work ? a.work < b.work : a.cost_g < b.cost_g;
      });
      std::vector<State> kept;
      for (const State& st : next) {
        if (!kept.empty() && st.work - kept.back().work <= 1e-12 * work_units) {
          if (st.cost_g < kept.back().cost_g) kept.back() = st;
          continue;
        }
        kept.push_back(st);
      }
      if (kept.size() > kMaxStates || expansions > kMaxExpansions) cut = true;
      layers.push_back(std::move(kept));
    }
    if (cut) {
      exhaustive = false;
      unsearched_bound = std::min(unsearched_bound, bounds[last].lower_g);
      continue;
    }

    // Finish in `last`: the cheapest limit that does the rest in time.
    const auto& finals = layers.back();
    for (std::uint32_t s = 0; s < finals.size(); ++s) {
      const double rest = work_units - fixed_work - finals[s].work;
      if (!(rest > 0)) continue;
      for (std::size_t p = 0; p < m; ++p) {
        if (rest > work[last * m + p] + 1e-10 * work_units) continue;  // rounding, as in the sweep
        const double carbon = fixed_cost + finals[s].cost_g + rest * unit_cost[last * m + p];
        if (!(carbon < incumbent - tolerance)) continue;
        incumbent = carbon;
        improved = true;
        best_points.assign(choice.begin(), choice.begin() + static_cast<std::ptrdiff_t>(last));
        std::uint32_t at = s;
        for (std::size_t i = core.size(); i-- > 0;) {
          const State& st = layers[i + 1][at];
          best_points[core[i]] = st.point;
          at = st.parent;
        }
        best_points.push_back(p);
        double start_s = 0;
        for (std::size_t f = 0; f < last; ++f) start_s += frames[f].duration_s;
        best_time = start_s + rest / all[p].rate_per_s;
      }
    }
  }
  if (improved) {
    plan.points = best_points;
    plan.carbon_g = incumbent;
    plan.time_s = best_time;
  }
  // Every plan ending where the search finished is no better than the incumbent; elsewhere
  // the Lagrangian bound holds.
  plan.lower_bound_g = std::min(plan.carbon_g, unsearched_bound);
  return exhaustive;
}

}  // namespace chase
