#include "sim/simulation_result.hpp"

namespace chase {

std::map<double, Duration, std::greater<>> SimulationResult::time_per_limit() const {
  std::map<double, Duration, std::greater<>> out;
  for (const SimulatedFrame& f : frames) out[f.limit.watts()] += f.run_time;
  return out;
}

}  // namespace chase
