#include "control/plan/plan_certificate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

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

// Per frame f and limit p (at index f × limits + p): the work done there (units), its carbon
// (g), and the carbon of one unit of work done there (g). Tabulated once: the bounds and every
// end frame's search read them many times.
struct FrameLimitTable {
  std::size_t frames = 0;
  std::size_t limits = 0;
  std::vector<double> work;
  std::vector<double> cost_g;
  std::vector<double> unit_cost_g;

  std::size_t at(std::size_t f, std::size_t p) const { return f * limits + p; }
  // carbon − v·work: what limit p costs in frame f when a unit of work is worth v grams.
  double priced_g(std::size_t f, std::size_t p, double v) const { return cost_g[at(f, p)] - v * work[at(f, p)]; }
  // m_f(v): the least of priced_g over the frame's limits.
  double least_priced_g(std::size_t f, double v) const {
    double least = std::numeric_limits<double>::infinity();
    for (std::size_t p = 0; p < limits; ++p) least = std::min(least, priced_g(f, p, v));
    return least;
  }
};

FrameLimitTable tabulate(const OperatingPoints& points, std::span<const PlanFrame> frames) {
  const auto& all = points.all();
  const std::size_t n = frames.size();
  const std::size_t m = all.size();
  FrameLimitTable t{n, m, std::vector<double>(n * m), std::vector<double>(n * m), std::vector<double>(n * m)};
  for (std::size_t f = 0; f < n; ++f) {
    for (std::size_t p = 0; p < m; ++p) {
      t.work[t.at(f, p)] = frames[f].duration.seconds() * all[p].rate_per_s;
      t.cost_g[t.at(f, p)] =
          frames[f].duration.seconds() * all[p].power.watts() * frames[f].intensity.g_per_kwh() / kJoulesPerKwh;
      t.unit_cost_g[t.at(f, p)] = frames[f].intensity.g_per_kwh() * all[p].energy_per_unit.joules() / kJoulesPerKwh;
    }
  }
  return t;
}

// LB_K and the price v that gave it.
struct EndBound {
  double lower_g = -std::numeric_limits<double>::infinity();
  double price_g = 0;
};

// min(0, min over limits of capacity · (unit carbon − v)): the least the part of the work done
// in end frame k can add to the bound at price v (none at all if it pays to do no work there).
double end_frame_term_g(const FrameLimitTable& t, std::size_t k, double v) {
  double end = 0;
  for (std::size_t p = 0; p < t.limits; ++p) end = std::min(end, t.work[t.at(k, p)] * (t.unit_cost_g[t.at(k, p)] - v));
  return end;
}

// LB_K(v) = Σ_{f<K} m_f(v) + v·W + end_frame_term_g(K, v), maximised over a grid of prices
// for every K at once (see plan_certificate.hpp).
std::vector<EndBound> lagrangian_bounds(const FrameLimitTable& t, double work_units, double work_value_g) {
  std::vector<EndBound> bounds(t.frames);
  for (int step = 0; step < kPriceSteps; ++step) {
    const double v = work_value_g * std::pow(kPriceSpan, 2.0 * step / (kPriceSteps - 1) - 1.0);
    double before = 0;
    for (std::size_t k = 0; k < t.frames; ++k) {
      const double lower = before + v * work_units + end_frame_term_g(t, k, v);
      if (lower > bounds[k].lower_g) bounds[k] = {lower, v};
      before += t.least_priced_g(k, v);
    }
  }
  return bounds;
}

// The frames the job could end in with less carbon than the incumbent, most promising (lowest
// bound) first: searching them first improves the incumbent early, which shrinks later cores.
std::vector<std::size_t> promising_ends(const std::vector<EndBound>& bounds, double incumbent_g, double tolerance_g) {
  std::vector<std::size_t> ends;
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    if (incumbent_g - tolerance_g - bounds[k].lower_g > 0) ends.push_back(k);
  }
  std::sort(ends.begin(), ends.end(),
            [&](std::size_t a, std::size_t b) { return bounds[a].lower_g < bounds[b].lower_g; });
  return ends;
}

