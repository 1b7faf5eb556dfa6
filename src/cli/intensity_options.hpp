#pragma once
// The flags that pick an intensity source (--trace, --region, --provider and its settings),
// shared by `chase intensity` and `chase forecast`. Owns what a live source needs: the HTTP
// client, the SQLite cache and the clock.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "carbon/forecast/frame_forecast.hpp"
#include "carbon/intensity_source.hpp"
#include "carbon/intensity_trace.hpp"
#include "core/clock.hpp"
#include "store/cached_live_source.hpp"

namespace chase::cli {

class IntensityInputOptions {
 public:
  IntensityInputOptions();
  ~IntensityInputOptions();

  void add_to(CLI::App& cmd, bool allow_region);
  // Exactly one of the choices, or InputError naming them.
  void require_one() const;
  // Whether any of the choices was given (for commands where a source is optional).
  bool given() const;
  IntensitySource& source();
  // The source's recorded past in frames (default frame: the source's own resolution).
  IntensityHistory history(std::optional<Duration> frame);
  // Why the last live fetch failed, if it did (shown beside a fallback value).
  std::optional<std::string> last_failure() const;
  // One line on stderr with that reason, for commands whose output has no place for it
  // (`chase measure`, `chase run`: their JSON marks the fallback segments).
  void warn_if_failed() const;
  bool is_trace() const { return !trace_.empty(); }
  // The flag that chose the source ("--trace", "--region" or "--provider"), for errors.
  std::string chosen_flag() const { return is_trace() ? "--trace" : !region_.empty() ? "--region" : "--provider"; }
  // --history-hours: how much of the past a forecast starts from.
  Duration history_length() const { return Duration::hours(history_hours_); }

 private:
  int year_ = 0;
  CLI::Option* year_opt_ = nullptr;
  std::string trace_, region_, provider_, zone_, key_file_, base_url_, cache_path_, fallback_region_;
  double history_hours_ = 192;
  double timeout_s_ = 10;
  std::vector<CLI::Option*> choice_;
  SystemClock clock_;
  CachedLiveSource opened_;  // the source; its HTTP client and cache only for --provider
};

}  // namespace chase::cli
