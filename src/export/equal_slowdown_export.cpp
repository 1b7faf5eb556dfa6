#include "export/equal_slowdown_export.hpp"

#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>

namespace chase {
namespace {

// A summary figure: finite by construction (means of finite savings), null if not.
nlohmann::json number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

nlohmann::json summary_json(const EqualSlowdownSummary& s) {
  return {{"profile", s.profile},
          {"runs", s.runs},
          {"runs_without_saving", s.runs_without_saving},
          {"mean_peer_slowdown_pct", number(s.mean_peer_slowdown_pct)},
          {"mean_peer_saved_pct", number(s.mean_peer_saved_pct)},
          {"mean_policy_saved_pct", number(s.mean_policy_saved_pct)},
          {"mean_oracle_saved_pct", number(s.mean_oracle_saved_pct)},
          {"mean_policy_minus_peer_pp", number(s.mean_policy_minus_peer_pp)},
          {"policy_matches_peer_pct", number(s.policy_matches_peer_pct)},
          {"worst_policy_minus_peer_pp", number(s.worst_policy_minus_peer_pp)},
          {"policy_over_budget", s.policy_over_budget},
          {"oracle_above_policy", s.oracle_above_policy},
          {"most_oracle_above_policy_pct", number(s.most_oracle_above_policy_pct)},
          {"oracle_above_peer", s.oracle_above_peer}};
}

std::string csv_fixed(double value, int decimals) {
  return std::isfinite(value) ? fmt::format("{:.{}f}", value, decimals) : std::string();
}

std::string csv_fixed(const std::optional<double>& value, int decimals) {
  return value ? csv_fixed(*value, decimals) : std::string();
}

}  // namespace

nlohmann::json equal_slowdown_json(const EqualSlowdownOutcome& outcome, const EqualSlowdownConfig& config) {
  nlohmann::json j;
  j["peer"] = config.peer;
  j["policy"] = config.policy;
  j["oracle"] = config.oracle;
  j["traces"] = outcome.trace_names;
  j["profiles"] = outcome.profile_names;
  j["work_hours"] = config.job.work_at_max.hours();
  j["start_every_h"] = config.start_every.hours();
  j["frame_s"] = config.job.frame_length ? nlohmann::json(config.job.frame_length->seconds()) : nlohmann::json(nullptr);
  j["forecaster"] = config.job.forecaster;
  j["eta"] = config.job.eta();
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : config.job.policy_parameters) parameters[name] = value;
  j["parameters"] = parameters;
  j["matches_peer_pp"] = kMatchesPeerPp;
  j["runs"] = outcome.runs.size();
  j["elapsed_s"] = outcome.elapsed_s;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : outcome.summary) rows.push_back(summary_json(s));
  j["summary"] = rows;
  return j;
}

void write_equal_slowdown_runs_csv(std::ostream& out, const EqualSlowdownOutcome& outcome) {
  out << "trace,profile,start,peer_slowdown_pct,budget_pct,max_carbon_g,peer_saved_pct,policy_saved_pct,"
         "oracle_saved_pct,policy_minus_peer_pp,policy_slowdown_pct,oracle_slowdown_pct,policy_within\n";
  for (const auto& r : outcome.runs) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", outcome.trace_names[r.trace],
                       outcome.profile_names[r.profile], r.start.iso8601(), csv_fixed(r.peer_slowdown_pct, 4),
                       csv_fixed(r.budget * 100, 4), csv_fixed(r.max_carbon.grams(), 4), csv_fixed(r.peer_saved_pct, 4),
                       csv_fixed(r.policy_saved_pct, 4), csv_fixed(r.oracle_saved_pct, 4),
                       csv_fixed(r.policy_minus_peer_pp(), 4), csv_fixed(r.policy_slowdown_pct, 4),
                       csv_fixed(r.oracle_slowdown_pct, 4), r.policy_within ? 1 : 0);
  }
}

}  // namespace chase
