#pragma once
// A power-limit controller's decisions as JSON (`chase run --json`) and as CSV (the columns of
// `chase run --decisions`, which the DecisionLog writes as frames end).

#include <nlohmann/json.hpp>

#include <ostream>
#include <vector>

#include "control/decision_log.hpp"

namespace chase {

// [{from, until, limit_w, predicted_g_per_kwh, actual_g_per_kwh (null while the frame had not
// ended), work_done_units, source, fallback}], in order.
nlohmann::json decisions_json(const std::vector<Decision>& decisions);

// The header, then a row per decision (the format of DecisionLog's file).
void write_decisions_csv(std::ostream& out, const std::vector<Decision>& decisions);

}  // namespace chase
