#include "control/plan/plan_slack.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace chase {
namespace {

// One frame before the last moved to another limit, valued against the job's end: the work it
// no longer does (or, negative, does more) is done in the last frame instead, at that frame's
// limit and intensity.
struct FrameChange {
  std::size_t frame;
  std::size_t point;      // the new limit: index into all()
  bool slower;            // the new limit's rate is below the frame's present one
  double deferred_units;  // work moved to the last frame (negative: taken from it)
  double gain_g;          // carbon saved in the frame less what the moved work costs at the end
};

// Carbon (g) of one unit of work done in the last frame at its limit.
double end_carbon_per_unit_g(const PlanSweep& sweep, const PlanEvaluation& best, const OperatingPoints& points) {
  return sweep.frame(best.last_frame).intensity.g_per_kwh() * points.all()[best.last_point].energy_per_unit.joules() /
         kJoulesPerKwh;
}

// The last frame may also switch to a faster limit to make room, so the slack that can be had
// is what would be left before the deadline if it ran at the fastest one.
double usable_slack_s(const PlanSweep& sweep, const PlanEvaluation& best, const OperatingPoints& points) {
  const double fastest_rate = points.fastest().rate_per_s;
  return sweep.horizon_s() - best.time_s +
         best.last_units * (1.0 / points.all()[best.last_point].rate_per_s - 1.0 / fastest_rate);
}

// A change is kept only if the plan emits strictly less: ending sooner at the same carbon is
// no reason to leave the plan the sweep found.
bool saves_carbon(const PlanEvaluation& e, const PlanEvaluation& best) {
  return is_better(e, best) && e.carbon_g < best.carbon_g;
}

// Calls visit(FrameChange) for every frame before the last and every limit whose rate differs
// from the frame's present one (a change of the same rate moves no work, so it is no trade).
template <class Visit>
void for_each_frame_change(const PlanSweep& sweep, const PlanEvaluation& best, const OperatingPoints& points,
                           Visit&& visit) {
  const auto& all = points.all();
  const double end_carbon_per_unit = end_carbon_per_unit_g(sweep, best, points);
  for (std::size_t f = 0; f < best.last_frame; ++f) {
    const PlanFrame& frame = sweep.frame(f);
    const OperatingPoint& now = all[sweep.point(f)];
    for (std::size_t q = 0; q < all.size(); ++q) {
      if (all[q].rate_per_s == now.rate_per_s) continue;
      const double deferred_units = frame.duration.seconds() * (now.rate_per_s - all[q].rate_per_s);
      const double saved_g = frame.duration.seconds() * frame.intensity.g_per_kwh() *
                             (now.power.watts() - all[q].power.watts()) / kJoulesPerKwh;
      visit(FrameChange{f, q, all[q].rate_per_s < now.rate_per_s, deferred_units,
                        saved_g - deferred_units * end_carbon_per_unit});
    }
  }
}

// Keeps the first `n` of `items` in the order `first`, sorted.
template <class Item, class Order>
void keep_first(std::vector<Item>& items, std::size_t n, Order first) {
  n = std::min(n, items.size());
  std::partial_sort(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(n), items.end(), first);
  items.resize(n);
}

// --- The greedy pass ---

// A change to a slower limit that saves carbon.
struct SlackCandidate {
  double saving_per_s;  // carbon saved per second of slack, at the last frame's rate
  double least_time_s;  // slack it takes if the last frame runs at the fastest limit
  std::size_t frame;
  std::size_t point;
};

struct SlackCandidates {
  std::vector<SlackCandidate> by_saving;  // best saving per second first
  std::vector<double> least_time_after;   // least_time_after[i]: min least_time_s over [i, end)
};

// The slack is at most a frontier step: the best hundred or so changes are all it can hold.
constexpr std::size_t kSlackCandidatesKept = 96;

SlackCandidates slack_candidates(const PlanSweep& sweep, const PlanEvaluation& best, const OperatingPoints& points) {
  const double last_rate = points.all()[best.last_point].rate_per_s;
  const double fastest_rate = points.fastest().rate_per_s;
  SlackCandidates out;
  for_each_frame_change(sweep, best, points, [&](const FrameChange& c) {
    if (!c.slower || c.gain_g <= 0) return;
    out.by_saving.push_back(
        {c.gain_g * last_rate / c.deferred_units, c.deferred_units / fastest_rate, c.frame, c.point});
  });
  keep_first(out.by_saving, kSlackCandidatesKept,
             [](const SlackCandidate& a, const SlackCandidate& b) { return a.saving_per_s > b.saving_per_s; });
  out.least_time_after.assign(out.by_saving.size() + 1, std::numeric_limits<double>::infinity());
  for (std::size_t i = out.by_saving.size(); i-- > 0;) {
    out.least_time_after[i] = std::min(out.least_time_after[i + 1], out.by_saving[i].least_time_s);
  }
  return out;
}

// --- The knapsack ---

// Slowing a frame gains carbon and takes slack (time_s > 0); speeding one up costs carbon and
// frees slack (time_s < 0).
struct KnapsackItem {
  double time_s;  // slack taken, at the last frame's rate
  double gain_g;
  double key;     // slower: gain per second taken; faster: carbon per second freed
  std::size_t frame;
  std::size_t point;
};

// A combination of items: bit i of `chosen` stands for items[i], so at most 32 items.
struct KnapsackState {
  double time_s;
  double gain_g;
  std::uint32_t chosen;
};

// Items of each kind: the two kinds together must fit a state's 32 bits.
constexpr std::size_t kKnapsackEachWay = 14;
// The knapsack values changes against the job's end as it was; only the best few
// combinations are worth checking against the real plan.
constexpr std::size_t kCombinationsChecked = 3;

// The most promising changes of each kind: those that speed a frame up first, then the ones
// that slow a frame down.
std::vector<KnapsackItem> knapsack_items(const PlanSweep& sweep, const PlanEvaluation& best,
                                         const OperatingPoints& points) {
  const double last_rate = points.all()[best.last_point].rate_per_s;
  std::vector<KnapsackItem> slower;
  std::vector<KnapsackItem> faster;
  for_each_frame_change(sweep, best, points, [&](const FrameChange& c) {
    const double time_s = c.deferred_units / last_rate;
    if (time_s > 0 && c.gain_g > 0) slower.push_back({time_s, c.gain_g, c.gain_g / time_s, c.frame, c.point});
    if (time_s < 0) faster.push_back({time_s, c.gain_g, c.gain_g / time_s, c.frame, c.point});
  });
  keep_first(slower, kKnapsackEachWay, [](const KnapsackItem& a, const KnapsackItem& b) { return a.key > b.key; });
  keep_first(faster, kKnapsackEachWay, [](const KnapsackItem& a, const KnapsackItem& b) { return a.key < b.key; });
  std::vector<KnapsackItem> items = faster;
  items.insert(items.end(), slower.begin(), slower.end());
  return items;
}

// conflicts[i]: the items (as bits) that change the same frame as items[i], itself included;
// a frame runs one limit, so a combination holds at most one of them.
std::vector<std::uint32_t> same_frame_items(const std::vector<KnapsackItem>& items) {
  std::vector<std::uint32_t> conflicts(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (items[i].frame == items[k].frame) conflicts[i] |= std::uint32_t{1} << k;
    }
  }
  return conflicts;
}

