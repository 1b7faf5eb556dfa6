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

#include <cstddef>
#include <span>
#include <vector>

#include "control/operating_points.hpp"

namespace chase {

struct PlanFrame {
  double duration_s = 0;         // usable length: the last frame may be cut by the deadline
  double intensity_g_per_kwh = 0;  // the frame's mean intensity
};

struct CarbonPlan {
  bool feasible = false;            // false: even the fastest limit cannot finish in the frames
  std::vector<std::size_t> points;  // index into OperatingPoints::all(), one per frame run
  double carbon_g = 0;
  double time_s = 0;                // from the start of the first frame to the end of the job
  bool proven_optimal = false;      // the exact search over the core finished (plan_certificate.hpp)
  double lower_bound_g = 0;         // no plan emits less (= carbon_g when proven optimal)
};

CarbonPlan plan_min_carbon(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units);

}  // namespace chase
