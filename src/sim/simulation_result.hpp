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
  Duration run_time;          // how long the job ran in the frame (less in the last one)
  Duration length;            // the frame's length on the grid
  Power limit;
  CarbonIntensity predicted;  // what the policy was told
  CarbonIntensity actual;     // the true mean over the part the job ran
  Energy energy;
  Mass carbon;
};

struct SimulationResult {
  std::string policy;
  Duration time;              // from the start to the end of the job
  Energy energy;
  Mass carbon;
  double work_units = 0;      // in the profile's units
  std::size_t frame_count = 0;
  std::vector<SimulatedFrame> frames;  // empty unless record_frames

  // How long the job ran at each limit (W → time), highest limit first; from the frames.
  std::map<double, Duration, std::greater<>> time_per_limit() const;
};

}  // namespace chase
