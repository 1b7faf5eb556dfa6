#pragma once
// The peer-at-equal-slowdown benchmark (`chase bench policies --at-slowdown-of <peer>`) as JSON
// and as a CSV of every run.

#include <nlohmann/json.hpp>

#include <ostream>

#include "sim/equal_slowdown.hpp"

namespace chase {

// peer, policy, oracle, traces, profiles, work_hours, start_every_h, frame_s, forecaster, eta,
// parameters (every policy parameter given, by name: eta, ci-ref), matches_peer_pp (kMatchesPeerPp), runs (a count), elapsed_s, summary[{profile, runs,
// runs_without_saving, mean_peer_slowdown_pct, mean_peer_saved_pct, mean_policy_saved_pct,
// mean_oracle_saved_pct, mean_policy_minus_peer_pp, policy_matches_peer_pct,
// worst_policy_minus_peer_pp, policy_over_budget, oracle_above_policy,
// most_oracle_above_policy_pct, oracle_above_peer}]. Savings are % of max's carbon; differences pp.
nlohmann::json equal_slowdown_json(const EqualSlowdownOutcome& outcome, const EqualSlowdownConfig& config);

// trace,profile,start,peer_slowdown_pct,budget_pct,max_carbon_g,peer_saved_pct,policy_saved_pct,
// oracle_saved_pct,policy_minus_peer_pp,policy_slowdown_pct,oracle_slowdown_pct,policy_within
// (1/0); a saving that is not defined (max emitted nothing) is an empty cell.
void write_equal_slowdown_runs_csv(std::ostream& out, const EqualSlowdownOutcome& outcome);

}  // namespace chase
