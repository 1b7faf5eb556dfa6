#include "control/plan/carbon_planner.hpp"

#include "control/plan/plan_certificate.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace chase {
namespace {

// Prefix sums of work and carbon per frame under point updates (a Fenwick tree over pairs).
class PrefixSums {
 public:
  explicit PrefixSums(std::size_t n) : work_(n + 1, 0.0), carbon_(n + 1, 0.0), top_(std::bit_floor(n + 1)) {}

  void add(std::size_t frame, double work, double carbon_g) {
    for (std::size_t i = frame + 1; i < work_.size(); i += i & (~i + 1)) {
      work_[i] += work;
      carbon_[i] += carbon_g;
    }
  }
  // The number of leading frames whose work sums to less than `target`, with those sums.
  std::size_t count_below(double target, double& work_sum, double& carbon_sum) const {
    std::size_t pos = 0;
    work_sum = 0;
    carbon_sum = 0;
    for (std::size_t step = top_; step > 0; step >>= 1) {
      const std::size_t next = pos + step;
      if (next < work_.size() && work_sum + work_[next] < target) {
        pos = next;
        work_sum += work_[next];
        carbon_sum += carbon_[next];
      }
    }
    return pos;
  }

 private:
  std::vector<double> work_;
  std::vector<double> carbon_;
  std::size_t top_;
};

// Sums of per-frame work carry rounding: a job "finishes" in a frame when what is left exceeds
// the frame's capacity by no more than this share of the job (a few microseconds of a day).
constexpr double kWorkTolerance = 1e-10;

struct Move {
  double price;  // intensity × marginal energy: below this price the frame steps slower
  std::uint32_t frame;
  std::uint32_t step;  // from frontier point `step` to `step + 1`
};

struct Evaluation {
  bool feasible = false;
  double carbon_g = 0;
  double time_s = 0;
  std::size_t last_frame = 0;
  std::size_t last_point = 0;  // index into all()
  double last_units = 0;       // work done in the last frame
};

bool better(const Evaluation& a, const Evaluation& b) {
  if (!a.feasible) return false;
  if (!b.feasible) return true;
  if (a.carbon_g != b.carbon_g) return a.carbon_g < b.carbon_g;
  return a.time_s < b.time_s;
}

class Sweep {
 public:
  Sweep(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units)
      : points_(&points), frames_(frames), work_units_(work_units), sums_(frames.size()),
        frontier_step_(frames.size(), 0), point_(frames.size(), 0), frame_start_s_(frames.size() + 1, 0.0) {
    for (const auto& f : points.frontier()) frontier_in_all_.push_back(index_in_all(f.limit));
    for (std::size_t f = 0; f < frames.size(); ++f) {
      frame_start_s_[f + 1] = frame_start_s_[f] + frames[f].duration_s;
      point_[f] = frontier_in_all_[0];
      sums_.add(f, work(f, point_[f]), carbon(f, point_[f]));
    }
  }

  double work(std::size_t f, std::size_t p) const { return frames_[f].duration_s * points_->all()[p].rate_per_s; }
  double carbon(std::size_t f, std::size_t p) const {
    return frames_[f].duration_s * points_->all()[p].power.watts() * frames_[f].intensity_g_per_kwh / kJoulesPerKwh;
  }

  // Frame f runs at point p (index into all()).
  void set(std::size_t f, std::size_t p) {
    const std::size_t old = point_[f];
    sums_.add(f, work(f, p) - work(f, old), carbon(f, p) - carbon(f, old));
    point_[f] = p;
  }
  void apply(const Move& m) {
    frontier_step_[m.frame] = m.step + 1;
    set(m.frame, frontier_in_all_[m.step + 1]);
  }
  std::size_t point(std::size_t f) const { return point_[f]; }
  std::size_t frame_count() const { return frames_.size(); }
  const PlanFrame& frame(std::size_t f) const { return frames_[f]; }
  double horizon_s() const { return frame_start_s_.back(); }

  // The job ends in the frame where its work runs out, and that frame may run any limit that
  // finishes the rest within it (the least energy per unit is cheapest at the frame's
  // intensity). So the job may also end one frame earlier than the frames' own limits say, if
  // a faster limit there finishes it.
  Evaluation evaluate() const {
    double work_before = 0;
    double carbon_before = 0;
    const std::size_t k = sums_.count_below(work_units_, work_before, carbon_before);
    Evaluation best;
    if (k < frames_.size()) consider_last(k, work_before, carbon_before, best);
    if (k > 0) {
      const std::size_t f = k - 1;
      consider_last(f, work_before - work(f, point_[f]), carbon_before - carbon(f, point_[f]), best);
    }
    return best;
  }

