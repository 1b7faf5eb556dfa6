#include "control/decision_log.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace chase {

DecisionLog::DecisionLog(const std::filesystem::path& csv) : csv_(std::make_unique<std::ofstream>(csv)) {
  if (!*csv_) throw InputError(fmt::format("cannot write the decision log {}", csv.string()));
  *csv_ << "from,until,limit_w,predicted_g_per_kwh,actual_g_per_kwh,work_done_units,source,fallback" << std::endl;
}

DecisionLog::~DecisionLog() { close(); }

void DecisionLog::record(Decision decision) {
  close();
  decisions_.push_back(std::move(decision));
  pending_ = true;
}

void DecisionLog::complete(double actual_g_per_kwh) {
  if (decisions_.empty()) return;
  decisions_.back().actual_g_per_kwh = actual_g_per_kwh;
  close();
}

void DecisionLog::close() {
  if (!pending_) return;
  pending_ = false;
  if (csv_) write_row(decisions_.back());
}

void DecisionLog::write_row(const Decision& d) {
  // Sources are short identifiers ("trace:gb-2020"); quote them anyway so a comma cannot break
  // the row.
  *csv_ << fmt::format("{},{},{},{},{},{},\"{}\",{}", d.from.iso8601(), d.until.iso8601(), d.limit.watts(),
                       d.predicted_g_per_kwh, d.actual_g_per_kwh ? fmt::format("{}", *d.actual_g_per_kwh) : "",
                       d.work_done_units, d.source, d.fallback ? "true" : "false")
        << std::endl;
}

nlohmann::json DecisionLog::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Decision& d : decisions_) {
    out.push_back({{"from", d.from.iso8601()},
                   {"until", d.until.iso8601()},
                   {"limit_w", d.limit.watts()},
                   {"predicted_g_per_kwh", d.predicted_g_per_kwh},
                   {"actual_g_per_kwh", d.actual_g_per_kwh ? nlohmann::json(*d.actual_g_per_kwh) : nlohmann::json(nullptr)},
                   {"work_done_units", d.work_done_units},
                   {"source", d.source},
                   {"fallback", d.fallback}});
  }
  return out;
}

}  // namespace chase
