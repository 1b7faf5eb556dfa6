#pragma once
// What the offline planner works on and hands back: the frames from the job's start to its
// deadline, and the limit chosen for each frame the job runs in. Its own header so that the
// planner (carbon_planner.hpp) and the proof of optimality (plan_certificate.hpp) can share the
// types without either including the other's header.

#include <cstddef>
#include <vector>

#include "core/units.hpp"

namespace chase {

// The planner's loops read these as raw doubles (.seconds(), .g_per_kwh()), which is exact:
// the types store seconds and g/kWh as given.
struct PlanFrame {
  Duration duration;          // usable length: the last frame may be cut by the deadline
  CarbonIntensity intensity;  // the frame's mean intensity
};

struct CarbonPlan {
  bool feasible = false;            // false: even the fastest limit cannot finish in the frames
  std::vector<std::size_t> points;  // index into OperatingPoints::all(), one per frame run
  Mass carbon;
  Duration time;                    // from the start of the first frame to the end of the job
  bool proven_optimal = false;      // the exact search over the core finished (plan_certificate.hpp)
  Mass lower_bound;                 // no plan emits less (= carbon when proven optimal)
};

// Sums of per-frame work carry rounding: a job "finishes" in a frame when what is left exceeds
// the frame's capacity by no more than this share of the job (a few microseconds of a day).
// The planner's sweep and the certificate must agree on it, or the certificate could "improve"
// a plan by rounding alone.
inline constexpr double kPlanWorkTolerance = 1e-10;

}  // namespace chase
