#pragma once
// The flags that pick an intensity source (--trace, --region, --provider and its settings),
// shared by `chase intensity` and `chase forecast`.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "carbon/intensity_source.hpp"
#include "carbon/intensity_trace.hpp"

namespace chase::cli {

// Recorded intensity cut into frames, ready for a forecaster.
struct IntensityHistory {
  std::string source;
  Duration frame;
  IntensityTrace frames;
};

struct IntensityInputOptions {
  std::string trace;
  std::string region;
  std::string provider;
  std::string zone;
  std::string key_file;
  std::string base_url;
  std::string cache;
  double history_hours = 0;
  std::vector<CLI::Option*> choice;  // --trace / --region / --provider

  void add_to(CLI::App& cmd, bool allow_region);
  // Exactly one of the choices, or InputError naming them.
  void require_one() const;
  std::unique_ptr<IntensitySource> source() const;
  // The source's recorded past in frames (default frame: the source's own resolution).
  IntensityHistory history(std::optional<Duration> frame) const;
};

}  // namespace chase::cli
