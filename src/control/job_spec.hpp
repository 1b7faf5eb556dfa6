#pragma once
// One description of a training job under power-limit control, used wherever a job is
// described: the live controller (`chase run`), the simulator (`chase simulate`), the policy
// benchmark and where-and-when planning. The CLI builds it from its flags (SimulationFlags),
// the Python module will build it from keyword arguments.

#include <map>
#include <optional>
#include <string>

#include "control/policy.hpp"
#include "core/units.hpp"

namespace chase {

// The longest span any job-related time (its work, its history, a frame, a study's step) may
// have: ten years, longer than any training run or bundled trace (about one year each). It keeps
// a time stamp plus a span far inside UtcTime's range, whose arithmetic a 1e300 h flag would
// overflow.
inline constexpr double kLongestJobHours = 87'600;

struct JobSpec {
  // How long the job takes at the GPU's maximum power limit: its work, in time. Slowdown is
  // measured against it.
  Duration work_at_max = Duration::hours(24);
  // Control frame length; none: the intensity source's own steps (a trace's resolution, a
  // provider's period).
  std::optional<Duration> frame_length;
  // Allowed slowdown against the maximum limit as a fraction (0.025 = +2.5 %, the Chase
  // paper's); none: each policy's own trade-off (η). The benchmark sweeps its own budgets.
  std::optional<double> slowdown_budget;
  // Intensity read before the start, for the forecaster and the policy.
  Duration history = Duration::hours(24);
  // The forecaster's registry name. The library's default is the cheapest model; the CLI's is
  // the registry's default entry.
  std::string forecaster = "persistence";
  // The values of the policies' declared parameters by name (η); missing ones take the
  // declared default.
  std::map<std::string, double, std::less<>> policy_parameters;

  // The policy options these parameters make (the simulator adds the future for the oracle).
  PolicyOptions policy_options() const {
    PolicyOptions options;
    options.parameters = policy_parameters;
    return options;
  }
  // η as given, else its declared default (Zeus's and Chase's weight of energy against time).
  double eta() const {
    const auto it = policy_parameters.find("eta");
    return it == policy_parameters.end() ? eta_parameter().default_value : it->second;
  }
};

}  // namespace chase
