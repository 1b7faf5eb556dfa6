#pragma once
// What prices metered energy now (`chase measure`, `chase exporter`): a live provider, a region's
// static average or a trace that covers now (--provider/--region/--trace), or a fixed
// --intensity. The Monitor reads the devices at every boundary of the source's grid, so a live
// source that changes during the run prices each stretch at its own value.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "cli/intensity_options.hpp"
#include "core/clock.hpp"
#include "core/intensity_feed.hpp"

namespace chase::cli {

struct Pricing {
  std::unique_ptr<IntensityFeed> constant;  // owned only for --intensity
  IntensityFeed* feed = nullptr;
  std::string source;                       // "--intensity" or the source's name
  std::string basis;                        // what its figures are (carbon/intensity_basis.hpp)
};

class PricingOptions {
 public:
  void add_to(CLI::App& command);
  // None when nothing prices the energy. Throws InputError for a trace that does not cover now.
  std::optional<Pricing> resolve(const Clock& clock);
  const IntensityInputOptions& source() const { return source_; }

 private:
  IntensityInputOptions source_;
  double intensity_ = 0;
  CLI::Option* intensity_opt_ = nullptr;
};

// The name of what priced the energy, or none.
std::optional<std::string> priced_by(const std::optional<Pricing>& price);

}  // namespace chase::cli
