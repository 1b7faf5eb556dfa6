#include "control/decision_log.hpp"

#include <fmt/format.h>

#include "core/data_file.hpp"
#include "core/error.hpp"

namespace chase {

std::string decision_csv_row(const Decision& d) {
  // Sources are short identifiers ("trace:gb-2020"); quote them anyway so a comma cannot break
  // the row.
  return fmt::format("{},{},{},{},{},{},\"{}\",{}", d.from.iso8601(), d.until.iso8601(), d.limit.watts(),
                     d.predicted.g_per_kwh(), d.actual ? fmt::format("{}", d.actual->g_per_kwh()) : "",
                     d.work_done_units, d.source, d.fallback ? "true" : "false");
}

DecisionLog::DecisionLog(const std::filesystem::path& csv) {
  // Appends: a log from earlier runs is kept. A file that is not a decision log is not touched.
  // Only a regular file has a first line to check: a device (/dev/null, /dev/full) or a pipe
  // read would never end or block, and gets the header like a new file.
  std::string first_line;
  std::error_code ec;
  if (std::filesystem::is_regular_file(csv, ec)) {
    const std::string text = read_text_file(csv).content;
    first_line = text.substr(0, text.find('\n'));
    if (first_line.ends_with('\r')) first_line.pop_back();
  }
  if (!first_line.empty() && first_line != kDecisionCsvHeader) {
    throw InputError(fmt::format("{} exists and is not a decision log (its first line is not \"{}\"); chase appends "
                                 "to decision logs only",
                                 csv.string(), kDecisionCsvHeader));
  }
  csv_ = std::make_unique<OutputFile>(csv, OutputFile::Mode::append);
  if (first_line.empty()) csv_->write(std::string(kDecisionCsvHeader) + "\n");
}

DecisionLog::~DecisionLog() { close(); }

void DecisionLog::record(Decision decision) {
  close();
  decisions_.push_back(std::move(decision));
  pending_ = true;
  if (listener_) listener_(decisions_.back(), decisions_.size() - 1);
}

void DecisionLog::complete(CarbonIntensity actual) {
  if (decisions_.empty()) return;
  decisions_.back().actual = actual;
  close();
}

void DecisionLog::close() {
  if (!pending_) return;
  pending_ = false;
  if (csv_) csv_->write(decision_csv_row(decisions_.back()) + "\n");
  if (listener_) listener_(decisions_.back(), decisions_.size() - 1);
}

void DecisionLog::finish() {
  close();
  if (csv_) csv_->finish();
}

}  // namespace chase
