#include "sim/equal_slowdown.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "control/operating_points.hpp"
#include "control/policy.hpp"
#include "core/error.hpp"
#include "sim/benchmark_runs.hpp"
#include "sim/data_sets.hpp"
#include "sim/simulator.hpp"
#include "sim/start_times.hpp"

namespace chase {
namespace {

// The oracle above the policy by less than this share of its carbon is rounding, not a miss.
constexpr double kOracleToleranceFraction = 1e-9;

struct Case {
  std::size_t trace;
  std::size_t profile;
  UtcTime start;
};

std::optional<double> saved_pct(Mass run, Mass max) {
  const double saved = (1.0 - run / max) * 100.0;
  return std::isfinite(saved) ? std::optional<double>(saved) : std::nullopt;
}

}  // namespace

std::optional<double> EqualSlowdownRun::policy_minus_peer_pp() const {
  if (!policy_saved_pct || !peer_saved_pct) return std::nullopt;
  return *policy_saved_pct - *peer_saved_pct;
}

void check_equal_slowdown(const EqualSlowdownConfig& config) {
  for (const std::string* name : {&config.peer, &config.policy, &config.oracle}) {
    if (policy_registry().find(*name) == nullptr) throw InputError(policy_registry().unknown(*name));
  }
  if (is_offline_optimum(config.peer)) {
    throw InputError(fmt::format("'{}' needs the true intensity of the whole job: the peer must be a policy that can "
                                 "run live, without a budget",
                                 config.peer));
  }
  if (!config.job.frame_length) throw InputError("the benchmark needs a fixed frame length");
  if (!(config.start_every.seconds() > 0)) throw InputError("benchmark: the start interval must be positive");
}

std::vector<EqualSlowdownRun> run_equal_slowdown(const std::vector<IntensityTrace>& traces,
                                                 const std::vector<PowerProfile>& profiles,
                                                 const EqualSlowdownConfig& config) {
  check_equal_slowdown(config);
  double longest_ratio = 1;
  // The peer has no budget, and the others take no longer than it: at worst the slowest limit.
  for (const PowerProfile& p : profiles) longest_ratio = std::max(longest_ratio, OperatingPoints(p).slowest_time_ratio());
  const Duration needed = config.job.work_at_max * longest_ratio + *config.job.frame_length;

  std::vector<Simulator> simulators;
  simulators.reserve(traces.size() * profiles.size());
  std::vector<Case> cases;
  for (std::size_t t = 0; t < traces.size(); ++t) {
    const auto starts = start_times(traces[t], traces[t].start(), traces[t].end(), config.start_every, needed);
    if (starts.empty()) {
      throw InputError(fmt::format("{}: too short for a {:g} h job at the slowest limit ({:g} h)", traces[t].source(),
                                   config.job.work_at_max.hours(), needed.hours()));
    }
    for (std::size_t p = 0; p < profiles.size(); ++p) {
      simulators.emplace_back(traces[t], profiles[p]);
      for (const UtcTime start : starts) cases.push_back({t, p, start});
    }
  }

  std::vector<EqualSlowdownRun> runs(cases.size());
  run_cases_in_parallel(cases.size(), config.threads, [&](std::size_t i) {
    const Case& c = cases[i];
    const Simulator& sim = simulators[c.trace * profiles.size() + c.profile];
    SimulationSetup setup;
    setup.start = c.start;
    setup.job = config.job;
    setup.job.slowdown_budget.reset();
    setup.record_frames = false;
    const SimulationResult max = sim.run(baseline_policy_name(), setup);
    const SimulationResult peer = sim.run(config.peer, setup);
    EqualSlowdownRun& r = runs[i];
    r.trace = c.trace;
    r.profile = c.profile;
    r.start = c.start;
    r.peer_slowdown_pct = (peer.time / max.time - 1.0) * 100.0;
    r.budget = peer.time / max.time - 1.0;
    setup.job.slowdown_budget = r.budget;
    const SimulationResult policy = sim.run(config.policy, setup);
    const SimulationResult oracle = sim.run(config.oracle, setup);
    r.max_carbon = max.carbon;
    r.peer_carbon = peer.carbon;
    r.policy_carbon = policy.carbon;
    r.oracle_carbon = oracle.carbon;
    r.policy_slowdown_pct = (policy.time / max.time - 1.0) * 100.0;
    r.oracle_slowdown_pct = (oracle.time / max.time - 1.0) * 100.0;
    r.peer_saved_pct = saved_pct(peer.carbon, max.carbon);
    r.policy_saved_pct = saved_pct(policy.carbon, max.carbon);
    r.oracle_saved_pct = saved_pct(oracle.carbon, max.carbon);
    r.policy_within = within_slowdown_budget(r.policy_slowdown_pct, r.budget);
    r.oracle_within = within_slowdown_budget(r.oracle_slowdown_pct, r.budget);
  });
  return runs;
}

std::vector<EqualSlowdownSummary> summarize_equal_slowdown(const std::vector<EqualSlowdownRun>& runs,
                                                           const std::vector<std::string>& profile_names) {
  std::vector<EqualSlowdownSummary> out;
  auto summarize_group = [&](const std::string& name, auto&& in_group) {
    EqualSlowdownSummary s;
    s.profile = name;
    std::vector<double> slowdown, peer, policy, oracle, difference;
    std::size_t matches = 0;
    for (const EqualSlowdownRun& r : runs) {
      if (!in_group(r)) continue;
      ++s.runs;
      if (!r.policy_within) ++s.policy_over_budget;
      if (r.oracle_carbon.grams() > r.policy_carbon.grams() * (1 + kOracleToleranceFraction) &&
          r.policy_carbon.grams() > 0) {
        ++s.oracle_above_policy;
        s.most_oracle_above_policy_pct =
            std::max(s.most_oracle_above_policy_pct, (r.oracle_carbon / r.policy_carbon - 1.0) * 100.0);
      }
      if (r.oracle_carbon.grams() > r.peer_carbon.grams() * (1 + kOracleToleranceFraction)) ++s.oracle_above_peer;
      const std::optional<double> d = r.policy_minus_peer_pp();
      if (!d || !r.oracle_saved_pct) {
        ++s.runs_without_saving;
        continue;
      }
      slowdown.push_back(r.peer_slowdown_pct);
      peer.push_back(*r.peer_saved_pct);
      policy.push_back(*r.policy_saved_pct);
      oracle.push_back(*r.oracle_saved_pct);
      difference.push_back(*d);
      if (*d >= -kMatchesPeerPp) ++matches;
    }
    s.mean_peer_slowdown_pct = mean_of(slowdown);
    s.mean_peer_saved_pct = mean_of(peer);
    s.mean_policy_saved_pct = mean_of(policy);
    s.mean_oracle_saved_pct = mean_of(oracle);
    s.mean_policy_minus_peer_pp = mean_of(difference);
    s.policy_matches_peer_pct =
        difference.empty() ? 0 : 100.0 * static_cast<double>(matches) / static_cast<double>(difference.size());
    s.worst_policy_minus_peer_pp = difference.empty() ? 0 : *std::min_element(difference.begin(), difference.end());
    out.push_back(s);
  };
  for (std::size_t p = 0; p < profile_names.size(); ++p) {
    summarize_group(profile_names[p], [p](const EqualSlowdownRun& r) { return r.profile == p; });
  }
  summarize_group("all", [](const EqualSlowdownRun&) { return true; });
  return out;
}

EqualSlowdownOutcome equal_slowdown_benchmark(const std::vector<IntensityTrace>& traces,
                                              const std::vector<PowerProfile>& profiles,
                                              const EqualSlowdownConfig& config) {
  EqualSlowdownOutcome out;
  for (const auto& t : traces) out.trace_names.push_back(data_name(t.source()));
  for (const auto& p : profiles) out.profile_names.push_back(data_name(p.source()));
  const auto started = std::chrono::steady_clock::now();
  out.runs = run_equal_slowdown(traces, profiles, config);
  out.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out.summary = summarize_equal_slowdown(out.runs, out.profile_names);
  return out;
}

}  // namespace chase