  std::size_t index_in_all(Power limit) const {
    const auto& all = points_->all();
    for (std::size_t p = 0; p < all.size(); ++p) {
      if (all[p].limit == limit) return p;
    }
    return 0;
  }

 private:
  void consider_last(std::size_t last, double work_before, double carbon_before, Evaluation& best) const {
    const double remaining = std::max(0.0, work_units_ - work_before);
    const PlanFrame& frame = frames_[last];
    const auto& all = points_->all();
    std::size_t chosen = all.size();
    for (std::size_t p = 0; p < all.size(); ++p) {
      if (remaining > all[p].rate_per_s * frame.duration_s + kWorkTolerance * work_units_) continue;
      if (chosen == all.size() || all[p].energy_per_unit < all[chosen].energy_per_unit ||
          (all[p].energy_per_unit == all[chosen].energy_per_unit && all[p].rate_per_s > all[chosen].rate_per_s)) {
        chosen = p;
      }
    }
    if (chosen == all.size()) return;
    Evaluation e;
    e.feasible = true;
    e.last_frame = last;
    e.last_point = chosen;
    e.last_units = remaining;
    e.carbon_g = carbon_before +
                 remaining * all[chosen].energy_per_unit.joules() * frame.intensity_g_per_kwh / kJoulesPerKwh;
    e.time_s = frame_start_s_[last] + remaining / all[chosen].rate_per_s;
    if (better(e, best)) best = e;
  }

