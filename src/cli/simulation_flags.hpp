#pragma once
// The flags that describe a simulated job, shared by `chase simulate`, `chase bench policies`
// and `chase plan`: --work-hours, --slowdown-budget, --frame-minutes, --forecaster, --eta.

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "core/units.hpp"
#include "sim/simulator.hpp"

namespace chase::cli {

// "default" once the carbon layer registers it, else the model that exists today.
std::string default_forecaster();

struct SimulationFlags {
  double work_hours = 24;
  std::string slowdown_budget = "0.025";  // a fraction, or "none"
  std::string frame_minutes = "5";        // minutes, or "trace" for the trace's own grid
  std::string forecaster = default_forecaster();
  double eta = 0.5;
  double history_hours = 24;  // intensity read before the start, for the forecaster and the policy

  // Without --slowdown-budget for commands that sweep several budgets; without --history-hours
  // where the intensity source's flags already have it (chase run).
  void add_to(CLI::App& command, bool with_budget = true, bool with_history = true);
  // Throw InputError naming the flag and the value.
  std::optional<double> budget() const;
  std::optional<Duration> frame_length() const;
  Duration work() const { return Duration::hours(work_hours); }
  Duration history() const { return Duration::hours(history_hours); }
  // The job as the simulator takes it (its start left to the command); throws as above.
  SimulationSetup setup() const;
};

}  // namespace chase::cli
