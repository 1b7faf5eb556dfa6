#include "control/plan_certificate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chase {
namespace {

constexpr std::size_t kMaxStates = 20000;

struct State {
  double work = 0;     // done by the core frames so far
  double cost_g = 0;   // their carbon
  double excess_g = 0; // Σρ over them
  std::uint32_t parent = 0;
  std::uint16_t point = 0;
};

}  // namespace

bool certify_plan(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                  double work_value_g, CarbonPlan& plan) {
  if (!plan.feasible || frames.empty()) return false;
  const auto& all = points.all();
  const std::size_t n = frames.size();
  const std::size_t m = all.size();
  const double v = work_value_g;

  // carbon and work of every limit in every frame, and the reduced cost ρ.
  std::vector<double> work(n * m), cost(n * m), excess(n * m);
  std::vector<double> least(n);  // m_f(v)
  for (std::size_t f = 0; f < n; ++f) {
    double lowest = std::numeric_limits<double>::infinity();
    for (std::size_t p = 0; p < m; ++p) {
      work[f * m + p] = frames[f].duration_s * all[p].rate_per_s;
      cost[f * m + p] = frames[f].duration_s * all[p].power.watts() * frames[f].intensity_g_per_kwh / kJoulesPerKwh;
      lowest = std::min(lowest, cost[f * m + p] - v * work[f * m + p]);
    }
    least[f] = lowest;
    for (std::size_t p = 0; p < m; ++p) excess[f * m + p] = cost[f * m + p] - v * work[f * m + p] - lowest;
  }

  double incumbent = plan.carbon_g;
  const double tolerance = 1e-12 * incumbent;
  bool exhaustive = true;
  bool improved = false;
  std::vector<std::size_t> best_points;
  double best_time = plan.time_s;

  double least_before = 0;  // Σ_{f<K} m_f
  std::vector<std::size_t> choice(n);
  std::vector<std::size_t> core;
  std::vector<std::vector<State>> layers;
  for (std::size_t last = 0; last < n; least_before += least[last], ++last) {
    // The best the last frame can do: R·(CI·E − v) at its most negative, over R ≤ its capacity.
    double end_bound = 0;
    for (std::size_t p = 0; p < m; ++p) {
      const double per_unit = frames[last].intensity_g_per_kwh * all[p].energy_per_unit.joules() / kJoulesPerKwh - v;
      end_bound = std::min(end_bound, work[last * m + p] * per_unit);
    }
    const double gap = incumbent - tolerance - (least_before + v * work_units + end_bound);
    if (!(gap > 0)) continue;

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
    for (std::size_t i = 0; i < core.size(); ++i) {
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
      // Equal work: the same future, so only the cheapest matters.
      std::sort(next.begin(), next.end(), [](const State& a, const State& b) {
        return a.work != b.work ? a.work < b.work : a.cost_g < b.cost_g;
      });
      // (Sums of the same works in another order differ in the last bits: equal within 1e-12.)
      std::vector<State> kept;
      for (const State& st : next) {
        if (!kept.empty() && st.work - kept.back().work <= 1e-12 * work_units) {
          if (st.cost_g < kept.back().cost_g) kept.back() = st;
          continue;
        }
        kept.push_back(st);
      }
      if (kept.size() > kMaxStates) {
        exhaustive = false;
        std::nth_element(kept.begin(), kept.begin() + kMaxStates, kept.end(),
                         [](const State& a, const State& b) { return a.excess_g < b.excess_g; });
        kept.resize(kMaxStates);
      }
      layers.push_back(std::move(kept));
    }

    // Finish in `last`: the cheapest limit that does the rest in time.
    const auto& finals = layers.back();
    for (std::uint32_t s = 0; s < finals.size(); ++s) {
      const double rest = work_units - fixed_work - finals[s].work;
      if (!(rest > 0)) continue;
      for (std::size_t p = 0; p < m; ++p) {
        if (rest > work[last * m + p] + 1e-10 * work_units) continue;  // rounding, as in the sweep
        const double carbon = fixed_cost + finals[s].cost_g +
                              rest * frames[last].intensity_g_per_kwh * all[p].energy_per_unit.joules() / kJoulesPerKwh;
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
  return exhaustive;
}

}  // namespace chase