  const OperatingPoints* points_;
  std::span<const PlanFrame> frames_;
  double work_units_;
  PrefixSums sums_;
  std::vector<std::size_t> frontier_in_all_;
  std::vector<std::size_t> frontier_step_;  // frontier index per frame, while sweeping
  std::vector<std::size_t> point_;          // index into all() per frame
  std::vector<double> frame_start_s_;
};


// The sweep moves whole frontier steps, so the best plan on its path leaves up to one step's
// time unused before the deadline. Fill it: every single-frame change to a slower limit (off the
// frontier too) saves carbon in its frame and pushes work to the end of the job, where it costs
// the last frame's carbon and time; take the changes that save most per second of slack first,
// each checked exactly.
struct SlackCandidate {
  double saving_per_s;
  double least_time_s;  // slack it takes if the last frame runs at the fastest limit
  std::size_t frame;
  std::size_t point;
};

struct SlackCandidates {
  std::vector<SlackCandidate> by_saving;  // best saving per second first
  std::vector<double> least_time_after;   // least_time_after[i]: min least_time_s over [i, end)
};

SlackCandidates slack_candidates(const Sweep& sweep, const Evaluation& best, const OperatingPoints& points) {
  const auto& all = points.all();
  const OperatingPoint& last = all[best.last_point];
  const double end_carbon_per_unit =
      sweep.frame(best.last_frame).intensity_g_per_kwh * last.energy_per_unit.joules() / kJoulesPerKwh;
  const double fastest_rate = points.fastest().rate_per_s;
  SlackCandidates out;
  for (std::size_t f = 0; f < best.last_frame; ++f) {
    const PlanFrame& frame = sweep.frame(f);
    const OperatingPoint& now = all[sweep.point(f)];
    for (std::size_t q = 0; q < all.size(); ++q) {
      if (!(all[q].rate_per_s < now.rate_per_s)) continue;
      const double deferred_units = frame.duration_s * (now.rate_per_s - all[q].rate_per_s);
      const double saved_g =
          frame.duration_s * frame.intensity_g_per_kwh * (now.power.watts() - all[q].power.watts()) / kJoulesPerKwh;
      const double net_g = saved_g - deferred_units * end_carbon_per_unit;
      if (net_g <= 0) continue;
      out.by_saving.push_back({net_g * last.rate_per_s / deferred_units, deferred_units / fastest_rate, f, q});
    }
  }
  // The slack is at most a frontier step: the best hundred or so changes are all it can hold.
  constexpr std::size_t kKept = 96;
  const std::size_t kept = std::min(kKept, out.by_saving.size());
  std::partial_sort(out.by_saving.begin(), out.by_saving.begin() + static_cast<std::ptrdiff_t>(kept),
                    out.by_saving.end(),
                    [](const SlackCandidate& a, const SlackCandidate& b) { return a.saving_per_s > b.saving_per_s; });
  out.by_saving.resize(kept);
  out.least_time_after.assign(out.by_saving.size() + 1, std::numeric_limits<double>::infinity());
  for (std::size_t i = out.by_saving.size(); i-- > 0;) {
    out.least_time_after[i] = std::min(out.least_time_after[i + 1], out.by_saving[i].least_time_s);
  }
  return out;
}

// Frames in `keep` are not changed.
void fill_slack(Sweep& sweep, Evaluation& best, const OperatingPoints& points, const SlackCandidates& candidates,
                const std::vector<std::size_t>& keep = {}) {
  const auto& all = points.all();
  const double fastest_rate = points.fastest().rate_per_s;
  std::vector<bool> changed(sweep.frame_count(), false);
  for (const std::size_t f : keep) changed[f] = true;
  for (std::size_t i = 0; i < candidates.by_saving.size(); ++i) {
    const SlackCandidate& c = candidates.by_saving[i];
    // The last frame may also switch to a faster limit to make room, so the slack that can
    // be had is what is left if it ran at the fastest one.
    const double slack_s = sweep.horizon_s() - best.time_s +
                           best.last_units * (1.0 / all[best.last_point].rate_per_s - 1.0 / fastest_rate);
    if (candidates.least_time_after[i] > slack_s) break;
    if (c.least_time_s > slack_s || c.frame >= best.last_frame || changed[c.frame]) continue;
    const std::size_t before = sweep.point(c.frame);
    sweep.set(c.frame, c.point);
    const Evaluation e = sweep.evaluate();
    if (better(e, best) && e.carbon_g < best.carbon_g) {
      best = e;
      changed[c.frame] = true;
    } else {
      sweep.set(c.frame, before);
    }
  }
}

// What is left is a small knapsack: single-frame changes near the price where the plan stops —
// slowing a frame (gains carbon, takes slack) or speeding one up (costs carbon, frees slack) —
// combined so that their time fits the slack. Changes are valued against the job's end (work
// moved to or from the last frame at its limit and intensity); the few most promising of each
// kind go into an exact dynamic programme over (time, gain) Pareto states, and the best
// combinations are checked against the real plan.
void settle_slack(Sweep& sweep, Evaluation& best, const OperatingPoints& points) {
  constexpr std::size_t kEachWay = 14;
  constexpr std::size_t kChecked = 3;
  struct Item {
    double time_s;
    double gain_g;
    double key;
    std::size_t frame;
    std::size_t point;
  };
  const auto& all = points.all();
  const OperatingPoint& last = all[best.last_point];
  const double end_carbon_per_unit =
      sweep.frame(best.last_frame).intensity_g_per_kwh * last.energy_per_unit.joules() / kJoulesPerKwh;
  std::vector<Item> slower;
  std::vector<Item> faster;
  for (std::size_t f = 0; f < best.last_frame; ++f) {
    const PlanFrame& frame = sweep.frame(f);
    const OperatingPoint& now = all[sweep.point(f)];
    for (std::size_t q = 0; q < all.size(); ++q) {
      if (all[q].rate_per_s == now.rate_per_s) continue;
      const double deferred_units = frame.duration_s * (now.rate_per_s - all[q].rate_per_s);
      const double time_s = deferred_units / last.rate_per_s;
      const double gain_g = frame.duration_s * frame.intensity_g_per_kwh * (now.power.watts() - all[q].power.watts()) /
                                kJoulesPerKwh -
                            deferred_units * end_carbon_per_unit;
      if (time_s > 0 && gain_g > 0) slower.push_back({time_s, gain_g, gain_g / time_s, f, q});
      if (time_s < 0) faster.push_back({time_s, gain_g, gain_g / time_s, f, q});  // key: carbon per second freed
    }
  }
  const auto take = [](std::vector<Item>& items, std::size_t n, auto&& first) {
    n = std::min(n, items.size());
    std::partial_sort(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(n), items.end(), first);
    items.resize(n);
  };
  take(slower, kEachWay, [](const Item& a, const Item& b) { return a.key > b.key; });
  take(faster, kEachWay, [](const Item& a, const Item& b) { return a.key < b.key; });
  std::vector<Item> items = faster;
  items.insert(items.end(), slower.begin(), slower.end());
  if (items.empty()) return;

  const double fastest_rate = points.fastest().rate_per_s;
  const double slack_s = sweep.horizon_s() - best.time_s + best.last_units * (1.0 / last.rate_per_s - 1.0 / fastest_rate);
  struct State {
    double time_s;
    double gain_g;
    std::uint32_t chosen;
  };
  std::vector<std::uint32_t> conflicts(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (items[i].frame == items[k].frame) conflicts[i] |= std::uint32_t{1} << k;
    }
  }
  double freeable_s = 0;  // what the items not yet considered could still free
  for (const Item& item : items) freeable_s += std::min(0.0, item.time_s);
  std::vector<State> states{{0.0, 0.0, 0}};
  std::vector<State> next;
  for (std::size_t i = 0; i < items.size(); ++i) {
    freeable_s -= std::min(0.0, items[i].time_s);
    next = states;
    for (const State& st : states) {
      if (st.chosen & conflicts[i]) continue;
      next.push_back({st.time_s + items[i].time_s, st.gain_g + items[i].gain_g, st.chosen | (std::uint32_t{1} << i)});
    }
    // Keep the states that can still fit and that no faster state beats.
    std::sort(next.begin(), next.end(), [](const State& a, const State& b) {
      return a.time_s != b.time_s ? a.time_s < b.time_s : a.gain_g > b.gain_g;
    });
    states.clear();
    double best_gain = -std::numeric_limits<double>::infinity();
    for (const State& st : next) {
      if (st.time_s + freeable_s > slack_s || !(st.gain_g > best_gain)) continue;
      states.push_back(st);
      best_gain = st.gain_g;
    }
  }
  std::sort(states.begin(), states.end(), [](const State& a, const State& b) { return a.gain_g > b.gain_g; });
  const Sweep start = sweep;
  for (std::size_t k = 0; k < std::min(kChecked, states.size()); ++k) {
    if (!(states[k].gain_g > 0)) break;
    Sweep trial = start;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (states[k].chosen & (std::uint32_t{1} << i)) trial.set(items[i].frame, items[i].point);
    }
    const Evaluation e = trial.evaluate();
    if (better(e, best) && e.carbon_g < best.carbon_g) {
      sweep = trial;
      best = e;
    }
  }
}

}  // namespace

