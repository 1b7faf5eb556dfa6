#pragma once
// The planner's sweep (carbon_planner.hpp) moves whole frontier steps, so the best plan on its
// path leaves up to one step's time unused before the deadline. These two passes spend that
// slack on single-frame changes of limit, off the frontier too; each change is checked exactly
// with the sweep, and kept only if the whole plan emits less. Internal to control/plan/.

#include "control/operating_points.hpp"
#include "control/plan/plan_sweep.hpp"

namespace chase {

// Greedy: the changes that save most carbon per second of slack first. `best` is what
// sweep.evaluate() gives now; both are updated with every change kept.
void fill_slack(PlanSweep& sweep, PlanEvaluation& best, const OperatingPoints& points);

// Exact over a few changes: slowing frames and speeding others up, combined so that their time
// fits the slack (a small knapsack). Same contract as fill_slack.
void settle_slack(PlanSweep& sweep, PlanEvaluation& best, const OperatingPoints& points);

}  // namespace chase