// One partial plan over the core frames decided so far; `parent` and `point` lead back
// through the layers to the limits chosen.
struct CoreState {
  double work = 0;      // done by the core frames so far
  double cost_g = 0;    // their carbon
  double excess_g = 0;  // Σρ over them
  std::uint32_t parent = 0;
  std::uint16_t point = 0;
};

// Of the states with equal work (the same future), only the cheapest matters. Sums of the same
// works in another order differ in the last bits: equal within 1e-12 of the job.
std::vector<CoreState> merge_equal_work(std::vector<CoreState>& next, double work_units) {
  std::sort(next.begin(), next.end(), [](const CoreState& a, const CoreState& b) {
    return a.work != b.work ? a.work < b.work : a.cost_g < b.cost_g;
  });
  std::vector<CoreState> kept;
  for (const CoreState& st : next) {
    if (!kept.empty() && st.work - kept.back().work <= 1e-12 * work_units) {
      if (st.cost_g < kept.back().cost_g) kept.back() = st;
      continue;
    }
    kept.push_back(st);
  }
  return kept;
}

// The frames before an end frame, split by the limits the gap leaves them: the fixed ones
// (one limit left) are summed up, the core is searched.
struct FixedFrames {
  double work = 0;
  double cost_g = 0;
};

// How much work the core frames may do between them: the job must still be running at the
// start of the end frame and finish inside it; the frames not yet decided bound what can follow.
struct WorkReach {
  double need_low = 0;
  double need_high = 0;
  std::vector<double> add_min;  // add_min[i]: the least core frames i.. can still add
  std::vector<double> add_max;  // add_max[i]: the most they can
};

// The search over every end frame, keeping the best plan found (the incumbent).
class CoreSearch {
 public:
  CoreSearch(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
             const FrameLimitTable& table, const CarbonPlan& plan);
  double incumbent_g() const { return incumbent_g_; }
  double tolerance_g() const { return tolerance_g_; }
  // Finds the cheapest plan that ends in `last`, if it beats the incumbent.
  void search_end(std::size_t last, const EndBound& bound);
  // Writes the better plan (if found) and the lower bound to `plan`; true when every end
  // frame was searched to the end.
  bool write_to(CarbonPlan& plan) const;

 private:
  void price_excess(std::size_t last, double v);
  FixedFrames split_core(std::size_t last, double gap_g);
  WorkReach work_reach(std::size_t last, double gap_g, double fixed_work) const;
  bool search_core(double gap_g, const WorkReach& reach);
  std::vector<CoreState> expand_layer(std::size_t i, double gap_g, const WorkReach& reach);
  void finish_in(std::size_t last, const FixedFrames& fixed);
  void take_incumbent(std::size_t last, std::uint32_t state, std::size_t p, double rest, double carbon_g);
  void give_up(const EndBound& bound);

  const OperatingPoints* points_;
  std::span<const PlanFrame> frames_;
  double work_units_;
  const FrameLimitTable* table_;
  double incumbent_g_;
  double tolerance_g_;  // improvements within it are rounding
  bool exhaustive_ = true;
  double unsearched_bound_g_ = std::numeric_limits<double>::infinity();  // least LB_K of the K cut short
  bool improved_ = false;
  std::size_t expansions_ = 0;
  std::vector<std::size_t> best_points_;
  double best_time_s_;
  std::vector<double> excess_g_;              // ρ_f(l), at table.at(f, l)
  std::vector<std::size_t> choice_;           // per frame, the (last) limit the gap leaves it
  std::vector<std::size_t> core_;             // the frames with more than one limit left
  std::vector<std::vector<CoreState>> layers_;  // layers_[i + 1]: states after core frame i
};

