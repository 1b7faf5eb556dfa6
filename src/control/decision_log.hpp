#pragma once
// Every decision the controller makes, kept in memory and, optionally, appended to a CSV file as
// each frame ends (flushed line by line, so a run that is stopped keeps what it decided).

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"
#include "core/utc_time.hpp"

namespace chase {

struct Decision {
  UtcTime from;
  UtcTime until;                             // the planned end of the frame
  Power limit;
  double predicted_g_per_kwh = 0;            // what the policy was told
  std::optional<double> actual_g_per_kwh;    // the measured mean, once the frame has ended
  double work_done_units = 0;                // at the start of the frame
  std::string source;                        // the intensity feed's source at the start
  bool fallback = false;                     // the feed was not on its primary source
};

class DecisionLog {
 public:
  DecisionLog() = default;
  // Starts a CSV file (header now, a row per completed frame). Throws InputError when the file
  // cannot be written.
  explicit DecisionLog(const std::filesystem::path& csv);
  DecisionLog(DecisionLog&&) = default;
  DecisionLog& operator=(DecisionLog&&) = default;
  ~DecisionLog();

  void record(Decision decision);
  // The last decision's frame has ended with this mean intensity.
  void complete(double actual_g_per_kwh);
  // Writes the last decision even if its frame did not end (the run stopped).
  void close();

  const std::vector<Decision>& decisions() const { return decisions_; }
  nlohmann::json to_json() const;

 private:
  void write_row(const Decision& d);

  std::vector<Decision> decisions_;
  bool pending_ = false;  // the last decision is not written yet
  std::unique_ptr<std::ofstream> csv_;
};

}  // namespace chase
