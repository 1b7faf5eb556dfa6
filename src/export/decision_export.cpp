#include "export/decision_export.hpp"

#include "export/json_optional.hpp"

namespace chase {

nlohmann::json decisions_json(const std::vector<Decision>& decisions) {
  nlohmann::json out = nlohmann::json::array();
  for (const Decision& d : decisions) {
    out.push_back({{"from", d.from.iso8601()},
                   {"until", d.until.iso8601()},
                   {"limit_w", d.limit.watts()},
                   {"predicted_g_per_kwh", d.predicted.g_per_kwh()},
                   {"actual_g_per_kwh", or_null(d.actual, [](const CarbonIntensity& ci) { return ci.g_per_kwh(); })},
                   {"work_done_units", d.work_done_units},
                   {"source", d.source},
                   {"fallback", d.fallback}});
  }
  return out;
}

void write_decisions_csv(std::ostream& out, const std::vector<Decision>& decisions) {
  out << kDecisionCsvHeader << '\n';
  for (const Decision& d : decisions) out << decision_csv_row(d) << '\n';
}

}  // namespace chase
