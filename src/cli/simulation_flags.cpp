#include "cli/simulation_flags.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "carbon/forecast/forecaster.hpp"
#include "cli/flag_checks.hpp"
#include "control/frame_grid.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"
#include "core/number_parse.hpp"

namespace chase::cli {

std::map<std::string, double, std::less<>> SimulationFlags::declared_defaults() {
  std::map<std::string, double, std::less<>> values;
  for (const PolicyParameter& p : chase::policy_parameters()) values[p.name] = p.default_value;
  return values;
}

std::string policy_choices(bool live) {
  return fmt::format("{}", fmt::join(policy_registry().names_where([live](const PolicyEntry& e) {
                                       return !live || !e.needs_future;
                                     }),
                                     " | "));
}

void SimulationFlags::add_to(CLI::App& command, bool with_budget, bool with_history) {
  command.add_option("--work-hours", work_hours, "The job's length at the maximum power limit, hours")
      ->capture_default_str()
      ->check(positive())
      ->check(at_most(kLongestJobHours, "ten years"));
  if (with_budget) {
    command
        .add_option("--slowdown-budget", slowdown_budget,
                    "Allowed slowdown against the maximum limit as a fraction (0.025 = +2.5 %, the Chase paper's), "
                    "or 'none' for each policy's own trade-off")
        ->capture_default_str();
  }
  command
      .add_option("--frame-minutes", frame_minutes,
                  "Control frame length in minutes, or 'trace' for the trace's own resolution")
      ->capture_default_str();
  command.add_option("--forecaster", forecaster, "Intensity forecaster for the online policies")->capture_default_str();
  if (with_history) {
    command
        .add_option("--history-hours", history_hours,
                    "Hours of intensity before the start that the forecaster and the policy learn from")
        ->capture_default_str()
        ->check(non_negative())
        ->check(at_most(kLongestJobHours, "ten years"));
  }
  for (const PolicyParameter& p : chase::policy_parameters()) {
    command.add_option("--" + p.name, policy_values[p.name], p.description)
        ->capture_default_str()
        ->check(p.min_excluded ? above_up_to(p.min, p.max) : within(p.min, p.max));
  }
}

std::optional<double> SimulationFlags::budget() const {
  if (slowdown_budget == "none") return std::nullopt;
  const auto value = parse_double(slowdown_budget);
  if (!value || !(*value >= 0) || *value > 10) {
    throw InputError(fmt::format("--slowdown-budget: '{}' is not a fraction between 0 and 10 (0.025 = +2.5 %) or 'none'",
                                 slowdown_budget));
  }
  return *value;
}

JobSpec SimulationFlags::spec() const {
  JobSpec job;
  job.work_at_max = work();
  job.slowdown_budget = budget();
  job.frame_length = frame_length();
  job.forecaster = forecaster;
  job.history = history();
  job.policy_parameters = policy_values;
  return job;
}

std::optional<Duration> SimulationFlags::frame_length() const {
  if (frame_minutes == "trace") return std::nullopt;
  const auto value = parse_double(frame_minutes);
  if (!value || !(*value > 0) || *value > kLongestJobHours * 60) {
    throw InputError(fmt::format("--frame-minutes: '{}' is not a number of minutes in (0, {:g}] or 'trace'",
                                 frame_minutes, kLongestJobHours * 60));
  }
  const Duration length = Duration::minutes(*value);
  with_flag("--frame-minutes", [&] { FrameGrid::fixed(length); });
  return length;
}

}  // namespace chase::cli
