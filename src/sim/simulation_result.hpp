#pragma once
// What a simulated job came to: totals, and (when asked for) every frame.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct SimulatedFrame {
  UtcTime from;
  double run_s = 0;                   // how long the job ran in the frame (less in the last one)
  double frame_s = 0;                 // the frame's length on the grid
  Power limit;
  double predicted_g_per_kwh = 0;     // what the policy was told
  double actual_g_per_kwh = 0;        // the true mean over the part the job ran
  double energy_j = 0;
  double carbon_g = 0;
};

struct SimulationResult {
  std::string policy;
  double time_s = 0;
  double energy_j = 0;
  double carbon_g = 0;
  double work_units = 0;
  std::size_t frame_count = 0;
  std::vector<SimulatedFrame> frames;  // empty unless record_frames

  // How long the job ran at each limit (W → time), highest limit first; from the frames.
  std::map<double, Duration, std::greater<>> time_per_limit() const;
};

}  // namespace chase