CoreSearch::CoreSearch(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                       const FrameLimitTable& table, const CarbonPlan& plan)
    : points_(&points), frames_(frames), work_units_(work_units), table_(&table), incumbent_g_(plan.carbon.grams()),
      tolerance_g_(1e-12 * plan.carbon.grams()), best_time_s_(plan.time.seconds()), excess_g_(table.work.size()),
      choice_(table.frames) {}

void CoreSearch::search_end(std::size_t last, const EndBound& bound) {
  const double gap_g = incumbent_g_ - tolerance_g_ - bound.lower_g;
  if (!(gap_g > 0)) return;  // the incumbent improved meanwhile
  price_excess(last, bound.price_g);
  const FixedFrames fixed = split_core(last, gap_g);
  if (core_.size() > kMaxCoreFrames || !search_core(gap_g, work_reach(last, gap_g, fixed.work))) {
    give_up(bound);
    return;
  }
  finish_in(last, fixed);
}

// ρ_f(l) for the frames before `last` at price v: how much worse limit l is than the frame's best.
void CoreSearch::price_excess(std::size_t last, double v) {
  const FrameLimitTable& t = *table_;
  for (std::size_t f = 0; f < last; ++f) {
    const double least = t.least_priced_g(f, v);
    for (std::size_t p = 0; p < t.limits; ++p) excess_g_[t.at(f, p)] = t.priced_g(f, p, v) - least;
  }
}

// A limit whose excess alone reaches the gap cannot be in a cheaper plan: frames with one
// limit left are fixed, the others form the core.
FixedFrames CoreSearch::split_core(std::size_t last, double gap_g) {
  const FrameLimitTable& t = *table_;
  core_.clear();
  FixedFrames fixed;
  for (std::size_t f = 0; f < last; ++f) {
    std::size_t options = 0;
    for (std::size_t p = 0; p < t.limits; ++p) {
      if (excess_g_[t.at(f, p)] < gap_g) {
        ++options;
        choice_[f] = p;
      }
    }
    if (options > 1) {
      core_.push_back(f);
    } else {
      fixed.work += t.work[t.at(f, choice_[f])];
      fixed.cost_g += t.cost_g[t.at(f, choice_[f])];
    }
  }
  return fixed;
}

WorkReach CoreSearch::work_reach(std::size_t last, double gap_g, double fixed_work) const {
  const FrameLimitTable& t = *table_;
  WorkReach reach;
  reach.need_low = work_units_ - fixed_work - points_->fastest().rate_per_s * frames_[last].duration.seconds();
  reach.need_high = work_units_ - fixed_work;
  reach.add_min.assign(core_.size() + 1, 0.0);
  reach.add_max.assign(core_.size() + 1, 0.0);
  for (std::size_t i = core_.size(); i-- > 0;) {
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (std::size_t p = 0; p < t.limits; ++p) {
      if (excess_g_[t.at(core_[i], p)] < gap_g) {
        lo = std::min(lo, t.work[t.at(core_[i], p)]);
        hi = std::max(hi, t.work[t.at(core_[i], p)]);
      }
    }
    reach.add_min[i] = reach.add_min[i + 1] + lo;
    reach.add_max[i] = reach.add_max[i + 1] + hi;
  }
  return reach;
}

// The exact search by work done, one layer per core frame. False when an effort cap cut it.
bool CoreSearch::search_core(double gap_g, const WorkReach& reach) {
  layers_.assign(1, std::vector<CoreState>{CoreState{}});
  for (std::size_t i = 0; i < core_.size(); ++i) {
    std::vector<CoreState> next = expand_layer(i, gap_g, reach);
    std::vector<CoreState> kept = merge_equal_work(next, work_units_);
    const bool cut = kept.size() > kMaxStates || expansions_ > kMaxExpansions;
    layers_.push_back(std::move(kept));
    if (cut) return false;
  }
  return true;
}

