#include "cli/pricing_options.hpp"

#include <fmt/format.h>

#include "carbon/constant_intensity_feed.hpp"
#include "carbon/intensity_basis.hpp"
#include "carbon/trace_source.hpp"
#include "cli/flag_checks.hpp"
#include "core/error.hpp"

namespace chase::cli {

void PricingOptions::add_to(CLI::App& command) {
  source_.add_to(command, /*allow_region=*/true);
  intensity_opt_ = command.add_option("--intensity", intensity_, "Price the energy at this intensity, gCO2e/kWh")
                       ->check(carbon_intensity());
  for (const char* name : {"--trace", "--region", "--provider"}) intensity_opt_->excludes(command.get_option(name));
}

std::optional<Pricing> PricingOptions::resolve(const Clock& clock) {
  if (intensity_opt_->count() > 0) {
    auto constant = std::make_unique<ConstantIntensityFeed>(CarbonIntensity::g_per_kwh(intensity_), "--intensity");
    IntensityFeed* feed = constant.get();
    return Pricing{std::move(constant), feed, "--intensity", fmt::format("a fixed {} gCO2e/kWh given with --intensity", intensity_)};
  }
  if (!source_.given()) return std::nullopt;
  IntensitySource& source = source_.source();
  if (source_.is_trace()) {
    // A trace records the past; pricing a run happening now with it would be made up.
    const auto& trace = dynamic_cast<const TraceSource&>(source).trace();
    if (!trace.covers(clock.now())) {
      throw InputError(fmt::format("--trace: {} covers {} to {}, not now; price a run with --provider, --region or "
                                   "--intensity",
                                   trace.source(), trace.start().iso8601(), trace.end().iso8601()));
    }
  }
  return Pricing{nullptr, &source, source.name(), intensity_basis(source)};
}

std::optional<std::string> priced_by(const std::optional<Pricing>& price) {
  return price ? std::optional<std::string>(price->source) : std::nullopt;
}

}  // namespace chase::cli
