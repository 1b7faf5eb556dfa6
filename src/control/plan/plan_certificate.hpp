#pragma once
// The last step of the offline optimum: prove a plan optimal, or find the better one.
//
// For any price v of work (grams per unit), a plan that runs frames 0..K−1 whole and ends in
// frame K with R units there costs exactly
//     Σ_{f<K} m_f(v) + v·W + R·(CI_K·E(l_K) − v) + Σ_{f<K} ρ_f(l_f),
// where m_f(v) is the least of carbon − v·work over the limits of frame f and ρ_f(l) ≥ 0 is how
// much worse limit l is than that least. Dropping the ρ and taking the best R gives a lower
// bound LB_K for every plan that ends in frame K; a plan cheaper than the incumbent must keep
// Σρ below the incumbent − LB_K, which excludes every limit of every frame except those
// near the price's threshold. Over those few ("the core"), an exact search by work done
// decides; every other frame has only one limit left.
//
// With the price of the incumbent's own Lagrangian the gaps are a fraction of a frame's
// carbon, so the cores are small; the search is capped, and reports when the cap cut it short.

#include <span>

#include "control/operating_points.hpp"
#include "control/plan/carbon_plan.hpp"

namespace chase {

// Replaces `plan` (feasible, from the same frames and work) by an optimal one. Returns false
// when a core was too large to search exhaustively (the plan is then only improved, if at all);
// plan.lower_bound then says how far from the optimum it can be. `work_value_g` is the price
// of one unit of work in grams (where the planner's sweep stopped) that the bounds start from.
bool certify_plan(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units,
                  double work_value_g, CarbonPlan& plan);

}  // namespace chase
