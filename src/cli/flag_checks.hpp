#pragma once
// CLI11 validators with messages in one style ("must be positive"), and a helper that
// prefixes library errors with the flag they came from.

#include <CLI/CLI.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/time_grid.hpp"

namespace chase::cli {

CLI::Validator positive();
CLI::Validator non_negative();
CLI::Validator at_least(double minimum);
CLI::Validator within(double min, double max);  // [min, max]
CLI::Validator above_up_to(double min, double max);  // (min, max]
// At most `max`; `why` says where the ceiling comes from ("the world's yearly electricity").
CLI::Validator at_most(double max, const std::string& why);
CLI::Validator fraction();           // [0, 1]
CLI::Validator positive_fraction();  // (0, 1]
// The highest PUE accepted: 3.0 is the worst the Uptime Institute's surveys report for old
// enterprise rooms; 10 leaves room for what-ifs and still catches a slip (a percentage, 150).
inline constexpr double kHighestPue = 10;

// A sampling or polling period in ms within [1, 3600000]: the clock's 1 ms up to an hour (a
// shorter one busy-loops, a longer one never samples).
CLI::Validator period_ms();
// A carbon intensity in gCO2e/kWh within [0, kMaxPlausibleIntensityGPerKwh] (carbon/intensity_bounds.hpp).
CLI::Validator carbon_intensity();

// Refuses an empty value ("--start ''") for every option of `app` and its subcommands that
// takes a value: none has a meaning for "", which would otherwise pass for the option left out
// (its default) or for a file named "". Positional arguments (a command's own arguments after
// `--`) are left alone. Call once every command is registered: the check runs after each
// option's own checks.
void refuse_empty_values(CLI::App& app);

// Runs fn; an InputError it throws is re-thrown as "<flag>: <message>".
template <class Fn>
decltype(auto) with_flag(const std::string& flag, Fn&& fn) {
  try {
    return fn();
  } catch (const InputError& e) {
    throw InputError(flag + ": " + e.what());
  }
}

// Runs fn; a GridStepError (core/time_grid.hpp) is re-thrown as "<flag>: <message>" with the
// flag that set that grid's step (`flags`: grid name → flag), other errors as they are.
template <class Fn>
decltype(auto) with_step_flags(std::initializer_list<std::pair<std::string_view, std::string_view>> flags, Fn&& fn) {
  try {
    return fn();
  } catch (const GridStepError& e) {
    for (const auto& [grid, flag] : flags) {
      if (e.grid() == grid) throw InputError(std::string(flag) + ": " + e.what());
    }
    throw;
  }
}

}  // namespace chase::cli
