#pragma once
// The offline optimum: given the true mean intensity of every frame from the job's start up to
// its deadline, the limit for each frame that finishes the job's work by the deadline with the
// least carbon. No pausing: the job runs in every frame from the first until it is done, and
// the frame in which it finishes is used only in part.
//
// Method (a Lagrangian sweep). With a price v (grams of CO2e per unit of work), the best limit
// for a frame of intensity c maximises v·rate − c·power, which picks a point of the (power,
// rate) frontier; lowering v moves frames one frontier step slower, frame by frame, in order of
// the price at which each step stops paying (c × the step's marginal energy). The sweep
// evaluates every plan on that path exactly — the frame where the work runs out, and the
// cheapest limit that finishes it there — and keeps the cheapest plan that meets the deadline.
// Moving frames one at a time (rather than all frames of a price at once) splits ties between
// equally dirty frames, which is where a discrete plan loses against the continuous optimum.
//
// The best plan on the path leaves up to one step's time unused; single-frame changes fill it
// (off the frontier too), then a small exact knapsack over the changes nearest the stopping
// price, and finally plan_certificate.hpp either proves the plan optimal or searches the few
// frames whose limit is still in doubt exhaustively (within effort caps). On 120 random small
// jobs the result equals brute force; on the policy benchmark no online policy beat it in more
// than 0.01 % of the runs, by at most 0.02 % (BENCHMARKS.md).

#include <span>

#include "control/operating_points.hpp"
#include "control/plan/carbon_plan.hpp"

namespace chase {

// `frames` in time order from the job's start; `work_units` in the units of the points' rates
// (rate_per_s × seconds). A job that cannot finish in the frames gives a plan with
// feasible = false (not an error: the caller decides what to do then).
CarbonPlan plan_min_carbon(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units);

}  // namespace chase