// Keeps the states that can still fit (with all the slack the items not yet considered could
// free) and that no faster state beats on gain.
std::vector<KnapsackState> pareto_fitting(std::vector<KnapsackState>& states, double freeable_s, double slack_s) {
  std::sort(states.begin(), states.end(), [](const KnapsackState& a, const KnapsackState& b) {
    return a.time_s != b.time_s ? a.time_s < b.time_s : a.gain_g > b.gain_g;
  });
  std::vector<KnapsackState> kept;
  double best_gain = -std::numeric_limits<double>::infinity();
  for (const KnapsackState& st : states) {
    if (st.time_s + freeable_s > slack_s || !(st.gain_g > best_gain)) continue;
    kept.push_back(st);
    best_gain = st.gain_g;
  }
  return kept;
}

// The exact dynamic programme over (time, gain) Pareto states: every combination that fits the
// slack and that no faster one beats, best gain first.
std::vector<KnapsackState> best_combinations(const std::vector<KnapsackItem>& items, double slack_s) {
  const std::vector<std::uint32_t> conflicts = same_frame_items(items);
  double freeable_s = 0;  // what the items not yet considered could still free
  for (const KnapsackItem& item : items) freeable_s += std::min(0.0, item.time_s);
  std::vector<KnapsackState> states{{0.0, 0.0, 0}};
  for (std::size_t i = 0; i < items.size(); ++i) {
    freeable_s -= std::min(0.0, items[i].time_s);
    std::vector<KnapsackState> next = states;
    for (const KnapsackState& st : states) {
      if (st.chosen & conflicts[i]) continue;
      next.push_back({st.time_s + items[i].time_s, st.gain_g + items[i].gain_g, st.chosen | (std::uint32_t{1} << i)});
    }
    states = pareto_fitting(next, freeable_s, slack_s);
  }
  std::sort(states.begin(), states.end(),
            [](const KnapsackState& a, const KnapsackState& b) { return a.gain_g > b.gain_g; });
  return states;
}

