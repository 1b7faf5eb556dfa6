#include "cli/job_options.hpp"

#include <fmt/format.h>

#include "account/hardware_presets.hpp"
#include "carbon/region_catalog.hpp"
#include "cli/flag_checks.hpp"
#include "control/job_spec.hpp"
#include "core/error.hpp"

namespace chase::cli {

void JobOptions::add_to(CLI::App& command) {
  hours_opt_ = command.add_option("--hours", hours_, "Training time in hours")
                   ->check(positive())
                   ->check(at_most(kLongestJobHours, "ten years"));
  processors_opt_ = command.add_option("--processors", processors_, "Number of processors (GPUs, TPU chips, ...)")
                        ->check(positive());
  power_opt_ = command.add_option("--power-w", power_w_, "Average power per processor in W, incl. host share")
                   ->check(positive());
  processor_opt_ = command.add_option("--processor", processor_,
                                      "Processor preset for the power (see `chase presets`)");
  pue_opt_ = command.add_option("--pue", pue_, "Datacenter power usage effectiveness (>= 1)")
                 ->check(within(1.0, kHighestPue));
  datacenter_opt_ = command.add_option("--datacenter", datacenter_, "Datacenter preset for the PUE");
  intensity_opt_ = command.add_option("--intensity", intensity_, "Grid carbon intensity in gCO2e/kWh")
                       ->check(carbon_intensity());
  cfe_opt_ = command.add_option("--cfe", cfe_, "24/7 carbon-free energy share, 0..1 (adds a CFE view)")
                 ->check(fraction());
  region_opt_ = command.add_option("--region", region_,
                                   "Grid zone, country (ISO code or name) or region preset for the intensity and CFE "
                                   "(see `chase presets regions`)");
  year_opt_ = command.add_option("--year", year_, "The year of --region (and --to-region) (default: its latest complete year)")
                  ->check(CLI::Range(1900, 2200));
  year_opt_->needs(region_opt_);
  power_opt_->excludes(processor_opt_);
  pue_opt_->excludes(datacenter_opt_);
  intensity_opt_->excludes(region_opt_);
}

std::optional<int> JobOptions::year() const {
  return year_opt_->count() > 0 ? std::optional<int>(year_) : std::nullopt;
}

std::vector<CLI::Option*> JobOptions::options() const {
  return {hours_opt_, processors_opt_, power_opt_, processor_opt_, pue_opt_,
          datacenter_opt_, intensity_opt_, cfe_opt_, region_opt_, year_opt_};
}

NamedJob JobOptions::resolve(const std::string& alternative) const {
  auto missing = [&](const char* what) {
    return InputError(fmt::format("missing {}{}", what, alternative.empty() ? "" : " (" + alternative + ")"));
  };
  if (hours_opt_->count() == 0) throw missing("--hours");
  if (processors_opt_->count() == 0) throw missing("--processors");
  if (power_opt_->count() == 0 && processor_opt_->count() == 0) throw missing("--power-w or --processor");
  if (pue_opt_->count() == 0 && datacenter_opt_->count() == 0) throw missing("--pue or --datacenter");
  if (intensity_opt_->count() == 0 && region_opt_->count() == 0) throw missing("--intensity or --region");

  NamedJob r;
  r.job.training_time = Duration::hours(hours_);
  r.job.processors = processors_;
  if (processor_opt_->count() > 0) {
    const auto& p = with_flag("--processor", [&] { return bundled_processors().get(processor_); });
    r.processor = p.key;
    r.job.avg_power_per_processor = p.estimation_power();
  } else {
    r.job.avg_power_per_processor = Power::watts(power_w_);
  }
  if (datacenter_opt_->count() > 0) {
    const auto& d = with_flag("--datacenter", [&] { return bundled_datacenters().get(datacenter_); });
    r.datacenter = d.key;
    r.job.pue = d.pue;
  } else {
    r.job.pue = pue_;
  }
  if (region_opt_->count() > 0) {
    const RegionPreset region = with_flag("--region", [&] { return resolve_region(region_, year()); });
    r.region = region.key;
    r.region_basis = describe_region(region);
    // The region's carbon-free share is the CFE unless --cfe gives one.
    r.grid = GridFactors{region.gross, region.net, region.cfe_fraction};
  } else {
    r.grid.gross = CarbonIntensity::g_per_kwh(intensity_);
  }
  if (cfe_opt_->count() > 0) r.grid.cfe_fraction = cfe_;
  // Refused here, naming the flags, rather than printed as "inf MWh".
  with_flag("--hours × --processors × --power-w × --pue × --intensity", [&] { estimate_footprint(r.job, r.grid); });
  return r;
}

}  // namespace chase::cli
