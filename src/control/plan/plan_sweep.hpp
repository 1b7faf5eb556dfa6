#pragma once
// The offline planner's working state (carbon_planner.hpp): one limit per frame, and what the
// job costs under those limits. The planner changes limits frame by frame, thousands of times
// per plan, and asks after each change where the job ends and what it emits; running sums keep
// that answer cheap. Internal to control/plan/.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "control/operating_points.hpp"
#include "control/plan/carbon_plan.hpp"
#include "control/plan/frame_prefix_sums.hpp"

namespace chase {

// One step of the Lagrangian sweep: frame `frame` moves from frontier point `step` to
// `step + 1` (one step slower).
struct FrontierMove {
  double price;  // intensity (g/kWh) × marginal energy (J per unit): below it the step pays
  std::uint32_t frame;
  std::uint32_t step;  // index into OperatingPoints::frontier()
};

// Where and how the job ends under the sweep's current limits.
struct PlanEvaluation {
  bool feasible = false;       // the work fits in the frames
  double carbon_g = 0;
  double time_s = 0;           // from the start of the first frame to the end of the job
  std::size_t last_frame = 0;  // the frame the job ends in
  std::size_t last_point = 0;  // its limit: index into OperatingPoints::all()
  double last_units = 0;       // work done in the last frame
};

// Less carbon wins, then less time; an infeasible plan never wins.
bool is_better(const PlanEvaluation& a, const PlanEvaluation& b);

class PlanSweep {
 public:
  // Every frame starts at the fastest frontier point. `points` must outlive the sweep, and so
  // must the frames the span shows.
  PlanSweep(const OperatingPoints& points, std::span<const PlanFrame> frames, double work_units);

  // Frame f runs at point p (index into OperatingPoints::all()).
  void set(std::size_t f, std::size_t p);
  // Frame m.frame moves one frontier step slower.
  void apply(const FrontierMove& m);
  // The job ends in the frame where its work runs out, at the limit cheapest there.
  PlanEvaluation evaluate() const;

  std::size_t point(std::size_t f) const { return point_[f]; }
  std::size_t frame_count() const { return frames_.size(); }
  const PlanFrame& frame(std::size_t f) const { return frames_[f]; }
  double horizon_s() const { return frame_start_s_.back(); }

 private:
  double work(std::size_t f, std::size_t p) const;
  double carbon(std::size_t f, std::size_t p) const;
  std::size_t index_in_all(Power limit) const;
  void consider_last(std::size_t last, double work_before, double carbon_before, PlanEvaluation& best) const;

  const OperatingPoints* points_;
  std::span<const PlanFrame> frames_;
  double work_units_;
  FramePrefixSums sums_;
  std::vector<std::size_t> frontier_in_all_;  // index into all() per frontier point
  std::vector<std::size_t> frontier_step_;    // frontier index per frame, while sweeping
  std::vector<std::size_t> point_;            // index into all() per frame
  std::vector<double> frame_start_s_;         // from the start of the first frame; one more than frames
};

}  // namespace chase
