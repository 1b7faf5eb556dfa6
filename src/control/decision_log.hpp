#pragma once
// Every decision the controller makes, kept in memory and, optionally, appended to a CSV file as
// each frame ends (flushed line by line, so a run that is stopped keeps what it decided).

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/output_file.hpp"
#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct Decision {
  UtcTime from;
  UtcTime until;                             // the planned end of the frame
  Power limit;
  CarbonIntensity predicted;                // what the policy was told
  std::optional<CarbonIntensity> actual;    // the measured mean, once the frame has ended
  double work_done_units = 0;               // at the start of the frame
  std::string source;                       // the intensity feed's source at the start
  bool fallback = false;                    // the feed was not on its primary source
};

// The columns of the CSV file, and one decision as a row of them (without the newline). Its JSON
// is in export/decision_export.hpp.
inline constexpr const char* kDecisionCsvHeader =
    "from,until,limit_w,predicted_g_per_kwh,actual_g_per_kwh,work_done_units,source,fallback";
std::string decision_csv_row(const Decision& d);

class DecisionLog {
 public:
  DecisionLog() = default;
  // Appends to a CSV file (the header first when the file is new or empty, then a row per
  // completed frame, each written as it comes): the decisions of earlier runs stay. Throws InputError when the file cannot
  // be written, or exists and does not start with the header (it is left as it is).
  explicit DecisionLog(const std::filesystem::path& csv);
  DecisionLog(DecisionLog&&) = default;
  DecisionLog& operator=(DecisionLog&&) = default;
  ~DecisionLog();

  // Told each decision and its frame number (0-based) when it is made, and again when its frame
  // has ended (with the actual intensity): the run store's recorder.
  using Listener = std::function<void(const Decision& decision, std::size_t frame)>;
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  void record(Decision decision);
  // The last decision's frame has ended with this mean intensity.
  void complete(CarbonIntensity actual);
  // Writes the last decision even if its frame did not end (the run stopped).
  void close();
  // close(), then throws Error "cannot write <csv>: <OS error>" if a write to the file failed
  // (the first failure is kept; the decisions stay in memory all the same).
  void finish();

  const std::vector<Decision>& decisions() const { return decisions_; }

 private:
  std::vector<Decision> decisions_;
  bool pending_ = false;  // the last decision is not written yet
  std::unique_ptr<OutputFile> csv_;  // core/output_file.hpp: every write checked
  Listener listener_;
};

}  // namespace chase
