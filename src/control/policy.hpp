#pragma once
// A power-limit policy: at every frame boundary it picks the limit for the frame. One interface
// for the live controller and the simulator; one file per policy, registered by name in
// policy_registry.cpp. No policy pauses the job: every frame runs at some profiled limit.
//
// Slowdown is measured against the `max` baseline on the same inputs: a job of work that takes
// time_at_max at the maximum limit must finish by start + time_at_max × (1 + budget).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "carbon/intensity_trace.hpp"
#include "control/frame_grid.hpp"
#include "control/operating_points.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

// What a policy knows about the job when it starts. The pointed-to objects outlive the run.
struct PolicyJob {
  const OperatingPoints* points = nullptr;
  const FrameGrid* grid = nullptr;        // null: frames follow the intensity feed's own steps
  UtcTime start;
  Duration time_at_max;                   // how long the job takes at the maximum limit
  std::optional<double> slowdown_budget;  // fraction (0.025 = +2.5 %); none: the policy's own trade-off

  double work_units() const { return time_at_max.seconds() * points->max_limit().rate_per_s; }
  std::optional<UtcTime> deadline() const;
};

// What a policy sees at a frame boundary.
struct FrameContext {
  UtcTime from;
  UtcTime until;                 // the next boundary (the job may finish before it)
  CarbonIntensity predicted;     // the forecaster's mean intensity for [from, until)
  double work_done_units = 0;
};

struct PolicyOptions {
  double eta = 0.5;  // Zeus's weight of energy against time in η·Energy + (1−η)·MaxPower·Time
  // The true intensity, past and future: only the offline oracle may use it.
  const IntensityTrace* future = nullptr;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string name() const = 0;
  // Called once before the first frame; a policy may be reused for another job after begin().
  virtual void begin(const PolicyJob& job) = 0;
  // The measured mean intensity of a frame that has ended (also frames before the job's start,
  // when the caller has that history), in time order.
  virtual void observe(UtcTime /*from*/, UtcTime /*until*/, CarbonIntensity /*actual*/) {}
  // The limit for the frame: one of the profile's limits.
  virtual Power decide(const FrameContext& frame) = 0;
};

// Throws InputError naming the known policies for an unknown name, or what a policy lacks
// (the oracle without a future trace).
std::unique_ptr<Policy> make_policy(std::string_view name, const PolicyOptions& options = {});
std::vector<std::string> policy_names();

}  // namespace chase