// Every limit of core frame i after every state of the last layer, unless its excess reaches
// the gap or its work can no longer end the job inside the end frame.
std::vector<CoreState> CoreSearch::expand_layer(std::size_t i, double gap_g, const WorkReach& reach) {
  const FrameLimitTable& t = *table_;
  const std::size_t f = core_[i];
  std::vector<CoreState> next;
  const auto& current = layers_.back();
  for (std::uint32_t s = 0; s < current.size(); ++s) {
    for (std::size_t p = 0; p < t.limits; ++p) {
      const double e = current[s].excess_g + excess_g_[t.at(f, p)];
      if (!(e < gap_g)) continue;
      const double w = current[s].work + t.work[t.at(f, p)];
      if (w + reach.add_min[i + 1] >= reach.need_high || w + reach.add_max[i + 1] < reach.need_low) continue;
      next.push_back({w, current[s].cost_g + t.cost_g[t.at(f, p)], e, s, static_cast<std::uint16_t>(p)});
    }
  }
  expansions_ += next.size();
  return next;
}

// Finish in `last` after each final state: the cheapest limit that does the rest in time.
void CoreSearch::finish_in(std::size_t last, const FixedFrames& fixed) {
  const FrameLimitTable& t = *table_;
  const auto& finals = layers_.back();
  for (std::uint32_t s = 0; s < finals.size(); ++s) {
    const double rest = work_units_ - fixed.work - finals[s].work;
    if (!(rest > 0)) continue;
    for (std::size_t p = 0; p < t.limits; ++p) {
      if (rest > t.work[t.at(last, p)] + kPlanWorkTolerance * work_units_) continue;  // rounding, as in the sweep
      const double carbon_g = fixed.cost_g + finals[s].cost_g + rest * t.unit_cost_g[t.at(last, p)];
      if (!(carbon_g < incumbent_g_ - tolerance_g_)) continue;
      take_incumbent(last, s, p, rest, carbon_g);
    }
  }
}

// The plan of final state `state`: fixed frames at their one limit, core frames at the limits
// their states chose (back through the layers), and `p` in the end frame.
void CoreSearch::take_incumbent(std::size_t last, std::uint32_t state, std::size_t p, double rest, double carbon_g) {
  incumbent_g_ = carbon_g;
  improved_ = true;
  best_points_.assign(choice_.begin(), choice_.begin() + static_cast<std::ptrdiff_t>(last));
  std::uint32_t at = state;
  for (std::size_t i = core_.size(); i-- > 0;) {
    const CoreState& st = layers_[i + 1][at];
    best_points_[core_[i]] = st.point;
    at = st.parent;
  }
  best_points_.push_back(p);
  double start_s = 0;
  for (std::size_t f = 0; f < last; ++f) start_s += frames_[f].duration.seconds();
  best_time_s_ = start_s + rest / points_->all()[p].rate_per_s;
}

// A plan ending in this frame may still be cheaper; only the Lagrangian bound holds there.
void CoreSearch::give_up(const EndBound& bound) {
  exhaustive_ = false;
  unsearched_bound_g_ = std::min(unsearched_bound_g_, bound.lower_g);
}

bool CoreSearch::write_to(CarbonPlan& plan) const {
  if (improved_) {
    plan.points = best_points_;
    plan.carbon = Mass::grams(incumbent_g_);
    plan.time = Duration::seconds(best_time_s_);
  }
  // Every plan ending where the search finished is no better than the incumbent; elsewhere
  // the Lagrangian bound holds.
  plan.lower_bound = Mass::grams(std::min(plan.carbon.grams(), unsearched_bound_g_));
  return exhaustive_;
}

}  // namespace

bool certify_plan(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                  double work_value_g, CarbonPlan& plan) {
  if (!plan.feasible || frames.empty()) return false;
  const FrameLimitTable table = tabulate(points, frames);
  const std::vector<EndBound> bounds = lagrangian_bounds(table, work_units, work_value_g);
  CoreSearch search(points, frames, work_units, table, plan);
  for (const std::size_t last : promising_ends(bounds, search.incumbent_g(), search.tolerance_g())) {
    search.search_end(last, bounds[last]);
  }
  return search.write_to(plan);
}

}  // namespace chase
