#include "control/plan/carbon_planner.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "control/plan/plan_certificate.hpp"
#include "control/plan/plan_slack.hpp"
#include "control/plan/plan_sweep.hpp"

namespace chase {
namespace {

// Highest price first; among equal prices, earlier frames first, and a frame's own steps in
// order (its prices decrease with the step, equal only when its intensity is zero).
bool moves_earlier(const FrontierMove& a, const FrontierMove& b) {
  if (a.price != b.price) return a.price > b.price;
  if (a.frame != b.frame) return a.frame < b.frame;
  return a.step < b.step;
}

// Every frame index, dirtiest first; frames of equal intensity keep their time order.
std::vector<std::uint32_t> frames_dirtiest_first(std::span<const PlanFrame> frames) {
  std::vector<std::uint32_t> dirtiest_first(frames.size());
  for (std::uint32_t f = 0; f < dirtiest_first.size(); ++f) dirtiest_first[f] = f;
  std::stable_sort(dirtiest_first.begin(), dirtiest_first.end(), [&](std::uint32_t a, std::uint32_t b) {
    return frames[a].intensity > frames[b].intensity;
  });
  return dirtiest_first;
}

// The sweep's path: every (frame, frontier step) move in the order moves_earlier. Every step
// orders the frames the same way (price = intensity × the step's marginal energy), so the
// frames are sorted once and the steps' lists merged, instead of sorting frames × steps moves.
std::vector<FrontierMove> moves_by_price(const OperatingPoints& points, std::span<const PlanFrame> frames) {
  const auto& marginal = points.marginal_energy_j_per_unit();
  const std::vector<std::uint32_t> dirtiest_first = frames_dirtiest_first(frames);
  const auto move_at = [&](std::size_t step, std::size_t rank) {
    const std::uint32_t f = dirtiest_first[rank];
    return FrontierMove{frames[f].intensity.g_per_kwh() * marginal[step], f, static_cast<std::uint32_t>(step)};
  };
  std::vector<FrontierMove> moves;
  moves.reserve(frames.size() * marginal.size());
  std::vector<std::size_t> next(marginal.size(), 0);  // per step, the next frame rank to merge
  while (moves.size() < frames.size() * marginal.size()) {
    std::size_t pick = marginal.size();
    for (std::size_t j = 0; j < marginal.size(); ++j) {
      if (next[j] < frames.size() &&
          (pick == marginal.size() || moves_earlier(move_at(j, next[j]), move_at(pick, next[pick])))) {
        pick = j;
      }
    }
    moves.push_back(move_at(pick, next[pick]++));
  }
  return moves;
}

// The best plan on the sweep's path, and how many of its moves lead there.
struct SweepStop {
  PlanEvaluation best;
  std::size_t moves_taken = 0;
};

SweepStop best_on_path(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                       const std::vector<FrontierMove>& moves) {
  PlanSweep sweep(points, frames, work_units);
  SweepStop stop{sweep.evaluate(), 0};
  for (std::size_t k = 0; k < moves.size(); ++k) {
    sweep.apply(moves[k]);
    const PlanEvaluation e = sweep.evaluate();
    // Every move slows the job down, so once it cannot finish, nothing later can.
    if (!e.feasible) break;
    if (is_better(e, stop.best)) {
      stop.best = e;
      stop.moves_taken = k + 1;
    }
  }
  return stop;
}

// Spends the time the sweep's whole steps leave before the deadline (plan_slack.hpp).
void use_slack(PlanSweep& sweep, PlanEvaluation& best, const OperatingPoints& points) {
  fill_slack(sweep, best, points);
  // Each round re-values the changes against the new end of the job.
  for (int round = 0; round < 3; ++round) {
    const double before = best.carbon_g;
    settle_slack(sweep, best, points);
    if (!(best.carbon_g < before)) break;
  }
}

// The price at which the sweep stopped: it makes the certificate's tightest bound.
double stop_price(const std::vector<FrontierMove>& moves, std::size_t moves_taken) {
  if (moves_taken > 0) return moves[moves_taken - 1].price;
  return moves.empty() ? 0.0 : moves.front().price;
}

// The limit of every frame the job runs in: the sweep's before the last frame, the one chosen
// to finish the work in it.
CarbonPlan plan_of(const PlanSweep& sweep, const PlanEvaluation& best) {
  CarbonPlan plan;
  plan.feasible = true;
  // The sweep works in raw grams and seconds; the plan carries them as quantities.
  plan.carbon = Mass::grams(best.carbon_g);
  plan.time = Duration::seconds(best.time_s);
  for (std::size_t f = 0; f < best.last_frame; ++f) plan.points.push_back(sweep.point(f));
  plan.points.push_back(best.last_point);
  return plan;
}

// A plan off the sweep's path: one frontier limit in every frame. When the intensity varies
// over the job by more than the ratio of a limit's two marginal energies, no single price holds
// that limit everywhere and the path only passes near it; yet holding it can be the best plan
// (a budget of exactly that limit's slowdown, what a peer that holds one limit realises).
// Replaces `plan` (and `sweep`) when it is better.
void try_holding_each_limit(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                            PlanSweep& sweep, PlanEvaluation& best) {
  // Every frame one frontier step slower at a time: the sweep holding frontier point step + 1.
  PlanSweep held(points, frames, work_units);
  for (std::uint32_t step = 0; step + 1 < points.frontier().size(); ++step) {
    for (std::uint32_t f = 0; f < frames.size(); ++f) held.apply({0.0, f, step});
    PlanEvaluation e = held.evaluate();
    // A slower limit everywhere only lengthens the job: past the first that cannot finish, none can.
    if (!e.feasible) break;
    PlanSweep candidate = held;  // use_slack changes the limits it is given
    use_slack(candidate, e, points);
    if (is_better(e, best)) {
      best = e;
      sweep = std::move(candidate);
    }
  }
}

}  // namespace

CarbonPlan plan_min_carbon(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units) {
  const std::vector<FrontierMove> moves = moves_by_price(points, frames);
  SweepStop stop = best_on_path(points, frames, work_units, moves);
  if (!stop.best.feasible) return CarbonPlan{};
  // The sweep went on past its best plan: replay the moves that led there.
  PlanSweep replay(points, frames, work_units);
  for (std::size_t k = 0; k < stop.moves_taken; ++k) replay.apply(moves[k]);
  use_slack(replay, stop.best, points);
  try_holding_each_limit(points, frames, work_units, replay, stop.best);
  CarbonPlan plan = plan_of(replay, stop.best);
  // The price in g/kWh × J per unit; the certificate wants grams per unit.
  const double stop_value_g = stop_price(moves, stop.moves_taken) / kJoulesPerKwh;
  plan.proven_optimal = certify_plan(points, frames, work_units, stop_value_g, plan);
  return plan;
}

}  // namespace chase
