#pragma once
// `chase bench policies --at-slowdown-of <peer>`: the peer without a budget, then chase and the
// oracle at the peer's realised slowdown (sim/equal_slowdown.hpp), as a table or JSON.

#include <string>

#include "control/job_spec.hpp"

namespace chase::cli {

struct EqualSlowdownBenchOptions {
  std::string peer;
  std::string traces;
  std::string profiles;
  double every_hours = 6;
  unsigned threads = 1;
  JobSpec job;  // its slowdown budget is ignored
  std::string runs_csv;
  bool json = false;
};

void run_equal_slowdown_bench(const EqualSlowdownBenchOptions& options);

}  // namespace chase::cli
