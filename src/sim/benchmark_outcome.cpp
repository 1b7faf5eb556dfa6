#include "sim/benchmark_outcome.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/number_parse.hpp"
#include "core/text_list.hpp"
#include "sim/data_sets.hpp"

namespace chase {

BenchmarkOutcome benchmark_policies(const std::vector<IntensityTrace>& traces, const std::vector<PowerProfile>& profiles,
                                    const BenchmarkConfig& config) {
  BenchmarkOutcome out;
  for (const auto& t : traces) out.trace_names.push_back(data_name(t.source()));
  // Summaries are keyed by the profile's name.
  std::vector<PowerProfile> named;
  for (const auto& p : profiles) {
    out.profile_names.push_back(data_name(p.source()));
    named.emplace_back(out.profile_names.back(), p.points());
  }
  const auto started = std::chrono::steady_clock::now();
  out.runs = run_policy_benchmark(traces, named, config);
  out.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.summary = summarize(out.runs, named, config);
  out.targets = check_targets(out.summary, out.profile_names, config.budgets);
  return out;
}

std::vector<double> parse_budgets(std::string_view text) {
  std::vector<double> budgets;
  for (const auto& item : split_list(text, ',', EmptyItems::kKeep)) {
    const auto value = parse_double(item);
    if (!value || !(*value >= 0) || *value > 10) {
      throw InputError(fmt::format("'{}' is not a fraction between 0 and 10 (0.025 = +2.5 %)", item));
    }
    // "0" and "0.0" are one budget: repeats are found by value.
    if (std::find(budgets.begin(), budgets.end(), *value) != budgets.end()) {
      throw InputError(fmt::format("'{}' is listed twice (the same budget as an earlier item)", item));
    }
    budgets.push_back(*value);
  }
  return budgets;
}

}  // namespace chase