// Tries the best few combinations on copies of the plan as it was; keeps any that emits less.
void apply_checked_combinations(PlanSweep& sweep, PlanEvaluation& best, const std::vector<KnapsackItem>& items,
                                const std::vector<KnapsackState>& by_gain) {
  const PlanSweep start = sweep;
  for (std::size_t k = 0; k < std::min(kCombinationsChecked, by_gain.size()); ++k) {
    if (!(by_gain[k].gain_g > 0)) break;
    PlanSweep trial = start;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (by_gain[k].chosen & (std::uint32_t{1} << i)) trial.set(items[i].frame, items[i].point);
    }
    const PlanEvaluation e = trial.evaluate();
    if (saves_carbon(e, best)) {
      sweep = trial;
      best = e;
    }
  }
}

}  // namespace

void fill_slack(PlanSweep& sweep, PlanEvaluation& best, const OperatingPoints& points) {
  const SlackCandidates candidates = slack_candidates(sweep, best, points);
  // A frame changes at most once: its other candidates were valued from its old limit.
  std::vector<bool> changed(sweep.frame_count(), false);
  for (std::size_t i = 0; i < candidates.by_saving.size(); ++i) {
    const SlackCandidate& c = candidates.by_saving[i];
    const double slack_s = usable_slack_s(sweep, best, points);
    if (candidates.least_time_after[i] > slack_s) break;  // no candidate left fits
    if (c.least_time_s > slack_s || c.frame >= best.last_frame || changed[c.frame]) continue;
    const std::size_t before = sweep.point(c.frame);
    sweep.set(c.frame, c.point);
    const PlanEvaluation e = sweep.evaluate();
    if (saves_carbon(e, best)) {
      best = e;
      changed[c.frame] = true;
    } else {
      sweep.set(c.frame, before);
    }
  }
}

// Changes are valued against the job's end (work moved to or from the last frame at its limit
// and intensity); the few most promising of each kind go into an exact dynamic programme, and
// the best combinations are checked against the real plan.
void settle_slack(PlanSweep& sweep, PlanEvaluation& best, const OperatingPoints& points) {
  const std::vector<KnapsackItem> items = knapsack_items(sweep, best, points);
  if (items.empty()) return;
  const std::vector<KnapsackState> by_gain = best_combinations(items, usable_slack_s(sweep, best, points));
  apply_checked_combinations(sweep, best, items, by_gain);
}

}  // namespace chase
