#include "sim/simulation_result.hpp"

namespace chase {

std::map<double, Duration, std::greater<>> SimulationResult::time_per_limit() const {
  std::map<double, Duration, std::greater<>> out;
  for (const SimulatedFrame& f : frames) out[f.limit.watts()] += Duration::seconds(f.run_s);
  return out;
}

}  // namespace chase
