#pragma once
// The flags that describe a simulated job, shared by `chase simulate`, `chase bench policies`
// and `chase plan`: --work-hours, --slowdown-budget, --frame-minutes, --forecaster, --eta.

#include <CLI/CLI.hpp>

#include <map>
#include <optional>
#include <string>

#include "carbon/forecast/forecaster.hpp"
#include "control/policy.hpp"
#include "core/units.hpp"
#include "sim/simulator.hpp"

namespace chase::cli {

// The registered policies for a --policy help text, "max | zeus | chase"; `live`: only those a
// live run can use (not the ones that need the future).
std::string policy_choices(bool live);

struct SimulationFlags {
  double work_hours = 24;
  std::string slowdown_budget = "0.025";  // a fraction, or "none"
  std::string frame_minutes = "5";        // minutes, or "trace" for the trace's own grid
  std::string forecaster = default_forecaster_name();
  // One flag per parameter the registered policies declare (--eta), at its declared default.
  std::map<std::string, double, std::less<>> policy_values = declared_defaults();
  double history_hours = 24;  // intensity read before the start, for the forecaster and the policy

  // Without --slowdown-budget for commands that sweep several budgets; without --history-hours
  // where the intensity source's flags already have it (chase run).
  void add_to(CLI::App& command, bool with_budget = true, bool with_history = true);
  // Throw InputError naming the flag and the value.
  std::optional<double> budget() const;
  std::optional<Duration> frame_length() const;
  Duration work() const { return Duration::hours(work_hours); }
  Duration history() const { return Duration::hours(history_hours); }
  // The job these flags describe; throws as above.
  JobSpec spec() const;
  // η as given (or its default), for outputs that show it.
  double eta() const { return policy_values.at("eta"); }

 private:
  static std::map<std::string, double, std::less<>> declared_defaults();
};

}  // namespace chase::cli