CarbonPlan plan_min_carbon(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units) {
  const auto& marginal = points.marginal_energy_j_per_unit();
  // Highest price first; among equal prices, earlier frames first, and a frame's own steps in
  // order (its prices decrease with the step, equal only when its intensity is zero). Every
  // step orders the frames the same way (price = intensity × the step's marginal energy), so
  // sort the frames once and merge the steps.
  const auto first = [](const Move& a, const Move& b) {
    if (a.price != b.price) return a.price > b.price;
    if (a.frame != b.frame) return a.frame < b.frame;
    return a.step < b.step;
  };
  std::vector<std::uint32_t> dirtiest_first(frames.size());
  for (std::uint32_t f = 0; f < dirtiest_first.size(); ++f) dirtiest_first[f] = f;
  std::stable_sort(dirtiest_first.begin(), dirtiest_first.end(), [&](std::uint32_t a, std::uint32_t b) {
    return frames[a].intensity_g_per_kwh > frames[b].intensity_g_per_kwh;
  });
  const auto move_at = [&](std::size_t step, std::size_t rank) {
    const std::uint32_t f = dirtiest_first[rank];
    return Move{frames[f].intensity_g_per_kwh * marginal[step], f, static_cast<std::uint32_t>(step)};
  };
  std::vector<Move> moves;
  moves.reserve(frames.size() * marginal.size());
  std::vector<std::size_t> next(marginal.size(), 0);  // per step, the next frame rank to merge
  while (moves.size() < frames.size() * marginal.size()) {
    std::size_t pick = marginal.size();
    for (std::size_t j = 0; j < marginal.size(); ++j) {
      if (next[j] < frames.size() && (pick == marginal.size() || first(move_at(j, next[j]), move_at(pick, next[pick])))) {
        pick = j;
      }
    }
    moves.push_back(move_at(pick, next[pick]++));
  }

  Sweep sweep(points, frames, work_units);
  Evaluation best = sweep.evaluate();
  std::size_t best_moves = 0;
  for (std::size_t k = 0; k < moves.size(); ++k) {
    sweep.apply(moves[k]);
    const Evaluation e = sweep.evaluate();
    // Every move slows the job down, so once it cannot finish, nothing later can.
    if (!e.feasible) break;
    if (better(e, best)) {
      best = e;
      best_moves = k + 1;
    }
  }

  CarbonPlan plan;
  if (!best.feasible) return plan;
  Sweep replay(points, frames, work_units);
  for (std::size_t k = 0; k < best_moves; ++k) replay.apply(moves[k]);
  fill_slack(replay, best, points, slack_candidates(replay, best, points));
  // Each round re-values the changes against the new end of the job.
  for (int round = 0; round < 3; ++round) {
    const double before = best.carbon_g;
    settle_slack(replay, best, points);
    if (!(best.carbon_g < before)) break;
  }
  plan.feasible = true;
  plan.carbon_g = best.carbon_g;
  plan.time_s = best.time_s;
  for (std::size_t f = 0; f < best.last_frame; ++f) plan.points.push_back(replay.point(f));
  plan.points.push_back(best.last_point);
  // The price at which the sweep stopped makes the tightest bound.
  const double stop_price = best_moves > 0 ? moves[best_moves - 1].price : (moves.empty() ? 0.0 : moves.front().price);
  plan.proven_optimal = certify_plan(points, frames, work_units, stop_price / kJoulesPerKwh, plan);
  return plan;
}

}  // namespace chase
