#include "sim/policy_benchmark.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "sim/benchmark_runs.hpp"
#include "sim/profile_error.hpp"
#include "sim/start_times.hpp"

namespace chase {
namespace {

struct Case {
  std::size_t trace;
  std::size_t profile;
  unsigned seed;
  std::size_t simulator;
  UtcTime start;
  double budget;
};

}  // namespace

void check_benchmark_policies(const std::vector<std::string>& policies) {
  for (const auto& name : policies) {
    if (policy_registry().find(name) == nullptr) throw InputError(policy_registry().unknown(name));
  }
  if (std::find(policies.begin(), policies.end(), baseline_policy_name()) == policies.end()) {
    throw InputError(fmt::format("'{}' must be among them (everything is compared with it)", baseline_policy_name()));
  }
}

Duration BenchmarkConfig::frame_length() const {
  if (!job.frame_length) throw InputError("the benchmark needs a fixed frame length");
  return *job.frame_length;
}

std::vector<UtcTime> benchmark_starts(const IntensityTrace& trace, const BenchmarkConfig& config,
                                      double slowest_time_ratio) {
  const double longest_budget = config.budgets.empty() ? 0.0 : *std::max_element(config.budgets.begin(), config.budgets.end());
  const Duration at_max = Duration::seconds(config.speed_changes.time_to_work(0, config.job.work_at_max.seconds()));
  const Duration needed = at_max * std::max(1.0 + longest_budget, slowest_time_ratio) + config.frame_length();
  return start_times(trace, trace.start(), trace.end(), config.start_every, needed);
}

PowerProfile believed_profile(const PowerProfile& truth, std::size_t index, unsigned seed, const BenchmarkConfig& config) {
  return perturbed_profile(truth, config.profile_error, static_cast<std::uint64_t>(seed) * 1'000'003ULL + index);
}

std::vector<BenchmarkRun> run_policy_benchmark(const std::vector<IntensityTrace>& traces,
                                               const std::vector<PowerProfile>& profiles,
                                               const BenchmarkConfig& config) {
  if (!(config.start_every.seconds() > 0)) throw InputError("benchmark: the start interval must be positive");
  config.speed_changes.check();
  const bool with_beliefs = config.profile_error > 0;
  if (with_beliefs && config.seeds == 0) throw InputError("benchmark: a profile error needs at least one seed");
  // Every belief first: the simulators borrow them.
  std::vector<PowerProfile> beliefs;
  std::vector<unsigned> seeds{0};
  if (with_beliefs) {
    seeds.clear();
    for (unsigned k = 1; k <= config.seeds; ++k) seeds.push_back(k);
    for (std::size_t p = 0; p < profiles.size(); ++p) {
      for (const unsigned k : seeds) beliefs.push_back(believed_profile(profiles[p], p, k, config));
    }
  }
  std::vector<Simulator> simulators;
  simulators.reserve(traces.size() * profiles.size() * seeds.size());
  std::vector<Case> cases;
  // With wrong beliefs or a job that changes speed, a policy that trusts its profile can run
  // past its budget, as far as the slowest limit takes the job.
  double slowest_ratio = 1.0;
  if (with_beliefs || !config.speed_changes.none()) {
    for (const PowerProfile& p : profiles) slowest_ratio = std::max(slowest_ratio, OperatingPoints(p).slowest_time_ratio());
  }
  for (std::size_t t = 0; t < traces.size(); ++t) {
    const auto starts = benchmark_starts(traces[t], config, slowest_ratio);
    if (starts.empty()) {
      throw InputError(fmt::format("{}: too short for a {} h job at the largest budget", traces[t].source(),
                                   config.job.work_at_max.hours()));
    }
    for (std::size_t p = 0; p < profiles.size(); ++p) {
      for (std::size_t k = 0; k < seeds.size(); ++k) {
        const PowerProfile* belief = with_beliefs ? &beliefs[p * seeds.size() + k] : nullptr;
        simulators.emplace_back(traces[t], profiles[p], belief);
        for (const UtcTime start : starts) {
          for (const double budget : config.budgets) {
            cases.push_back({t, p, seeds[k], simulators.size() - 1, start, budget});
          }
        }
      }
    }
  }

  const std::size_t per_case = config.policies.size();
  std::vector<BenchmarkRun> runs(cases.size() * per_case);
  run_cases_in_parallel(cases.size(), config.threads, [&](std::size_t i) {
    const Case& c = cases[i];
    const Simulator& sim = simulators[c.simulator];
    SimulationSetup setup;
    setup.start = c.start;
    setup.job = config.job;
    setup.job.slowdown_budget = c.budget;
    setup.record_frames = false;
    setup.speed_changes = config.speed_changes;
    const SimulationResult baseline = sim.run(baseline_policy_name(), setup);
    for (std::size_t k = 0; k < per_case; ++k) {
      const SimulationResult result =
          config.policies[k] == baseline_policy_name() ? baseline : sim.run(config.policies[k], setup);
      const PolicyComparison cmp = compare_with_max(result, baseline);
      BenchmarkRun& r = runs[i * per_case + k];
      r.trace = c.trace;
      r.profile = c.profile;
      r.seed = c.seed;
      r.start = c.start;
      r.budget = c.budget;
      r.policy = config.policies[k];
      r.time = result.time;
      r.energy = result.energy;
      r.carbon = result.carbon;
      r.slowdown_pct = cmp.slowdown_pct;
      r.carbon_saved_pct = cmp.carbon_saved_pct;
      r.energy_saved_pct = cmp.energy_saved_pct;
      r.within_budget = within_slowdown_budget(cmp.slowdown_pct, c.budget);
    }
  });
  return runs;
}

std::vector<BenchmarkSummary> summarize(const std::vector<BenchmarkRun>& runs,
                                        const std::vector<PowerProfile>& profiles,
                                        const BenchmarkConfig& config) {
  std::vector<BenchmarkSummary> out;
  auto summarize_group = [&](const std::string& profile_name, double budget, auto&& in_group) {
    std::map<std::string, double> mean_saved;
    std::vector<BenchmarkSummary> group;
    const std::size_t per_case = config.policies.size();
    const auto oracle_at = std::find_if(config.policies.begin(), config.policies.end(),
                                        [](const std::string& p) { return is_offline_optimum(p); });
    for (const std::string& policy : config.policies) {
      std::vector<double> saved, slowdown;
      std::size_t without_saving = 0;
      std::size_t within = 0;
      std::size_t below_oracle = 0;
      double most_below = 0;
      for (std::size_t i = 0; i < runs.size(); ++i) {
        const BenchmarkRun& r = runs[i];
        if (r.policy != policy || r.budget != budget || !in_group(r)) continue;
        // compare_with_max gives 0/0 when max emitted nothing: no saving to average.
        if (std::isfinite(r.carbon_saved_pct)) {
          saved.push_back(r.carbon_saved_pct);
        } else {
          ++without_saving;
        }
        slowdown.push_back(r.slowdown_pct);
        if (r.within_budget) ++within;
        if (oracle_at != config.policies.end() && r.within_budget) {
          // The runs of one case are consecutive, in the order of config.policies.
          const BenchmarkRun& oracle =
              runs[i - i % per_case + static_cast<std::size_t>(oracle_at - config.policies.begin())];
          if (r.carbon < oracle.carbon * (1 - 1e-12)) {
            ++below_oracle;
            most_below = std::max(most_below, (1 - r.carbon / oracle.carbon) * 100);
          }
        }
      }
      BenchmarkSummary s;
      s.profile = profile_name;
      s.budget = budget;
      s.policy = policy;
      s.runs = slowdown.size();
      s.runs_without_saving = without_saving;
      s.mean_saved_pct = mean_of(saved);
      s.median_saved_pct = median_of(saved);
      s.mean_slowdown_pct = mean_of(slowdown);
      s.median_slowdown_pct = median_of(slowdown);
      s.within_budget_pct =
          slowdown.empty() ? 0 : 100.0 * static_cast<double>(within) / static_cast<double>(slowdown.size());
      s.runs_below_oracle = below_oracle;
      s.most_below_oracle_pct = most_below;
      mean_saved[policy] = s.mean_saved_pct;
      group.push_back(s);
    }
    for (auto& s : group) {
      if (oracle_at != config.policies.end()) s.gap_to_oracle_pp = mean_saved[*oracle_at] - s.mean_saved_pct;
      out.push_back(s);
    }
  };
  for (std::size_t p = 0; p < profiles.size(); ++p) {
    for (const double budget : config.budgets) {
      summarize_group(profiles[p].source(), budget, [p](const BenchmarkRun& r) { return r.profile == p; });
    }
  }
  for (const double budget : config.budgets) {
    summarize_group("all", budget, [](const BenchmarkRun&) { return true; });
  }
  return out;
}

}  // namespace chase
