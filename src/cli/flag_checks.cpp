#include "cli/flag_checks.hpp"

#include <fmt/format.h>

#include "carbon/intensity_bounds.hpp"
#include "core/number_parse.hpp"

namespace chase::cli {
namespace {

// A validator that parses the text strictly and applies `ok`, explaining with `rule`.
CLI::Validator number_check(std::string rule, std::function<bool(double)> ok) {
  return CLI::Validator(
      [rule, ok](std::string& text) -> std::string {
        const auto value = parse_double(text);
        if (!value) return fmt::format("'{}' is not a number", text);
        if (!ok(*value)) return fmt::format("{} must be {}", text, rule);
        return {};
      },
      "", rule);
}

}  // namespace

CLI::Validator positive() {
  return number_check("positive", [](double v) { return v > 0; });
}

CLI::Validator non_negative() {
  return number_check("non-negative", [](double v) { return v >= 0; });
}

CLI::Validator at_least(double minimum) {
  return number_check(fmt::format("at least {}", minimum), [minimum](double v) { return v >= minimum; });
}

CLI::Validator within(double min, double max) {
  return number_check(fmt::format("within [{}, {}]", min, max), [min, max](double v) { return v >= min && v <= max; });
}

CLI::Validator above_up_to(double min, double max) {
  return number_check(fmt::format("within ({}, {}]", min, max), [min, max](double v) { return v > min && v <= max; });
}

CLI::Validator at_most(double max, const std::string& why) {
  return number_check(fmt::format("at most {:g} ({})", max, why), [max](double v) { return v <= max; });
}

CLI::Validator fraction() { return within(0, 1); }

CLI::Validator positive_fraction() {
  return number_check("within (0, 1]", [](double v) { return v > 0 && v <= 1; });
}

CLI::Validator period_ms() { return within(1, 3.6e6); }

CLI::Validator carbon_intensity() {
  return number_check(fmt::format("within [0, {}] gCO2e/kWh (no grid emits more; a value in g/MWh?)",
                                  kMaxPlausibleIntensityGPerKwh),
                      [](double v) { return plausible_intensity(v); });
}

void refuse_empty_values(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (!option->nonpositional() || option->get_type_size_max() == 0) continue;  // a positional, or a flag
    option->check(CLI::Validator(
        [](const std::string& text) -> std::string {
          return text.empty() ? "an empty value is not accepted (leave the flag out for its default)" : std::string();
        },
        "", "not empty"));
  }
  for (CLI::App* sub : app.get_subcommands({})) refuse_empty_values(*sub);
}

}  // namespace chase::cli
