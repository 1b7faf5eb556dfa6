#pragma once
// What the offline planner works on and hands back: the frames from the job's start to its
// deadline, and the limit chosen for each frame the job runs in. Its own header so that the
// planner (carbon_planner.hpp) and the proof of optimality (plan_certificate.hpp) can share the
// types without either including the other's header.

#include <cstddef>
#include <vector>

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

// Sums of per-frame work carry rounding: a job "finishes" in a frame when what is left exceeds
// the frame's capacity by no more than this share of the job (a few microseconds of a day).
// The planner's sweep and the certificate must agree on it, or the certificate could "improve"
// a plan by rounding alone.
inline constexpr double kPlanWorkTolerance = 1e-10;

}  // namespace chase
